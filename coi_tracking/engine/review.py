"""The review rules: when a certificate read by the reader is accepted on
its own, and otherwise why a person must look at it.

A certificate is accepted on its own only when every policy on it was read
with its number and dates, every value with good confidence, the insured is
the vendor, and every limit the vendor's requirements ask for was read."""

from __future__ import annotations

from dataclasses import dataclass, field

from .extract.model import GOOD, Coverage, Extraction

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
) -> Review:
    """Apply the review rules to one extraction.

    `coverage_names`: {coverage code: name} of the coverages the suite knows
    (an unknown code is read as OTHER); `required_limits`: {coverage code:
    {limit code: limit name}} the vendor's requirements ask for;
    `known_limits`: the limit codes the suite records."""
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
