"""Reading a certificate page that does not have the ACORD 25 layout.

Agencies and insurers also send certificates in a free form: a letter, a
list of "Label: value" lines, a table of their own. When the layout reader
finds none of the form's anchors, this reader takes what the lines of text
say by their labels: the producer ("Producer:", "Agent:", "Broker:"), the
insured, the insurers ("Insurer A:", "Insurance company:", a name ending in
Insurance / Casualty / Indemnity ...), and per coverage named on a line
(general liability, automobile, umbrella, excess, workers' compensation)
its policy number, dates and limits ("Each Occurrence: $1,000,000"), until
the next coverage. It fills only what the layout reader left empty, with a
low confidence: a person checks these values before they count.
"""

from __future__ import annotations

import re

from .model import LOW, Coverage, Extraction
from .values import parse_amount, parse_date

COVERAGE_NAMES = (
    ("WC_EL", re.compile(r"workers'?\s*comp|employers'?\s+liab", re.I)),
    ("UMBRELLA", re.compile(r"umbrella", re.I)),
    ("EXCESS", re.compile(r"excess\s+liab", re.I)),
    ("AUTO", re.compile(r"auto(?:mobile)?\s+liab|business\s+auto|commercial\s+auto", re.I)),
    ("GL", re.compile(r"general\s+liab|commercial\s+general|\bCGL\b", re.I)),
)
# A coverage named by its code at the start of a line ("GL insurance with ...").
CODE_AT_START = re.compile(r"^\W*(GL|AUTO|UMBRELLA|EXCESS|WC_EL|WC)\b")
_COLON = r"\s*[:\-\u2013\u2014]\s*"
# Labels a line starts with: written in any case when a colon follows
# ("Insured: ..."), in capitals when only a space does ("INSURED Smith LLC").
PARTY_LABELS = (
    (
        "insurer",
        r"insurer(?:\s+[A-F])?|insurance\s+company|insurance\s+carrier|carrier|insured\s+by",
    ),
    ("producer", r"producer(?:\s*/\s*agent)?|insurance\s+agent|agent|agency|broker"),
    ("insured", r"named\s+insured|insured"),
    ("certificate_holder", r"certificate\s+holder"),
    ("description", r"description\s+of\s+operations(?:\s*/\s*[a-z]+)*"),
)
LABELS = [
    (
        kind,
        re.compile(rf"^({words}){_COLON}(.*)$", re.I),
        re.compile(rf"^({words.upper()})(?:\s+(.*))?$"),
    )
    for kind, words in PARTY_LABELS
]
# Text that ends a block of address lines.
BOILERPLATE = re.compile(
    r"this certificate|confers no rights|should any|authori[sz]ed|signature|\[\s*x?\s*\]|"
    r"cancel|policy period|issued on",
    re.I,
)
NAIC = re.compile(r"NAIC\s*(?:#|No\.?|code)?\s*:?\s*(\d{5})", re.I)
_INSURER_WORDS = r"(?:Insurance|Assurance|Casualty|Indemnity|Mutual|Underwriters|Fund|Surety)"
INSURER_NAME = re.compile(
    r"\b([A-Z][\w&.'-]*(?:\s+(?:of|and|&|[A-Z][\w&.'-]*))*?"
    rf"(?:\s+{_INSURER_WORDS})+"
    r"(?:\s+(?:Company|Co\.?|Corporation|Corp\.?|Group|Inc\.?|LLC|Ltd\.?|of\s+[A-Z][\w]+))*)"
)
AGENCY_WORDS = re.compile(
    r"\s+(?:Agency|Agencies|Services|Brokers?|Brokerage|Associates|Agents?|Solutions|Partners)\b",
    re.I,
)
MONTHS = "january february march april may june july august september october november december"
_MONTH_DATE = re.compile(
    r"\b(" + "|".join(m[:3] for m in MONTHS.split()) + r")[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b", re.I
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_US_DATE = re.compile(r"\b\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})\b")
AMOUNT = re.compile(
    r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})?(?:\s?[KkMm]\b)?"
    r"|(?<=:)\s*(\d{1,3}(?:,\d{3})+)(?:\.\d{2})?"
)
LABELLED_NUMBER = re.compile(
    r"\bpolicy\s*(?:number|no\.?|num(?:ber)?|#)?\s*[:\-]?\s*#?\s*"
    r"((?:[A-Z]{1,6}\s)?[A-Z0-9][A-Z0-9./-]*\d[A-Z0-9./-]*)",
    re.I,
)
LOOSE_NUMBER = re.compile(r"(?<![\w$/,.-])([A-Z]{1,6}-?\d[\w-]{3,}|\d{6,}[A-Z]?)(?![\w/,])")


def read_lines(lines: list[str], result: Extraction, confidence: float = LOW) -> Extraction:
    """Fill what `result` lacks from the lines of text of a page without the
    ACORD 25 layout. Returns `result`."""
    found = _read(list(lines))
    level = min(confidence, LOW)
    for key in ("producer", "insured", "certificate_holder"):
        party = found[key]
        if party.get("name") and not (getattr(result, key) or {}).get("name"):
            setattr(result, key, party)
            result.confidence[f"{key}.name"] = level
    if found["description"] and not result.description_of_operations:
        result.description_of_operations = found["description"]
        result.confidence["description_of_operations"] = level
    letters = {data["name"].lower(): letter for letter, data in result.insurers.items()}
    for name, naic in found["insurers"]:
        if name.lower() not in letters:
            letter = next(ch for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if ch not in result.insurers)
            result.insurers[letter] = {"name": name, "naic": naic}
            result.confidence[f"insurers.{letter}"] = level
            letters[name.lower()] = letter
    if result.coverages or not found["coverages"]:
        return result
    only = next(iter(result.insurers)) if len(result.insurers) == 1 else None
    for coverage, insurer in found["coverages"]:
        coverage.insurer_letter = letters.get((insurer or "").lower(), only)
        if not (coverage.effective_date or coverage.expiration_date) and found["period"]:
            coverage.effective_date, coverage.expiration_date = found["period"]
        if coverage.is_empty():
            continue
        coverage.confidence = {
            key: level
            for key in ("policy_number", "effective_date", "expiration_date", "limits")
            if getattr(coverage, key)
        }
        result.coverages.append(coverage)
        if not (coverage.policy_number and coverage.effective_date and coverage.expiration_date):
            result.warnings.append(f"{coverage.type}: policy number or dates not found.")
    if result.coverages:
        result.warnings.append(
            "Values were read by their labels from a page without the ACORD 25 layout: "
            "check them."
        )
    return result


def _read(lines):
    """What the lines say: parties, insurers, description, one policy period
    and the coverages, each with the lines that follow it."""
    found = {
        "producer": {},
        "insured": {},
        "certificate_holder": {},
        "insurers": [],
        "coverages": [],
        "description": None,
        "period": None,
    }
    sections = []  # [kind, lines] per coverage; None where a block ends one
    lines = [line.strip() for line in lines]
    index = 0
    while index < len(lines):
        text = lines[index]
        index += 1
        label = _label(text)
        kind = None if label else _coverage_kind(text)
        in_section = bool(sections and sections[-1])
        if not text or (not in_section and not label and not kind and _period(found, text)):
            continue
        if label:
            index = _party(found, lines, index, *label)
            if label[0] != "insurer":
                sections.append(None)
            elif in_section:  # the insurer of this coverage
                sections[-1][1].append(text)
        elif kind:
            sections.append([kind, [text]])
        elif in_section:
            sections[-1][1].append(text)
        else:
            for name in _insurer_names(text):
                _add_insurer(found, name)
    found["coverages"] = [_coverage(found, *section) for section in sections if section]
    return found


def _period(found, text):
    """A policy period given once for the policies that show none."""
    period = re.search(
        r"policy\s+period\s*:?\s*(.+?)\s+(?:to|through|thru|-|\u2013)\s+(.+)$", text, re.I
    )
    if not period:
        return False
    dates = (_dates(period.group(1)) or [None])[0], (_dates(period.group(2)) or [None])[0]
    if dates[0] and dates[1]:
        found["period"] = dates
    return True


def _party(found, lines, index, key, rest):
    """Read a labelled block from `index` (the line after its label):
    returns the index of the first line after it."""
    if key == "insurer":
        naic = NAIC.search(rest) or (NAIC.search(lines[index]) if index < len(lines) else None)
        name = _clean_insurer(rest)
        if name and _is_insurer_name(name):
            _add_insurer(found, name, naic.group(1) if naic else None)
        return index
    if key == "description":
        body = [rest] if rest else []
        while index < len(lines) and lines[index] and not _label(lines[index]):
            body.append(lines[index])
            index += 1
        found["description"] = "\n".join(body) or None
        return index
    if not rest and index < len(lines) and not _stops(lines[index]):
        rest = lines[index]
        index += 1
    address = []
    while index < len(lines) and len(address) < 3 and _is_address(lines[index]):
        address.append(lines[index])
        index += 1
    if rest and not found[key]:
        found[key] = {"name": rest, "address": address}
        if key == "producer":
            found[key].update(contact_name=None, phone=None, fax=None, email=None)
    return index


def _label(text):
    """(kind, what follows the label) of a labelled line, or None."""
    for kind, with_colon, in_capitals in LABELS:
        match = with_colon.match(text) or in_capitals.match(text)
        if match:
            return kind, (match.group(2) or "").strip(" :")
    return None


def _stops(text):
    text = text.strip()
    return not text or bool(_label(text) or _coverage_kind(text) or BOILERPLATE.search(text))


def _is_address(text):
    text = text.strip()
    if _stops(text) or len(text.split()) > 9 or AMOUNT.search(text):
        return False
    return bool(re.search(r"\d|,", text) or re.match(r"(attn|attention|c/o)\b", text, re.I))


def _coverage_kind(text):
    """The coverage a line names near its start, or None."""
    head = text[:60]
    code = CODE_AT_START.match(head)
    if code:
        return "WC_EL" if code.group(1).startswith("WC") else code.group(1)
    for kind, pattern in COVERAGE_NAMES:
        if pattern.search(head):
            return kind
    return None


def _clean_insurer(text):
    text = NAIC.sub("", text)
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,;:-")


def _insurer_names(text):
    """Insurer names in a text, but not an agency's ("... Insurance Services")."""
    for match in INSURER_NAME.finditer(text):
        if not AGENCY_WORDS.match(text[match.end() :]) and _is_insurer_name(match.group(1)):
            yield match.group(1)


def _is_insurer_name(name):
    return not re.search(r"certificate|evidence|\bpolicy\b|liability", name, re.I)


def _add_insurer(found, name, naic=None):
    name = _clean_insurer(name)
    if name and name.lower() not in {n.lower() for n, _naic in found["insurers"]}:
        found["insurers"].append((name, naic))


def _dates(text):
    """Dates in a text, in order: M/D/Y, ISO and "March 1, 2026"."""
    out = []
    for match in re.finditer(
        f"{_US_DATE.pattern}|{_ISO_DATE.pattern}|{_MONTH_DATE.pattern}", text, re.I
    ):
        value = match.group(0)
        iso = _ISO_DATE.fullmatch(value)
        month = _MONTH_DATE.fullmatch(value)
        if iso:
            value = f"{iso.group(2)}/{iso.group(3)}/{iso.group(1)}"
        elif month:
            number = [m[:3] for m in MONTHS.split()].index(month.group(1)[:3].lower()) + 1
            value = f"{number}/{month.group(2)}/{month.group(3)}"
        date = parse_date(value)
        if date:
            out.append(date)
    return out


def _coverage(found, kind, lines):
    """A coverage from its lines, and the insurer named there (or None)."""
    from .layout import limit_code

    text = " ".join(lines)
    coverage = Coverage(type=kind)
    dates = _dates(text)
    if dates:
        coverage.effective_date = dates[0]
    if len(dates) > 1 and dates[1] > dates[0]:
        coverage.expiration_date = dates[1]
    coverage.policy_number = _policy_number(text)
    previous = 0
    for match in AMOUNT.finditer(text):
        label = text[previous : match.start()]
        previous = match.end()
        label = re.split(r"[:;|]", label.strip(" :-\u2013,"))[-1]
        label = re.split(r",\s", label)[-1].strip()
        code = limit_code(kind, label) if label else None
        amount = parse_amount(match.group(0).strip().replace(" ", ""))
        if code and isinstance(amount, int) and code not in coverage.limits:
            coverage.limits[code] = amount
    if kind == "WC_EL" and re.search(r"statut", text, re.I):
        coverage.per_statute = True
    for attribute, pattern in (
        ("additional_insured", r"additional\s+insured"),
        ("subrogation_waived", r"waiver\s+of\s+subrogation"),
    ):
        mark = re.search(pattern + r"\s*[:\-]?\s*(yes|no|y|n|x)\b", text, re.I)
        if mark:
            setattr(coverage, attribute, mark.group(1).lower() in ("yes", "y", "x"))
    insurer = next(_insurer_names(text), None)
    if insurer:
        _add_insurer(found, insurer)
    return coverage, _clean_insurer(insurer) if insurer else None


def _policy_number(text):
    for match in LABELLED_NUMBER.finditer(text):
        value = match.group(1).strip(".,;:")
        if not _dates(value):
            return value
    for match in LOOSE_NUMBER.finditer(text):
        value = match.group(1)
        if not _dates(value) and not re.fullmatch(r"\d{4}", value):
            return value
    return None
