"""Reading endorsement pages: the form number and edition printed on them,
what the endorsement does, whether it is blanket ("where required by written
contract") or schedules named organizations, and the policy number.

Works on the words of a page with their positions (text layer, FreeText
annotations or OCR), like `layout`. Known forms (ISO, NCCI) are recognized
by their number; a carrier's own form by its title and headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocabulary import CoverageCode, EndorsementKind
from .layout import group_lines
from .model import FAIR, GOOD, EndorsementForm

K = EndorsementKind


@dataclass(frozen=True)
class KnownForm:
    kinds: tuple[str, ...]
    title: str
    blanket: bool = False  # applies to whoever a written contract names


# The standard forms (number without edition). An "or equivalent"
# requirement accepts any form of the same kind.
FORMS = {
    "CG 20 10": KnownForm(
        (K.AI_ONGOING,),
        "Additional Insured - Owners, Lessees or Contractors - Scheduled Person or Organization",
    ),
    "CG 20 37": KnownForm(
        (K.AI_COMPLETED,),
        "Additional Insured - Owners, Lessees or Contractors - Completed Operations",
    ),
    "CG 20 26": KnownForm(
        (K.AI_ONGOING,), "Additional Insured - Designated Person or Organization"
    ),
    "CG 20 38": KnownForm(
        (K.AI_ONGOING,),
        "Additional Insured - Owners, Lessees or Contractors - Automatic Status for Other "
        "Parties When Required in Written Construction Agreement",
        blanket=True,
    ),
    "CG 20 33": KnownForm(
        (K.AI_ONGOING,),
        "Additional Insured - Owners, Lessees or Contractors - Automatic Status When Required "
        "in Construction Agreement with You",
        blanket=True,
    ),
    "CG 20 01": KnownForm(
        (K.PRIMARY_NONCONTRIBUTORY,),
        "Primary and Noncontributory - Other Insurance Condition",
        blanket=True,
    ),
    "CG 24 04": KnownForm(
        (K.WAIVER_OF_SUBROGATION,), "Waiver of Transfer of Rights of Recovery Against Others to Us"
    ),
    "CA 20 48": KnownForm((K.AUTO_AI,), "Designated Insured for Covered Autos Liability Coverage"),
    "CA 04 44": KnownForm(
        (K.AUTO_WAIVER,), "Waiver of Transfer of Rights of Recovery Against Others to Us"
    ),
    "WC 00 03 13": KnownForm((K.WC_WAIVER,), "Waiver of Our Right to Recover from Others"),
    "WC 04 03 06": KnownForm(
        (K.WC_WAIVER,), "Waiver of Our Right to Recover from Others - California"
    ),
    "WC 42 03 04": KnownForm((K.WC_WAIVER,), "Waiver of Our Right to Recover from Others - Texas"),
}
# Editions that do more than the form's later editions: the 11 85 edition
# of CG 20 10 covers "your work", completed operations included.
EDITION_KINDS = {("CG 20 10", "11 85"): (K.AI_ONGOING, K.AI_COMPLETED)}
PREFIX_COVERAGE = {"CG": CoverageCode.GL, "CA": CoverageCode.AUTO, "WC": CoverageCode.WC_EL}

# Digits as OCR may print them.
_D = "[0-9OoIlS]"
_EDITION = (
    rf"(?:\s*\(?\s*(?:Ed(?:ition)?\.?\s*)?({_D}{{1,2}})\s?[/-]?\s?({_D}{{4}}|{_D}{{2}})\s*\)?)?"
)
_ISO = re.compile(rf"(?<![A-Za-z0-9])(CG|CA|CU|IL)\s?-?({_D}{{2}})\s?({_D}{{2}}){_EDITION}")
_NCCI = re.compile(
    rf"(?<![A-Za-z0-9])(WC)\s?({_D}{{2}})\s?({_D}{{2}})\s?({_D}{{2}})(?:\s?([A-Z])\b)?{_EDITION}"
)
_CARRIER = re.compile(
    r"\bForm(?:\s*(?:No\.?|Number))?\s*:?\s*([A-Z]{1,5}(?:[- ]?[A-Z0-9]{1,5}){1,4}?)"
    r"\s*\(\s*(\d{1,2})\s*[/-]\s*(\d{4}|\d{2})\s*\)"
)
# What a header or footer prints besides the form number.
_FOOTER_PARTS = re.compile(
    r"Page\s*\d+\s*of\s*\d+|Includes\s+copyrighted\s+material.*|©.*|\(c\).*|Copyright.*"
    r"|Insurance\s+Services\s+Office.*|National\s+Council.*|\(?Ed\.?[^)]*\)?",
    re.I,
)
_POLICY_NUMBER = re.compile(
    r"POLICY\s*(?:NUMBER|NO\.?|#)\s*:?\s*([A-Z0-9][A-Z0-9-]{3,}[0-9])\b", re.I
)
_NAME_LABEL = re.compile(
    r"Name\s*(?:\(s\))?\s*Of\s*(?:Additional\s*Insured\s*|Designated\s*)?Person", re.I
)
_INSURED_LABEL = re.compile(r"^Additional\s+Insureds?(?:\(s\))?\s*:\s*(.*)$", re.I)
_LABEL_TAIL = re.compile(r"^(?:Or\s+)?Organi[sz]ations?(?:\s*\(s\))?\s*:?|^\(s\)\s*:?", re.I)
_SCHEDULE_END = re.compile(
    r"Information required to complete|^This endorsement|^Section\b|^[A-H]\.\s"
    r"|^With respect to|^The following|^We (?:will not|waive|have)\b|^Who Is An Insured"
    r"|^The insurance|^All other terms",
    re.I,
)
_LOCATION_LABEL = re.compile(r"^Locations?(?:\(s\))?$", re.I)
_ADDRESS = re.compile(
    r"^\d+\s+\S|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\bSuite\b|\bP\.?\s?O\.?\s+Box\b", re.I
)
_BLANKET = re.compile(
    r"\bblanket\b"
    r"|\b(?:where|when|as|if)\s+required\s+(?:by|in|under)\s+(?:a|an|the|any|your)?\s*"
    r"(?:written\s+)?(?:contract|agreement)"
    r"|\bautomatic\s+status\b"
    r"|\bany\s+(?:person|persons|entity)\s+or\s+organi[sz]ations?\s+(?:whom|with\s+whom"
    r"|to\s+whom|for\s+whom|that|who)\s+(?:you|the\s+named\s+insured)\s+(?:have|has|are|is)?"
    r"\s*(?:agreed|required)",
    re.I,
)
_HEADER_SKIP = re.compile(
    r"THIS ENDORSEMENT CHANGES|PLEASE READ|POLICY\s*(NUMBER|NO)|COVERAGE PART|COVERAGE FORM"
    r"|INSURANCE POLICY$|^SCHEDULE$",
    re.I,
)
_AI = re.compile(r"ADDITIONAL\s+INSURED|DESIGNATED\s+INSURED", re.I)
_COMPLETED = re.compile(r"(?<!PRODUCTS-)(?<!PRODUCTS )COMPLETED\s+OPERATIONS", re.I)
_ONGOING = re.compile(r"ONGOING", re.I)
_WAIVER = re.compile(r"WAIVER|RIGHTS?\s+OF\s+RECOVERY|RIGHT\s+TO\s+RECOVER|SUBROGATION", re.I)
_PNC = re.compile(r"PRIMARY\s*(?:AND|&)\s*NON\s*-?\s*CONTRIBUTORY|NON\s*-?\s*CONTRIBUTORY", re.I)
_WORKERS = re.compile(r"WORKERS\W*\s*COMPENSATION", re.I)


def _digits(text):
    return text.translate(str.maketrans("OoIlS", "00115"))


def _edition(month, year):
    if not month or not year:
        return None
    month, year = _digits(month), _digits(year)
    if not (month.isdigit() and year.isdigit()) or not 1 <= int(month) <= 12:
        return None
    return f"{int(month):02d} {year[-2:]}"


def form_numbers(text: str) -> list[tuple[str, str | None, int, int]]:
    """The form numbers printed in `text`: (form, edition or None, start,
    end), for "CG 20 10 04 13", "CG2010 (04/13)", "CG 20 10 (04-13)",
    "WC 00 03 13 (Ed. 4-84)", "Form ABC 123 (01/20)" and their OCR misreadings."""
    found = []
    for match in _ISO.finditer(text):
        prefix, a, b, month, year = match.groups()
        found.append((f"{prefix} {_digits(a)} {_digits(b)}", _edition(month, year), *match.span()))
    for match in _NCCI.finditer(text):
        prefix, a, b, c, _letter, month, year = match.groups()
        form = f"{prefix} {_digits(a)} {_digits(b)} {_digits(c)}"
        found.append((form, _edition(month, year), *match.span()))
    if not found:
        for match in _CARRIER.finditer(text):
            code = re.sub(r"\s+", " ", match.group(1)).strip().upper()
            found.append((code, _edition(match.group(2), match.group(3)), *match.span()))
    return sorted(found, key=lambda item: item[2])


def normalize(text: str) -> tuple[str | None, str | None]:
    """(form, edition) of the first form number in `text`: "CG2010 (04/13)"
    -> ("CG 20 10", "04 13"); (None, None) when there is none."""
    found = form_numbers(text or "")
    return (found[0][0], found[0][1]) if found else (None, None)


def _is_form_line(line_text, start, end):
    """A form number printed as a page's own (header or footer), not cited
    in a sentence: the rest of the line is copyright, page numbers or
    capitals."""
    rest = _FOOTER_PARTS.sub(" ", line_text[:start] + " " + line_text[end:])
    return not re.search(r"[a-z]", rest)


def printed_form(texts, own_only=False) -> tuple[str | None, str | None]:
    """The form number a page (its lines of text, in order) prints as its
    own: one on a header or footer line, the most frequent one, one with an
    edition first. With `own_only`, a number only cited in a sentence is none."""
    texts = list(texts)
    candidates = []
    for index, text in enumerate(texts):
        for form, edition, start, end in form_numbers(text):
            own = _is_form_line(text, start, end)
            edge = index < 4 or index >= len(texts) - 4
            candidates.append((own, edge, edition is not None, form, edition))
    if own_only:
        candidates = [c for c in candidates if c[0]]
    if not candidates:
        return None, None
    counts = {}
    for _own, _edge, _ed, form, _edition in candidates:
        counts[form] = counts.get(form, 0) + 1
    best = max(candidates, key=lambda c: (c[0], c[1], c[2], counts[c[3]]))
    return best[3], best[4]


def has_printed_form(texts) -> bool:
    """Whether lines of text print a form number of their own (see `printed_form`)."""
    return any(
        _is_form_line(text, start, end)
        for text in texts
        for _form, _edition, start, end in form_numbers(text)
    )


def _headings(lines):
    """The title and section headings: lines in capitals, without the
    endorsement banner, the policy number and the coverage parts modified.
    A heading printed on two lines comes back as one."""
    found, last = [], None
    for index, line in enumerate(lines):
        text = line.text
        letters = [c for c in text if c.isalpha()]
        if len(letters) < 6 or sum(c.isupper() for c in letters) < 0.8 * len(letters):
            continue
        if _HEADER_SKIP.search(text) or form_numbers(text):
            continue
        if found and last == index - 1 and re.search(r"[-,]\s*$|\b(?:AND|OR|OF|TO)$", found[-1]):
            found[-1] = f"{found[-1]} {text}"
        else:
            found.append(text)
        last = index
    return [" ".join(text.split()) for text in found]


def _title(headings):
    for text in headings:
        if _AI.search(text) or _WAIVER.search(text) or _PNC.search(text):
            return text
    return headings[0] if headings else None


def _coverage(form, lines):
    if form and form[:2] in PREFIX_COVERAGE:
        return PREFIX_COVERAGE[form[:2]]
    text = " ".join(line.text for line in lines[:25])
    if _WORKERS.search(text):
        return CoverageCode.WC_EL
    if re.search(r"BUSINESS\s+AUTO|AUTO\s+COVERAGE|COVERED\s+AUTOS", text, re.I):
        return CoverageCode.AUTO
    return CoverageCode.GL


def _kinds_from_headings(headings, coverage):
    kinds = []
    text = " | ".join(headings)
    if _AI.search(text):
        if coverage == CoverageCode.AUTO:
            kinds.append(K.AUTO_AI)
        else:
            completed = bool(_COMPLETED.search(text))
            if _ONGOING.search(text) or not completed:
                kinds.append(K.AI_ONGOING)
            if completed:
                kinds.append(K.AI_COMPLETED)
    if _PNC.search(text):
        kinds.append(K.PRIMARY_NONCONTRIBUTORY)
    if _WAIVER.search(text):
        kinds.append(
            {CoverageCode.AUTO: K.AUTO_WAIVER, CoverageCode.WC_EL: K.WC_WAIVER}.get(
                coverage, K.WAIVER_OF_SUBROGATION
            )
        )
    return kinds


def _policy_number(lines):
    for line in lines:
        match = _POLICY_NUMBER.search(line.text)
        if match and re.search(r"\d", match.group(1)):
            return match.group(1).upper()
    return None


def _schedule_label(lines):
    """(index of the line that opens the schedule, left and right of its
    names column, names printed on the label's line) or None."""
    for index, line in enumerate(lines):
        if _NAME_LABEL.search(line.text):
            label = next((w for w in line if w.text.lower().startswith("name")), line[0])
            right = [w for w in line if w.x0 > label.x0 + 60 and _LOCATION_LABEL.match(w.text)]
            after = line.text.split(":", 1)[1].strip() if ":" in line.text else ""
            inline = [after] if after and not right else []
            return index, label.x0 - 4, right[0].x0 - 4 if right else 10_000.0, inline
        insured = _INSURED_LABEL.match(line.text)
        if insured:
            inline = [insured.group(1).strip()] if insured.group(1).strip() else []
            return index, line[0].x0 - 4, 10_000.0, inline
    for index, line in enumerate(lines):
        if re.fullmatch(r"\s*SCHEDULE\s*", line.text, re.I):
            return index, 0.0, 10_000.0, []
    return None


def _schedule(lines):
    """(text of the schedule, names scheduled) under the "Name of person or
    organization" label, in its column (a location column may stand beside
    it), or under a "Schedule" heading."""
    found = _schedule_label(lines)
    if found is None:
        return "", []
    start_index, x_left, x_right, column = found
    bottom = lines[start_index].bottom
    for line in lines[start_index + 1 :]:
        words = [w for w in line if w.x0 >= x_left and w.x1 <= x_right + 2]
        if not words:
            continue
        text = " ".join(w.text for w in words)
        ends = _SCHEDULE_END.search(text) or _SCHEDULE_END.search(line.text)
        label = _NAME_LABEL.search(line.text) or _INSURED_LABEL.match(line.text)
        if ends or label or (column and line.top - bottom > 30):
            break
        bottom = line.bottom
        if not column and _LABEL_TAIL.match(text):
            text = _LABEL_TAIL.sub("", text).strip()
            if not text:
                continue
        column.append(text)
    names = [
        re.sub(r"\s*[,;]\s*$", "", text)
        for text in column
        if not _ADDRESS.search(text) and not _BLANKET.search(text) and re.search(r"[A-Za-z]", text)
    ]
    return " ".join(column), names


def read_page(words, number: int, method: str = "text", confidence=None) -> EndorsementForm:
    """The endorsement printed on a page of words (see `layout.Word`)."""
    lines = group_lines([w for w in words if w.text.strip()])
    form, edition = printed_form(line.text for line in lines)
    known = FORMS.get(form) if form else None
    headings = _headings(lines)
    coverage = _coverage(form, lines)
    if known:
        kinds = list(EDITION_KINDS.get((form, edition), known.kinds))
        title = known.title
    else:
        kinds = _kinds_from_headings(headings, coverage)
        title = _title(headings)
    schedule_text, names = _schedule(lines)
    text = " ".join(line.text for line in lines)
    if known and known.blanket:
        blanket = True
    elif schedule_text and _BLANKET.search(schedule_text):
        blanket = True
    elif names:
        blanket = False
    elif _BLANKET.search(text):
        blanket = True
    else:
        blanket = None
    if blanket:
        names = []
    if confidence is None:
        confidence = GOOD if method != "ocr" else FAIR
    if not form or not kinds:
        confidence = min(confidence, FAIR)
    return EndorsementForm(
        page=number,
        form=form,
        edition=edition,
        title=title,
        kinds=kinds,
        coverage=coverage,
        blanket=blanket,
        names=names,
        policy_number=_policy_number(lines),
        pages=[number],
        method=method,
        confidence=round(confidence, 2),
    )


def continues(previous: EndorsementForm, page: EndorsementForm) -> bool:
    """Whether `page` is a further page of `previous` (same form, next page,
    no title of its own that differs)."""
    return (
        previous.pages[-1] + 1 == page.page
        and page.form is not None
        and page.form == previous.form
        and (page.edition is None or previous.edition is None or page.edition == previous.edition)
    )


def merge(previous: EndorsementForm, page: EndorsementForm) -> None:
    """Add a further page's reading to the endorsement it continues."""
    previous.pages.append(page.page)
    previous.names += [name for name in page.names if name not in previous.names]
    if page.blanket and not previous.names:
        previous.blanket = True
    elif previous.blanket is None:
        previous.blanket = page.blanket
    for kind in page.kinds:
        if kind not in previous.kinds:
            previous.kinds.append(kind)
    previous.policy_number = previous.policy_number or page.policy_number
    previous.edition = previous.edition or page.edition
    previous.confidence = min(previous.confidence, page.confidence)


def names_party(names, party: str | None) -> bool:
    """Whether one of the scheduled `names` is `party` (the review's name
    match: word order and case ignored)."""
    from ..review import NAME_MATCH, name_score

    return bool(party) and any(name_score(name, party) >= NAME_MATCH for name in names)
