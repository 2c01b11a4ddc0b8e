"""Plain data the compliance engine reads and writes (no Odoo here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Canonical limit codes, as on the ACORD 25 form.
LIMIT_LABELS = {
    "EACH_OCCURRENCE": "each occurrence",
    "DAMAGE_TO_RENTED_PREMISES": "damage to rented premises",
    "MED_EXP": "medical expense",
    "PERSONAL_ADV_INJURY": "personal and advertising injury",
    "GENERAL_AGGREGATE": "general aggregate",
    "PRODUCTS_COMP_OP_AGG": "products and completed operations aggregate",
    "COMBINED_SINGLE_LIMIT": "combined single limit",
    "BODILY_INJURY_PER_PERSON": "bodily injury per person",
    "BODILY_INJURY_PER_ACCIDENT": "bodily injury per accident",
    "PROPERTY_DAMAGE": "property damage",
    "AGGREGATE": "aggregate",
    "RETENTION": "retention",
    "EL_EACH_ACCIDENT": "employers' liability each accident",
    "EL_DISEASE_EA_EMPLOYEE": "employers' liability disease, each employee",
    "EL_DISEASE_POLICY_LIMIT": "employers' liability disease, policy limit",
}

# Per-occurrence limits of underlying policies that umbrella and excess
# policies may add to, when the requirement allows stacking.
STACKABLE_LIMITS = ("EACH_OCCURRENCE", "COMBINED_SINGLE_LIMIT", "EL_EACH_ACCIDENT")
STACKING_COVERAGES = ("UMBRELLA", "EXCESS")

ENDORSEMENTS = {
    "additional_insured": "additional insured",
    "waiver_of_subrogation": "waiver of subrogation",
    "primary_noncontributory": "primary and non-contributory",
}

# AM Best financial strength ratings, strongest first.
AM_BEST_RATINGS = (
    "A++",
    "A+",
    "A",
    "A-",
    "B++",
    "B+",
    "B",
    "B-",
    "C++",
    "C+",
    "C",
    "C-",
    "D",
    "E",
    "F",
)

# Requirement line results, most serious first: a line showing several
# deficiencies takes the status of the most serious one.
LINE_STATUSES = (
    "cancelled",
    "expired",
    "missing",
    "insufficient_limit",
    "statutory_missing",
    "endorsement_missing",
    "rating_too_low",
    "expiring",
    "compliant",
)
DEFICIENT_STATUSES = LINE_STATUSES[:-2]

VENDOR_STATUSES = (
    "compliant",
    "expiring",
    "non_compliant",
    "pending_review",
    "not_required",
    "exempt",
)


@dataclass(frozen=True)
class Requirement:
    """What one kind of coverage must show. `key` identifies the line for the
    caller (a record id, a name); after merging it is a tuple of the keys."""

    coverage: str
    coverage_name: str = ""
    key: object = None
    limits: dict[str, float] = field(default_factory=dict)
    additional_insured: bool = False
    waiver_of_subrogation: bool = False
    primary_noncontributory: bool = False
    per_statute: bool = False
    min_am_best: str | None = None
    allow_stacking: bool = False
    expiring_days: int = 30


@dataclass(frozen=True)
class Policy:
    coverage: str
    key: object = None
    number: str = ""
    effective: date | None = None
    expiration: date | None = None
    limits: dict[str, float] = field(default_factory=dict)
    additional_insured: bool = False
    waiver_of_subrogation: bool = False
    primary_noncontributory: bool = False
    per_statute: bool = False
    insurer_rating: str | None = None
    state: str = "active"  # draft, active, expired, cancelled, replaced
    cancellation_date: date | None = None


@dataclass(frozen=True)
class Exemption:
    reason: str = ""
    until: date | None = None


@dataclass(frozen=True)
class Deficiency:
    kind: str  # one of DEFICIENT_STATUSES
    sentence: str
    limit: str | None = None
    required: float | None = None
    held: float | None = None
    endorsement: str | None = None


@dataclass(frozen=True)
class LineResult:
    requirement: Requirement
    status: str
    deficiencies: tuple[Deficiency, ...] = ()
    policy: Policy | None = None
    expiration: date | None = None
    warning: str = ""  # not a deficiency: "expires in 12 days"

    @property
    def sentence(self):
        return " ".join(d.sentence for d in self.deficiencies) or self.warning


@dataclass(frozen=True)
class Evaluation:
    status: str
    lines: tuple[LineResult, ...] = ()
    next_expiry: date | None = None
    reason: str = ""
    # The first day after `on_date` on which the result may change by the
    # calendar alone (an expiry, a policy starting, an exemption ending).
    recheck_on: date | None = None

    @property
    def deficiencies(self):
        return [d for line in self.lines for d in line.deficiencies]
