"""The review rules: when a certificate read by the reader is accepted on
its own, and otherwise why a person must look at it.

A certificate is accepted on its own only when every policy on it was read
with its number and dates, every value with good confidence, the insured is
the vendor, the certificate holder is the one the requirements name (with
its address when they ask), no other organization is named as additional
insured in place of the holder, and every limit the vendor's requirements
ask for was read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .extract.model import GOOD, Coverage, Extraction
from .vocabulary import EndorsementKind

try:
    from rapidfuzz import fuzz, process, utils
except ImportError:  # pragma: no cover - rapidfuzz is in requirements.txt
    fuzz = process = utils = None

NAME_MATCH = 88  # rapidfuzz score (0-100) to accept a name as the same party


def name_score(a: str | None, b: str | None) -> float:
    """How alike two party names are, 0-100 (word order and case ignored)."""
    if not a or not b:
        return 0
    return fuzz.token_set_ratio(a, b, processor=utils.default_process)


def best_name(name: str, candidates: dict) -> object | None:
    """The key of `candidates` ({key: name}) whose name is `name`, or None."""
    if not name or not candidates:
        return None
    best = process.extractOne(
        name,
        candidates,
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=NAME_MATCH,
    )
    return best[2] if best else None


def intake_key(kind: str, name: str, code: str | None = None) -> str:
    """The key under which the reader creates the agency or insurer a
    certificate names: its kind and its code (an insurer's NAIC number) or,
    without one, its name's words, lowercased, deduplicated and sorted (the
    names `best_name` takes for the same party by word order and case)."""
    if code:
        return f"{kind}:code:{code.strip()}"
    words = sorted(set(utils.default_process(name).split()))
    return f"{kind}:{' '.join(words)}"


# ---- the certificate holder ---------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """The certificate holder the requirements name: who cancellation notices
    reach, at the address printed under its name."""

    name: str
    street: str = ""
    street2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    match_address: bool = False  # the address on the certificate must be this one

    @property
    def city_line(self) -> str:
        return " ".join(part for part in (self.city, self.state, self.zip) if part)

    @property
    def address(self) -> list[str]:
        return [line for line in (self.street, self.street2, self.city_line) if line]

    @property
    def lines(self) -> list[str]:
        """The holder block as a certificate must print it."""
        return [line for line in (self.name, *self.address) if line]


# USPS street suffixes and unit words, so "Street" and "St." read the same.
ADDRESS_WORDS = {
    "avenue": "ave",
    "boulevard": "blvd",
    "building": "bldg",
    "court": "ct",
    "drive": "dr",
    "east": "e",
    "floor": "fl",
    "highway": "hwy",
    "lane": "ln",
    "north": "n",
    "parkway": "pkwy",
    "place": "pl",
    "plaza": "plz",
    "road": "rd",
    "room": "rm",
    "south": "s",
    "square": "sq",
    "street": "st",
    "suite": "ste",
    "terrace": "ter",
    "west": "w",
}
SIMILAR_WORD = 80  # rapidfuzz ratio for one address word read by OCR


def address_words(text: str | None) -> list[str]:
    """The words of an address, lower case, without punctuation, with street
    suffixes abbreviated the USPS way."""
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    return [ADDRESS_WORDS.get(word, word) for word in words]


def address_matches(read_lines: list[str] | tuple[str, ...], holder: Holder) -> bool:
    """Whether the address read under the holder's name is the holder's:
    the street with its number exactly, the city (a letter or two of OCR
    noise forgiven) and the 5-digit ZIP code. The second address line
    (suite, floor, attention) is not compared: mail reaches the building."""
    read = address_words(" ".join(read_lines or ()))
    if not read:
        return False

    def found(word):
        if any(char.isdigit() for char in word) or len(word) < 4:
            return word in read
        return any(fuzz.ratio(word, other) >= SIMILAR_WORD for other in read)

    required = address_words(holder.street) + address_words(holder.city)
    zip_code = re.match(r"\d{5}", holder.zip or "")
    if zip_code:
        required.append(zip_code.group())
    return all(found(word) for word in required)


def holder_reasons(read: dict | None, holder: Holder | None) -> list[str]:
    """Why the holder read off a certificate is not the required one (none:
    it is). `read`: the extraction's certificate_holder ({name, address})."""
    if holder is None:
        return []
    read = read or {}
    name = (read.get("name") or "").strip()
    if not name:
        return [f"The certificate holder could not be read; it must be '{holder.name}'."]
    if name_score(name, holder.name) < NAME_MATCH:
        return [f"The certificate holder is '{name}', not '{holder.name}' as required."]
    if not holder.match_address:
        return []
    if not (holder.street and (holder.city or holder.zip)):
        return [
            f"The certificate holder's address must match, but {holder.name} has no street "
            "and city on file: a person must check it."
        ]
    shown = [line for line in read.get("address") or () if line]
    if not address_matches(shown, holder):
        return [
            f"The certificate holder's address is '{', '.join(shown) or 'not shown'}', "
            f"not '{', '.join(holder.address)}' as required."
        ]
    return []


# ---- additional insured named in the description of operations --------------

# "X Corp is included as additional insured", "X and Y are additional insureds"
_NAMED_BEFORE = re.compile(
    r"^(?P<who>.+?)\s+(?:is|are|shall\s+be|has\s+been|have\s+been)\s+(?:hereby\s+)?"
    r"(?:also\s+)?(?:(?:included|named|added|listed|designated|scheduled|shown)\s+)?"
    r"(?:as\s+)?(?:an?\s+)?additional(?:ly)?\s+insureds?\b",
    re.I,
)
# "The GL policy includes X Corp as additional insured", "naming X as an additional insured"
_NAMED_BETWEEN = re.compile(
    r"\b(?:includes?|including|names?|naming|adds?|adding|lists?|listing|endorsed\s+to\s+"
    r"include)\s+(?P<who>.+?)\s+as\s+(?:an?\s+)?additional(?:ly)?\s+insureds?\b",
    re.I,
)
# "Additional insured: X Corp", "Additional insureds include X Corp and Y"
_NAMED_AFTER = re.compile(
    r"\badditional\s+insureds?(?:\s*\(s\))?(?:\s+(?:person\(s\)\s+or\s+organi[sz]ation\(s\)|"
    r"parties|entities))?\s*(?::|-|\u2013|\binclude\b|\bincludes\b)\s*(?P<who>.+)$",
    re.I,
)
# Where a name ends and the conditions of the endorsement start.
_CONDITIONS = re.compile(
    r"\s+(?:where|when|if|as\s+required|as\s+their|per|with\s+respect|for|on|under|but|"
    r"in\s+respect|in\s+connection|regarding|while|only)\b.*$",
    re.I,
)
# A party that names nobody in particular: "all parties required by written contract".
_GENERIC = re.compile(
    r"\b(?:any|all|every|each|blanket|whom|required|contract|agreement|such|granted|"
    r"applies|apply|provided|extended|afforded|automatic|automatically)\b",
    re.I,
)
_HOLDER_REFERENCE = re.compile(r"\b(?:certificate\s+)?holders?\b", re.I)
# Words that name roles or relations, not an organization.
_ROLE_WORDS = frozenset(
    """a an and or of the its their his her our your re job project no number
    owner owners general contractor contractors subcontractor subcontractors architect
    architects engineer engineers lessor lessors landlord landlords client clients customer
    customers manager managers officers directors employees agents affiliates subsidiaries
    members volunteers representatives respective parent additional insured insureds
    successors assigns partners""".split()
)
# Abbreviations a name may end with: their period does not end a sentence.
_ABBREVIATIONS = frozenset(
    "inc corp co ltd llc lp llp plc bros assn st no jr sr dept intl mfg".split()
)


def _sentences(text: str) -> list[str]:
    """`text` cut into sentences; "X Corp." or "J. Smith" do not end one."""
    text = re.sub(r"\s+", " ", text or "").strip()
    sentences, start = [], 0
    for stop in re.finditer(r"[.;!?]\s+|\n", text):
        before = re.search(r"(\w+)\.$", text[start : stop.start() + 1])
        if before and (before.group(1).lower() in _ABBREVIATIONS or len(before.group(1)) == 1):
            continue
        sentences.append(text[start : stop.start()])
        start = stop.end()
    sentences.append(text[start:])
    return [sentence.strip(" .;") for sentence in sentences if sentence.strip(" .;")]


def _parties(who: str) -> list[str]:
    """The parties of a phrase naming additional insureds, one per comma
    ("X Corp, its officers and employees": "X Corp", "its officers and
    employees"); a clause after a colon is the phrase itself."""
    who = re.split(r"[:;]", who)[-1]
    who = _CONDITIONS.sub("", who)
    parts = [part.strip(" .\"'()") for part in who.split(",")]
    return [part for part in parts if part and not re.match(r"(?i)(if|when|where|unless)\b", part)]


def named_additional_insureds(text: str | None) -> list[str]:
    """The parties a free text (the description of operations) names as
    additional insured, as written ("Certificate holder", "X Corp", "its
    officers and employees")."""
    found = []
    for sentence in _sentences(text or ""):
        for pattern in (_NAMED_BETWEEN, _NAMED_BEFORE, _NAMED_AFTER):
            match = pattern.search(sentence)
            if match:
                found += _parties(match.group("who"))
                break
    return found


def is_named_party(party: str) -> bool:
    """Whether a party names an organization or person in particular (not
    "the certificate holder", "all parties required by written contract" or
    "its officers and employees")."""
    if _GENERIC.search(party) or _HOLDER_REFERENCE.search(party):
        return False
    words = re.findall(r"[a-z]+", party.lower())
    return any(word not in _ROLE_WORDS for word in words)


def additional_insured_reasons(description: str | None, holder: Holder | None) -> list[str]:
    """When the requirements ask for the holder as additional insured: why a
    person must check, when the description of operations names another
    organization as additional insured and neither the holder nor the
    certificate holder (the ADDL INSD mark then covers someone else)."""
    if holder is None:
        return []
    parties = named_additional_insureds(description)
    if any(
        _HOLDER_REFERENCE.search(party) or name_score(party, holder.name) >= NAME_MATCH
        for party in parties
    ):
        return []
    others = [party for party in parties if is_named_party(party)]
    if not others:
        return []
    return [
        f"The description of operations names {' and '.join(others)} as additional insured, "
        f"not {holder.name}: a person must check who the endorsement covers."
    ]


AI_KINDS = (EndorsementKind.AI_ONGOING, EndorsementKind.AI_COMPLETED, EndorsementKind.AUTO_AI)


def endorsement_additional_insured_reasons(endorsements, holder: Holder | None) -> list[str]:
    """When the requirements ask for the holder as additional insured: why a
    person must check, when an additional insured endorsement of the file
    schedules organizations and none of them is the holder (the ADDL INSD
    mark then covers someone else). A blanket endorsement covers the holder."""
    if holder is None:
        return []
    reasons = []
    for endorsement in endorsements or ():
        if endorsement.blanket or not endorsement.names:
            continue
        if not set(endorsement.kinds) & set(AI_KINDS):
            continue
        if any(name_score(name, holder.name) >= NAME_MATCH for name in endorsement.names):
            continue
        form = endorsement.form or endorsement.title or f"on page {endorsement.page}"
        reasons.append(
            f"The additional insured endorsement {form} names {' and '.join(endorsement.names)}, "
            f"not {holder.name}: a person must check who the endorsement covers."
        )
    return reasons


@dataclass
class Review:
    """What to do with a read certificate: the coverages to propose as
    policies, and the reasons a person must look (none: accept)."""

    coverages: list[Coverage] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def accept(self) -> bool:
        return bool(self.coverages) and not self.reasons


def review(
    extraction: Extraction,
    vendor_name: str | None,
    coverage_names: dict[str, str],
    required_limits: dict[str, dict[str, str]],
    known_limits: frozenset[str] | set[str] = frozenset(),
    holder: Holder | None = None,
    additional_insured: bool = False,
) -> Review:
    """Apply the review rules to one extraction.

    `coverage_names`: {coverage code: name} of the coverages the suite knows
    (an unknown code is read as OTHER); `required_limits`: {coverage code:
    {limit code: limit name}} the vendor's requirements ask for;
    `known_limits`: the limit codes the suite records; `holder`: the
    certificate holder the requirements name (None: not checked);
    `additional_insured`: whether they ask for the holder as additional
    insured."""
    result = Review()
    if extraction.error:
        result.reasons.append(extraction.error)
        return result
    if not extraction.is_certificate:
        result.reasons = [*extraction.warnings] or [
            "No certificate of insurance was found in the file."
        ]
        return result
    insured = (extraction.insured or {}).get("name")
    if name_score(insured, vendor_name) < NAME_MATCH:
        result.reasons.append(
            f"The insured on the certificate ({insured or 'not found'}) does not match the vendor."
        )
    result.reasons += holder_reasons(extraction.certificate_holder, holder)
    if additional_insured:
        result.reasons += additional_insured_reasons(extraction.description_of_operations, holder)
        result.reasons += endorsement_additional_insured_reasons(extraction.endorsements, holder)
    for coverage in extraction.coverages:
        code = coverage_code(coverage, coverage_names)
        name = coverage_names.get(code, coverage.type)
        if not (coverage.policy_number and coverage.effective_date and coverage.expiration_date):
            result.reasons.append(f"{name}: the policy number or dates could not be read.")
            continue
        low = [key for key, value in coverage.confidence.items() if round(value - GOOD, 2) < 0]
        if low:
            result.reasons.append(f"{name}: low confidence in {', '.join(low)}.")
        result.coverages.append(coverage)
    if not result.coverages and not result.reasons:
        result.reasons.append("No policy could be read from the certificate.")
    # The last policy read of a coverage is the one proposed for it.
    by_code = {coverage_code(c, coverage_names): c for c in result.coverages}
    for code, limits in required_limits.items():
        if code not in by_code:
            continue
        shown = read_limits(by_code[code], known_limits)
        missing = [label for limit, label in limits.items() if limit not in shown]
        if missing:
            result.reasons.append(
                f"{coverage_names.get(code, code)}: {', '.join(missing)} not read from the "
                "certificate."
            )
    return result


def coverage_code(coverage: Coverage, coverage_names: dict[str, str]) -> str:
    """The suite's code for a coverage read off a certificate."""
    return coverage.type if coverage.type in coverage_names else "OTHER"


def read_limits(coverage: Coverage, known_limits) -> dict[str, int]:
    """The limits read as amounts, of the kinds the suite records."""
    return {
        code: amount
        for code, amount in coverage.limits.items()
        if code in known_limits and isinstance(amount, int)
    }
