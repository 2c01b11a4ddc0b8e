"""Values checked the way a reviewer checks them: dates in a sane range,
effective before expiration, NAIC numbers of five digits, limits that are
round amounts, insurer letters that the certificate lists.

A value that fails a check keeps its place in the extraction (nothing is
invented, nothing dropped); its confidence is lowered to `LOW` and a
warning says why, so the review rules (`engine/review.py`) send the
certificate to a person.
"""

from __future__ import annotations

import re
from datetime import date

from .model import LOW, Coverage, Extraction

EARLIEST_YEAR = 1990  # no certificate on file speaks of a policy older than this
YEARS_AHEAD = 6  # a policy may start or end this many years from today, not more
LONGEST_TERM_DAYS = 5 * 366 + 31  # a five-year policy, and a month's extension
LARGEST_LIMIT = 500_000_000
LETTERS = "ABCDEF"


def parse_date(value) -> date | None:
    """An ISO date string as a `date`; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def date_problem(value, today: date) -> str | None:
    """Why a read date is not plausible, or None."""
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        return f"{value!r} is not a date"
    if parsed.year < EARLIEST_YEAR:
        return f"{value} is before {EARLIEST_YEAR}"
    if parsed.year > today.year + YEARS_AHEAD:
        return f"{value} is more than {YEARS_AHEAD} years ahead"
    return None


def term_problem(effective, expiration) -> str | None:
    """Why a policy period is not plausible (expiration not after
    effective, or longer than any policy runs), or None."""
    start, end = parse_date(effective), parse_date(expiration)
    if start is None or end is None:
        return None
    if end <= start:
        return f"the policy expires ({expiration}) before it takes effect ({effective})"
    if (end - start).days > LONGEST_TERM_DAYS:
        return f"the policy runs from {effective} to {expiration}, longer than five years"
    return None


def naic_problem(value) -> str | None:
    """An NAIC company code is five digits."""
    if value in (None, ""):
        return None
    if not re.fullmatch(r"\d{5}", str(value).strip()):
        return f"NAIC {value!r} is not five digits"
    return None


def is_round_amount(amount: int) -> bool:
    """Limits are round: whole thousands, or whole hundreds below ten
    thousand (a $500 deductible, a $2,500 medical expense limit)."""
    if amount <= 0 or amount > LARGEST_LIMIT:
        return False
    if amount % 1000 == 0:
        return True
    return amount < 10_000 and amount % 100 == 0


def limit_problems(limits: dict) -> list[str]:
    """The limits that are not round amounts ("Included" and other words pass)."""
    return [
        f"{code} {amount:,} is not a round amount"
        for code, amount in limits.items()
        if isinstance(amount, int) and not isinstance(amount, bool) and not is_round_amount(amount)
    ]


def letter_problem(letter, insurers: dict) -> str | None:
    """An insurer letter names one of the certificate's insurers A-F. When
    no insurer was read at all the letter cannot be checked (the insurers'
    block was missed, not the letter): it passes."""
    if letter in (None, ""):
        return None
    if letter not in LETTERS:
        return f"insurer letter {letter!r} is not one of A-F"
    if insurers and letter not in insurers:
        listed = ", ".join(sorted(insurers))
        return f"insurer {letter} is not listed on the certificate (listed: {listed})"
    return None


def coverage_problems(coverage: Coverage, insurers: dict, today: date) -> dict[str, str]:
    """{confidence key: why} for one coverage."""
    problems = {}
    for key in ("effective_date", "expiration_date"):
        reason = date_problem(getattr(coverage, key), today)
        if reason:
            problems[key] = reason
    if not problems:
        reason = term_problem(coverage.effective_date, coverage.expiration_date)
        if reason:
            problems["effective_date"] = problems["expiration_date"] = reason
    reasons = limit_problems(coverage.limits)
    if reasons:
        problems["limits"] = "; ".join(reasons)
    reason = letter_problem(coverage.insurer_letter, insurers)
    if reason:
        problems["insurer_letter"] = reason
    return problems


def _lower(confidence: dict, key: str):
    confidence[key] = min(confidence.get(key, LOW), LOW)


def check(result: Extraction, today: date | None = None) -> Extraction:
    """Lower the confidence of every implausible value of `result` (in
    place, and returned), with a warning for each: the certificate's
    values, and the period and limits of the declarations pages read."""
    today = today or date.today()
    reason = date_problem(result.certificate_date, today)
    if reason:
        _lower(result.confidence, "certificate_date")
        result.warnings.append(f"Certificate date: {reason}; check it.")
    for letter, insurer in result.insurers.items():
        reason = naic_problem((insurer or {}).get("naic"))
        if reason:
            _lower(result.confidence, f"insurers.{letter}")
            result.warnings.append(f"Insurer {letter}: {reason}; check it.")
    for coverage in result.coverages:
        problems = coverage_problems(coverage, result.insurers, today)
        for key in problems:
            _lower(coverage.confidence, key)
        for reason in dict.fromkeys(problems.values()):
            result.warnings.append(f"{coverage.type}: {reason}; check it.")
    for page in result.declarations:
        reasons = [
            reason
            for value in (page.effective_date, page.expiration_date)
            if (reason := date_problem(value, today))
        ]
        reasons = reasons or [term_problem(page.effective_date, page.expiration_date)]
        reasons = [r for r in reasons if r] + limit_problems(page.limits)
        if reasons:
            page.confidence = min(page.confidence, LOW)
            result.warnings.append(
                f"Declarations page {page.page}: {'; '.join(reasons)}; check it."
            )
    return result
