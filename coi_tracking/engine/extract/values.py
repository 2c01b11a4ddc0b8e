"""Reading the values printed on certificates: amounts, dates, marks."""

from __future__ import annotations

import re
from datetime import date

_AMOUNT = re.compile(r"^\$?\s*(\d{1,3}(?:[,.\s]\d{3})+|\d+)(?:\.\d{2})?\s*([KkMm])?$")
_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})\b")


def parse_amount(text: str | None) -> int | str | None:
    """ "$1,000,000", "1,000,000", "$ 1000000", "1M", "500K" -> int;
    "Included" / "Incl" -> "Included"; anything else -> None."""
    if not text:
        return None
    cleaned = text.strip().replace("USD", "").strip(" :")
    if not cleaned:
        return None
    if re.fullmatch(r"(?i)incl(uded|\.)?", cleaned):
        return "Included"
    match = _AMOUNT.match(cleaned.replace("$ ", "$"))
    if not match:
        return None
    number = int(re.sub(r"[,.\s]", "", match.group(1)))
    suffix = (match.group(2) or "").upper()
    if suffix == "M":
        number *= 1_000_000
    elif suffix == "K":
        number *= 1_000
    return number


def parse_date(text: str | None) -> str | None:
    """M/D/YYYY, MM/DD/YY (US order) -> ISO date string, or None."""
    if not text:
        return None
    match = _DATE.search(text)
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[str]:
    return [d for d in (parse_date(m.group(0)) for m in _DATE.finditer(text)) if d]


def parse_mark(text: str | None) -> bool | None:
    """X / Y / Yes / checked -> True; N / No -> False; blank -> None."""
    if text is None:
        return None
    value = str(text).strip().strip("/").upper()
    if value in ("X", "Y", "YES", "ON", "1", "TRUE", "✓", "✔"):
        return True
    if value in ("N", "NO", "OFF", "0", "FALSE"):
        return False
    return None


def squash(text: str) -> str:
    """Letters only, upper case: "E.L. DISEASE - EA EMPLOYEE" -> "ELDISEASEEAEMPLOYEE"."""
    return re.sub(r"[^A-Z]", "", text.upper())
