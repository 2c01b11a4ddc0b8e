"""Reading an insurer's notice about a policy: what it says (cancellation,
reinstatement, non-renewal), the policy numbers and the insured it names,
and the date it takes effect.

A notice carries several dates: the letter's own ("Date: 12/01/2026"), the
policy's period, and the one that matters, the date the cancellation (or
the reinstatement) takes effect ("cancelled effective 12/15/2026"). Each
date is told by the words just before and after it: a cue such as
"effective", "cancelled on", "effective date of cancellation:" right before
it (times such as "at 12:01 A.M. standard time" may sit in between), a
label of the letter's date, or the policy period around it.

Plain text in (the words of a PDF, or an email body), plain data out; no
Odoo import. Dates are read in US order (12/15/2026), ISO (2026-12-15) and
with month names (December 15, 2026; 15 Dec 2026).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .vocabulary import PolicyNotice

# Letters and digits of a policy number, below which it matches too much.
MIN_NUMBER_LENGTH = 5
# How far before a date its cues are looked for (characters).
CUE_WINDOW = 120
# How far before a date a word of the notice's kind still tells it is the
# date that counts, when no cue stands right before it (a table's column).
LOOSE_WINDOW = 100

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
# Most specific first: a span taken by one pattern is not read again.
_DATE_PATTERNS = (
    re.compile(r"(?<![\d/.-])(?P<year>\d{4})([-/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})(?![\d/])"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:day\s+of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(
        r"(?<![\d/.-])(?P<month>\d{1,2})([/.-])(?P<day>\d{1,2})\2(?P<year>\d{4}|\d{2})(?![\d/])"
    ),
)

# ---- what the notice says ---------------------------------------------------

_REINSTATED = re.compile(
    r"\bnotice\s+of\s+reinstatement\b"
    r"|\breinstatement\s+(?:notice|effective|date)\b"
    r"|\bdate\s+of\s+reinstatement\b"
    r"|\b(?:is|are|was|were|been|hereby)\s+(?:hereby\s+|now\s+|fully\s+)?reinstated\b"
    r"|\breinstated\s+(?:effective|as\s+of|on|with)\b"
    r"|\brescind\w*\s+(?:the\s+|our\s+|its\s+|this\s+|that\s+)?(?:notice\s+of\s+)?cancell?ation"
    r"|\bcancell?ation\s+(?:notice\s+)?(?:is|has\s+been|was)\s+(?:hereby\s+)?"
    r"(?:rescinded|withdrawn|void(?:ed)?)"
    r"|\bwithdraw\w*\s+(?:the\s+|our\s+|its\s+)?(?:notice\s+of\s+)?cancell?ation",
    re.I,
)
# "If payment is received, the policy will be reinstated": not a reinstatement.
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|provided|once|when)\b[^.;\n]*$"
    r"|\b(?:will|may|can|could|would|might|shall|to)\s+(?:not\s+)?(?:be\s+)?$",
    re.I,
)
_CANCELLED = re.compile(
    r"\b(?:is|are|was|were|has\s+been|have\s+been|will\s+be|shall\s+be|being|hereby|we\s+have)"
    r"\s+(?:hereby\s+)?cancell?ed\b"
    r"|\bcancell?(?:ed|ation)\s+(?:effective|as\s+of|on)\b"
    r"|\bcancell?ation\s+(?:is\s+effective|(?:will\s+)?takes?\s+effect)\b"
    r"|\b(?:effective\s+)?date\s+of\s+cancell?ation\b"
    r"|\bcancell?ation\s+(?:effective\s+)?date\b"
    r"|\b(?:intend|intends|intent)\s+to\s+cancel\b"
    r"|\b(?:we|insurer|company)\s+(?:are|is)\s+cancell?ing\b"
    r"|\b(?:is|are|will\s+be|has\s+been|have\s+been)\s+terminated\s+(?:effective|as\s+of|on)\b",
    re.I,
)
_CANCELLATION_TITLE = re.compile(
    r"\bnotice\s+of\s+(?:intent\s+to\s+)?(?:cancell?ation|termination)\b"
    r"|\bcancell?ation\s+notice\b"
    r"|\bpolicy\s+(?:has\s+been\s+)?cancell?ed\b",
    re.I,
)
_NOT_RENEWED = re.compile(
    r"\bnon-?\s?renew(?:al|ed|ing)?\b"
    r"|\bnot\s+(?:be\s+)?renew(?:ed|ing)\b"
    r"|\bwill\s+not\s+renew\b"
    r"|\bdeclines?\s+to\s+renew\b",
    re.I,
)

# ---- which date is which ----------------------------------------------------

_TIME = (
    r"(?:\d{1,2}(?::\d{2})?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)|\d{1,2}:\d{2}|noon|midnight)"
    r"(?:\s*\(?(?:local|standard|prevailing|eastern|central|mountain|pacific)?"
    r"\s*(?:standard\s+)?time\)?)?"
)
# What may stand between a cue and its date on one line ("effective at 12:01
# A.M. standard time on"); a label's value may be on the next line.
_GLUE = (
    rf"(?:[ \t:,\-–()*_]|{_TIME}"
    r"|\b(?:on|of|the|at|is|be|will|shall|has|been|become|becomes|from|as|date|day|dated)\b)*"
    r"\n?[ \t:]*"
)
_CUE = re.compile(
    r"(?P<cue>\beffective|\beff\.|\bcancell?(?:ed|ation|ing|s)?|\bterminat(?:ed|ion|es|ing)"
    r"|\breinstat(?:ed|ement|ing)|\bnon-?\s?renew(?:al|ed)?|\bnot\s+(?:be\s+)?renewed"
    r"|\blapsed?|\bexpir(?:es|ed|ation|e|ing|y)|\bends?|\bending|\btakes?\s+effect|\bas\s+of)"
    rf"{_GLUE}\Z",
    re.I,
)
# A label whose value is on the next line ends so: "Effective date of cancellation:".
_LABEL_END = re.compile(r"(?::|\bdate|\beffective|\bon|\bof)[ \t:]*\Z", re.I)
_LETTER = re.compile(
    r"(?:\b(?:notice|mailing|mail|letter|print(?:ed)?|issue[d]?|processing|process|run|report)"
    r"\s+date"
    r"|\bdate\s+(?:of\s+)?(?:this\s+)?(?:notice|letter|mailing|issue)"
    r"|\bdate\s+(?:mailed|sent|issued|printed)"
    r"|\b(?:mailed|dated|issued|sent|printed)(?:\s+on)?)"
    r"[ \t]*[:#.\-]?[ \t]*\n?[ \t]*\Z",
    re.I,
)
# "Date:" opening the line of the date, or alone on the line above it.
_DATE_LABEL_LINE = re.compile(r"(?:\A|\n)[ \t]*date[ \t]*[:#.\-]?[ \t]*\n?[ \t]*\Z", re.I)
_PERIOD_BEFORE = re.compile(
    r"(?:\bpolicy\s+(?:period|term)|\bterm|\bperiod|\binception(?:\s+date)?"
    r"|\bpolicy\s+(?:effective|eff\.?)(?:\s+date)?|\bpolicy\s+dates?)"
    r"[ \t:,\-]*(?:from[ \t]*)?\n?[ \t:]*\Z",
    re.I,
)
# Between the two dates of a period.
_RANGE = re.compile(r"[ \t]*(?:to|through|thru|until|-|–)[ \t]*", re.I)
# "Payment must be received by 12/10/2026": a deadline, not the date the
# notice takes effect.
_DEADLINE = re.compile(
    r"\b(?:by|before|until|due|received|paid|pay|payment|prior\s+to|no\s+later\s+than)\b", re.I
)
_AFTER = re.compile(
    r"^[ \t]*[,(]?[ \t]*(?:is|will\s+be|shall\s+be|as)\s+(?:the\s+)?"
    r"(?P<cue>effective\s+date|date\s+of\s+cancell?ation|cancell?ation\s+date"
    r"|date\s+of\s+reinstatement|reinstatement\s+date)"
    rf"|^[ \t]*,?[ \t]*(?:at\s+{_TIME}[ \t]*,?[ \t]*)?"
    r"(?:your|the|this|said|above|our)\s+(?:[\w-]+\s+){0,3}?(?:policy|policies|coverage)"
    r"\s+(?:[\w-]+\s+)?(?:is|are|was|were|has\s+been|have\s+been|will\s+be|shall\s+be)"
    r"\s+(?:hereby\s+)?(?P<word>cancell?ed|reinstated|terminated|non-?renewed)",
    re.I,
)
_KIND_WORDS = (
    (PolicyNotice.REINSTATEMENT, re.compile(r"reinstat|rescind", re.I)),
    (PolicyNotice.NON_RENEWAL, re.compile(r"non-?\s?renew|not\s+(?:be\s+)?renew", re.I)),
    (PolicyNotice.CANCELLATION, re.compile(r"cancel|terminat", re.I)),
)
_EXPIRY = re.compile(r"expir|\bends?\b|\bending\b|\blapse", re.I)
_AT_ONCE = re.compile(
    r"\beffective\s+immediately\b|\b(?:cancell?ed|terminated|reinstated)\s+immediately\b"
    r"|\bupon\s+receipt\s+of\s+this\s+(?:notice|letter)"
    r"|\b(?:as\s+of|on)\s+the\s+date\s+of\s+this\s+(?:notice|letter)",
    re.I,
)
_NUMBER_WORDS = {
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
}
_DAYS_AFTER = re.compile(
    r"\b(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s*(?:\(\d{1,3}\)\s*)?days?\s+"
    r"(?:after|from|following)\s+(?:the\s+)?(?:date\s+of\s+)?(?:this|the)\s+"
    r"(?:notice|letter|mailing)",
    re.I,
)

# ---- what it names ----------------------------------------------------------

_POLICY_NUMBER = r"[A-Z0-9](?:[A-Z0-9]|[-/.](?=[A-Z0-9]))*"
_POLICY_LABEL = re.compile(
    r"\bpol(?:icy|\.)(?:\s+(?:number|no\.?|num\.?)(?:\(s\)|s)?|\s*#|\s*:)?[ \t]*[:#]?[ \t]*"
    rf"(?P<numbers>{_POLICY_NUMBER}(?:(?:[ \t]*[,;&][ \t]*|[ \t]+and[ \t]+){_POLICY_NUMBER})*)",
    re.I,
)
_INSURED_LABEL = re.compile(
    r"^[ \t]*(?:named[ \t]+)?insured(?:'s)?(?:[ \t]+name)?(?:[ \t]+and[ \t]+address)?"
    r"[ \t]*[:\-][ \t]*(?P<name>.*)$",
    re.I | re.M,
)
_INSURED_STOP = re.compile(
    r"[ \t]{2,}.*$|[ \t]+(?:policy|pol\.|effective|date|address|agent|producer|insurer)\b.*$",
    re.I,
)


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    value: date


@dataclass(frozen=True)
class Notice:
    """What a notice about a policy says. `kind` is None when the text is no
    such notice; `effective_date` None when no date could be told to be the
    one the notice takes effect on (a person then gives it)."""

    kind: str | None = None
    effective_date: date | None = None
    letter_date: date | None = None
    policy_numbers: tuple[str, ...] = ()
    insured: str | None = None
    evidence: str = ""  # the words the effective date was read from

    def to_dict(self):
        return {
            "kind": self.kind,
            "effective_date": self.effective_date.isoformat() if self.effective_date else None,
            "letter_date": self.letter_date.isoformat() if self.letter_date else None,
            "policy_numbers": list(self.policy_numbers),
            "insured": self.insured,
            "evidence": self.evidence,
        }


def normalize(text: str | None) -> str:
    """One space between words, one line break between lines."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"[ \t\f\v]+", " ", text)
    return re.sub(r" ?\n[ \n]*", "\n", text).strip()


def _to_date(match) -> date | None:
    month, day, year = match.group("month"), int(match.group("day")), match.group("year")
    month = _MONTHS[month[:3].lower()] if month.isalpha() else int(month)
    year = int(year)
    if year < 100:
        year += 2000 if year < 70 else 1900
    if month > 12 and day <= 12 and len(match.group("year")) in (2, 4):
        month, day = day, month  # 15/12/2026 can only be day first
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateHit]:
    """Every date in `text`, in order, each span read once."""
    hits, taken = [], []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            value = _to_date(match)
            if value:
                hits.append(DateHit(match.start(), match.end(), value))
                taken.append((match.start(), match.end()))
    return sorted(hits, key=lambda hit: hit.start)


def notice_kind(text: str | None) -> str | None:
    """Cancellation, reinstatement, non-renewal, or None when the text says
    none of them (a certificate's "should any policy be cancelled" clause is
    no notice)."""
    flat = normalize(text)
    for match in _REINSTATED.finditer(flat):
        if not _CONDITIONAL.search(flat[max(0, match.start() - 80) : match.start()]):
            return PolicyNotice.REINSTATEMENT
    if _CANCELLED.search(flat):
        return PolicyNotice.CANCELLATION
    if _NOT_RENEWED.search(flat):
        return PolicyNotice.NON_RENEWAL
    if _CANCELLATION_TITLE.search(flat):
        return PolicyNotice.CANCELLATION
    return None


def _affinity(words: str) -> str | None:
    for kind, pattern in _KIND_WORDS:
        if pattern.search(words):
            return kind
    return None


@dataclass
class _Reading:
    hit: DateHit
    role: str  # "effective", "letter", "period" or "" (no cue)
    strength: int = 0  # 2: a cue right before or after, 1: a kind word close by
    affinity: str | None = None  # the kind its cue speaks of
    evidence: str = ""


def _is_letter_date(flat, hit, before, cue):
    line_start = flat.rfind("\n", 0, max(0, flat.rfind("\n", 0, hit.start))) + 1
    if _DATE_LABEL_LINE.search(flat[line_start : hit.start]) and not cue:
        return True
    letter = _LETTER.search(before)
    return bool(letter) and not (cue and cue.end("cue") > letter.start())


def _is_period_date(flat, hits, index, before, expiry, kind):
    hit = hits[index]
    joined_before = index and _RANGE.fullmatch(flat[hits[index - 1].end : hit.start])
    joined_after = index + 1 < len(hits) and _RANGE.fullmatch(flat[hit.end : hits[index + 1].start])
    return bool(
        _PERIOD_BEFORE.search(before)
        or joined_before
        or joined_after
        or (expiry and kind != PolicyNotice.NON_RENEWAL)
    )


def _word_start(text, start, limit):
    """`start`, moved on to the beginning of a word (not past `limit`)."""
    if start == 0 or text[start - 1] in " \n":
        return start
    space = text.find(" ", start, limit)
    return space + 1 if space != -1 else start


def _alone_on_its_line(flat, hit):
    line_start = flat.rfind("\n", 0, hit.start) + 1
    line_end = flat.find("\n", hit.end)
    line = flat[line_start : line_end if line_end != -1 else len(flat)]
    return line.strip(" .,") == flat[hit.start : hit.end]


def _read_date(flat, hits, index, kind):
    """What the words around the `index`-th date say it is."""
    hit = hits[index]
    floor = hits[index - 1].end if index else 0
    before = flat[max(floor, hit.start - CUE_WINDOW) : hit.start]
    ceiling = hits[index + 1].start if index + 1 < len(hits) else len(flat)
    after = flat[hit.end : min(ceiling, hit.end + 80)]
    reading = _Reading(hit, "")
    cue = _CUE.search(before)
    if cue and "\n" in cue.group(0) and not _LABEL_END.search(cue.group(0).split("\n")[0]):
        cue = None  # a title above the date ("NOTICE OF CANCELLATION"), not its label
    expiry = bool(cue and _EXPIRY.match(cue.group("cue")))
    alone = _alone_on_its_line(flat, hit)
    if _is_letter_date(flat, hit, before, cue) or (alone and index == 0 and not cue):
        reading.role = "letter"
    elif _is_period_date(flat, hits, index, before, expiry, kind):
        reading.role = "period"
    elif cue:
        start = _word_start(before, max(0, cue.start() - 30), cue.start())
        reading.role, reading.strength = "effective", 2
        reading.affinity = _affinity(before[start:]) or (
            PolicyNotice.NON_RENEWAL if expiry else None
        )
        reading.evidence = before[start:] + flat[hit.start : hit.end]
    elif after_cue := _AFTER.match(after):
        reading.role, reading.strength = "effective", 2
        reading.affinity = _affinity(after_cue.group(0))
        reading.evidence = flat[hit.start : hit.end + after_cue.end()]
    elif (
        kind
        and not alone
        and _affinity(before[-LOOSE_WINDOW:])
        and not _DEADLINE.search(before[-40:])
    ):
        reading.role, reading.strength = "effective", 1
        reading.affinity = _affinity(before[-LOOSE_WINDOW:])
        start = _word_start(before, max(0, len(before) - 40), len(before))
        reading.evidence = before[start:] + flat[hit.start : hit.end]
    return reading


def _score(reading, kind):
    bonus = 0
    if reading.affinity == kind:
        bonus = 1
    elif reading.affinity and reading.affinity != kind:
        bonus = -2
    return reading.strength * 2 + bonus


def _letter_date(flat, readings):
    for reading in readings:
        if reading.role == "letter":
            return reading.hit.value
    # A letter's heading: a date on its own before anything else is said.
    first = readings[0] if readings else None
    if first and not first.role and first.hit.start < 300:
        head = flat[: first.hit.start]
        if not _affinity(head) and not _CUE.search(head):
            return first.hit.value
    return None


def _relative_date(flat, letter):
    """ "Effective immediately", "10 days after the date of this notice"."""
    if not letter:
        return None, ""
    days_after = _DAYS_AFTER.search(flat)
    if days_after:
        count = days_after.group("n").lower()
        count = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        return letter + timedelta(days=count), days_after.group(0)
    at_once = _AT_ONCE.search(flat)
    if at_once:
        return letter, at_once.group(0)
    return None, ""


def policy_numbers(text: str | None) -> tuple[str, ...]:
    """The numbers written after a "Policy number:" (or "Policy #", "Policy
    No.", "policy GL-100") label, in order, without dates."""
    flat = normalize(text)
    found = []
    for match in _POLICY_LABEL.finditer(flat):
        for token in re.split(r"[ \t]*[,;&][ \t]*|[ \t]+and[ \t]+", match.group("numbers")):
            squashed = re.sub(r"[^A-Z0-9]", "", token.upper())
            if (
                len(squashed) >= 4
                and re.search(r"\d", token)
                and not find_dates(token)
                and token.upper() not in found
            ):
                found.append(token.upper())
    return tuple(found)


def insured_name(text: str | None) -> str | None:
    """The name after a "Named insured:" label (or on the line below it)."""
    flat = normalize(text)
    for match in _INSURED_LABEL.finditer(flat):
        name = match.group("name").strip()
        if not name:
            rest = flat[match.end() :].lstrip("\n").split("\n", 1)
            name = rest[0].strip() if rest else ""
        name = _INSURED_STOP.sub("", name).strip(" ,;:-")
        if len(name) >= 2:
            return name
    return None


def names_policy(text: str | None, number: str | None) -> bool:
    """Does `text` name policy `number`? Letters and digits in order, with
    any spaces, dashes, dots or slashes between them, and not inside a longer
    number ("GL-100" is not named by "GL-1000")."""
    squashed = re.sub(r"[^A-Z0-9]", "", (number or "").upper())
    if len(squashed) < MIN_NUMBER_LENGTH:
        return False
    body = r"[ \t\-./]{0,2}".join(re.escape(char) for char in squashed)
    pattern = rf"(?<![A-Z0-9])(?<![A-Z0-9][\-./]){body}(?![\-./]?[A-Z0-9])"
    return bool(re.search(pattern, normalize(text).upper()))


def named_policies(text: str | None, numbers) -> list:
    """Those of `numbers` that `text` names (see `names_policy`); the text
    is prepared once, so thousands of numbers on file are cheap to try."""
    flat = normalize(text).upper()
    squashed = re.sub(r"[^A-Z0-9]", "", flat)
    found = []
    for number in numbers:
        key = re.sub(r"[^A-Z0-9]", "", (number or "").upper())
        if len(key) >= MIN_NUMBER_LENGTH and key in squashed and names_policy(flat, number):
            found.append(number)
    return found


def read_notice(text: str | None) -> Notice:
    """What the notice in `text` says: its kind, the date it takes effect
    (told from the letter's date and the policy period), the policy numbers
    and the insured it names."""
    flat = normalize(text)
    kind = notice_kind(flat)
    hits = find_dates(flat)
    readings = [_read_date(flat, hits, index, kind) for index in range(len(hits))]
    letter = _letter_date(flat, readings)
    candidates = [r for r in readings if r.role == "effective"]
    effective, evidence = None, ""
    if candidates:
        best = max(candidates, key=lambda r: (_score(r, kind), -r.hit.start))
        if _score(best, kind) > 0:
            effective, evidence = best.hit.value, best.evidence
    if effective is None:
        effective, evidence = _relative_date(flat, letter)
    return Notice(
        kind=kind,
        effective_date=effective,
        letter_date=letter,
        policy_numbers=policy_numbers(flat),
        insured=insured_name(flat),
        evidence=" ".join(evidence.split()),
    )
