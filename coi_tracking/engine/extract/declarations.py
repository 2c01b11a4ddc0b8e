"""Reading a policy's declarations page: the policy number, the policy
period and the limits printed on it, to match against the policy the
certificate shows."""

from __future__ import annotations

import re

from ..vocabulary import CoverageCode, LimitCode
from .layout import group_lines
from .model import FAIR, GOOD, DeclarationsPage
from .values import find_dates, parse_amount, squash

_POLICY_NUMBER = re.compile(
    r"POLICY\s*(?:NUMBER|NO\.?|#)\s*:?\s*([A-Z0-9][A-Z0-9-]{3,}[0-9])\b", re.I
)
_PERIOD = re.compile(r"POLICY\s+PERIOD", re.I)
_AMOUNT = re.compile(r"\$\s?\d{1,3}(?:,\d{3})+|\$\s?\d{4,}|\b\d{1,3}(?:,\d{3}){1,}\b")
_TITLES = (
    (re.compile(r"WORKERS\W*\s*COMPENSATION", re.I), CoverageCode.WC_EL),
    (re.compile(r"BUSINESS\s+AUTO|COMMERCIAL\s+AUTO|\bAUTO\b", re.I), CoverageCode.AUTO),
    (re.compile(r"UMBRELLA", re.I), CoverageCode.UMBRELLA),
    (re.compile(r"EXCESS", re.I), CoverageCode.EXCESS),
    (re.compile(r"GENERAL\s+LIABILITY", re.I), CoverageCode.GL),
)
# Words of a limit's label (letters only, upper case) -> its code; the first
# that matches wins.
_LIMIT_WORDS = {
    CoverageCode.GL: (
        ("PRODUCTS", LimitCode.PRODUCTS_COMP_OP_AGG),
        ("GENERALAGGREGATE", LimitCode.GENERAL_AGGREGATE),
        ("EACHOCCURRENCE", LimitCode.EACH_OCCURRENCE),
        ("PERSONAL", LimitCode.PERSONAL_ADV_INJURY),
        ("MEDICAL", LimitCode.MED_EXP),
        ("MEDEXP", LimitCode.MED_EXP),
        ("RENTED", LimitCode.DAMAGE_TO_RENTED_PREMISES),
        ("PREMISES", LimitCode.DAMAGE_TO_RENTED_PREMISES),
    ),
    CoverageCode.AUTO: (
        ("COMBINEDSINGLE", LimitCode.COMBINED_SINGLE_LIMIT),
        ("LIABILITY", LimitCode.COMBINED_SINGLE_LIMIT),
        ("PERPERSON", LimitCode.BODILY_INJURY_PER_PERSON),
        ("PROPERTYDAMAGE", LimitCode.PROPERTY_DAMAGE),
    ),
    CoverageCode.WC_EL: (
        ("EACHEMPLOYEE", LimitCode.EL_DISEASE_EA_EMPLOYEE),
        ("POLICYLIMIT", LimitCode.EL_DISEASE_POLICY_LIMIT),
        ("ACCIDENT", LimitCode.EL_EACH_ACCIDENT),
    ),
    CoverageCode.UMBRELLA: (
        ("EACHOCCURRENCE", LimitCode.EACH_OCCURRENCE),
        ("AGGREGATE", LimitCode.AGGREGATE),
        ("RETENTION", LimitCode.RETENTION),
    ),
}
_LIMIT_WORDS[CoverageCode.EXCESS] = _LIMIT_WORDS[CoverageCode.UMBRELLA]


def _coverage(lines):
    for line in lines[:12]:
        if "DECLARATION" in line.text.upper():
            for pattern, code in _TITLES:
                if pattern.search(line.text):
                    return code
    text = " ".join(line.text for line in lines[:12])
    for pattern, code in _TITLES:
        if pattern.search(text):
            return code
    return None


def _period(lines):
    for index, line in enumerate(lines):
        if _PERIOD.search(line.text):
            following = " ".join(item.text for item in lines[index : index + 3])
            dates = find_dates(following)
            if len(dates) >= 2:
                return dates[0], dates[1]
    for line in lines:
        if re.search(r"\bfrom\b.*\bto\b", line.text, re.I):
            dates = find_dates(line.text)
            if len(dates) >= 2:
                return dates[0], dates[1]
    return None, None


def _limits(lines, coverage):
    table = _LIMIT_WORDS.get(coverage, ())
    limits = {}
    for line in lines:
        text = line.text
        if re.search(r"PREMIUM|DEDUCTIBLE", text, re.I):
            continue
        match = _AMOUNT.search(text)
        if not match:
            continue
        amount = parse_amount(match.group(0).replace(" ", ""))
        if not isinstance(amount, int):
            continue
        letters = squash(text[: match.start()] + " " + text[match.end() :])
        for words, code in table:
            if words in letters:
                limits.setdefault(code, amount)
                break
    return limits


def read_page(words, number: int, method: str = "text", confidence=None) -> DeclarationsPage:
    """The declarations printed on a page of words (see `layout.Word`)."""
    lines = group_lines([w for w in words if w.text.strip()])
    coverage = _coverage(lines)
    policy_number = None
    for line in lines:
        match = _POLICY_NUMBER.search(line.text)
        if match:
            policy_number = match.group(1).upper()
            break
    effective, expiration = _period(lines)
    if confidence is None:
        confidence = GOOD if method != "ocr" else FAIR
    return DeclarationsPage(
        page=number,
        coverage=coverage,
        policy_number=policy_number,
        effective_date=effective,
        expiration_date=expiration,
        limits=_limits(lines, coverage),
        method=method,
        confidence=round(confidence, 2),
    )


def is_declarations(page: DeclarationsPage) -> bool:
    """Whether anything of a policy was read off the page."""
    return bool(page.policy_number and (page.effective_date or page.limits))
