"""Plain data the compliance engine reads and writes (no Odoo here); the
codes it holds are those of `vocabulary`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .vocabulary import PolicyState


@dataclass(frozen=True)
class RequiredForm:
    """An endorsement document a requirement asks for: its kind
    (`vocabulary.EndorsementKind`) and the form named ("CG 20 37"), which is
    the example given, or the one form accepted when no equivalent is."""

    kind: str
    form: str = ""


@dataclass(frozen=True)
class EndorsementOnFile:
    """An endorsement document received (and accepted) for a policy.
    `blanket`: it covers whoever a written contract names; `names_us`: it
    schedules the company by name."""

    kind: str
    form: str = ""
    edition: str = ""
    blanket: bool = False
    names_us: bool = False
    names: tuple[str, ...] = ()

    @property
    def covers_us(self):
        """A scheduled endorsement protects only the organizations it names."""
        return self.blanket or self.names_us


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
    # Endorsement documents required; with `endorsement_equivalent` any form
    # of the same kind will do, else the very forms named.
    endorsement_forms: tuple[RequiredForm, ...] = ()
    endorsement_equivalent: bool = True


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
    state: str = PolicyState.ACTIVE  # one of vocabulary.POLICY_STATES
    cancellation_date: date | None = None
    endorsements: tuple[EndorsementOnFile, ...] = ()


@dataclass(frozen=True)
class Exemption:
    reason: str = ""
    until: date | None = None


@dataclass(frozen=True)
class Deviation:
    """A COI manager accepted one vendor's item for one coverage as it is,
    from `since` to `until` (both included): `accepted` says what is
    accepted instead of the requirement, `approved_by` who decided."""

    coverage: str
    key: object = None
    accepted: str = ""
    approved_by: str = ""
    since: date | None = None
    until: date | None = None

    def live_on(self, on_date: date) -> bool:
        return (self.since is None or self.since <= on_date) and (
            self.until is None or on_date <= self.until
        )


@dataclass(frozen=True)
class Deficiency:
    kind: str  # one of vocabulary.DEFICIENT_STATUSES
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
    deviation: Deviation | None = None  # the deviation that accepted a deficient item

    @property
    def sentence(self):
        return " ".join(d.sentence for d in self.deficiencies) or self.warning

    @property
    def parts(self):
        """How `sentence` was made, to say it again in another language: a
        list of [code, params], one per sentence; empty when a sentence has
        no code (then only the English text exists)."""
        said = [d.sentence for d in self.deficiencies] or ([self.warning] if self.warning else [])
        if not said or not all(hasattr(s, "code") for s in said):
            return []
        return [[s.code, dict(s.params)] for s in said]


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
