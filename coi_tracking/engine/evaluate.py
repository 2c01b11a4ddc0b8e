"""Compliance evaluation: requirements + policies + a date -> results.

Insurance semantics: a policy is in force from its effective date up to, but
not including, its expiration date (coverage ends at 12:01 a.m. on that
day), or its cancellation date when that comes first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from . import sentences
from .datatypes import (
    Deficiency,
    Evaluation,
    Exemption,
    LineResult,
    Policy,
    RequiredForm,
    Requirement,
)
from .vocabulary import (
    AM_BEST_RATINGS,
    COUNTED_STATES,
    DEFICIENT_STATUSES,
    ENDORSEMENTS,
    LINE_STATUSES,
    STACKABLE_LIMITS,
    STACKING_COVERAGES,
    LimitCode,
    LineStatus,
    PolicyState,
    VendorStatus,
)


def rating_rank(rating):
    """Lower is stronger; unknown ratings rank below every known one."""
    try:
        return AM_BEST_RATINGS.index((rating or "").strip().upper())
    except ValueError:
        return len(AM_BEST_RATINGS)


def merge_requirements(requirements: Iterable[Requirement]) -> list[Requirement]:
    """Several requirement sets on one vendor: one line per coverage, the
    strictest value of every term wins."""
    merged: dict[str, Requirement] = {}
    for req in requirements:
        have = merged.get(req.coverage)
        if have is None:
            keys = req.key if isinstance(req.key, tuple) else (req.key,)
            merged[req.coverage] = Requirement(**{**req.__dict__, "key": keys})
            continue
        limits = dict(have.limits)
        for code, amount in req.limits.items():
            limits[code] = max(limits.get(code, 0), amount)
        ratings = [r for r in (have.min_am_best, req.min_am_best) if r]
        merged[req.coverage] = Requirement(
            coverage=req.coverage,
            coverage_name=have.coverage_name or req.coverage_name,
            key=have.key + (req.key if isinstance(req.key, tuple) else (req.key,)),
            limits=limits,
            additional_insured=have.additional_insured or req.additional_insured,
            waiver_of_subrogation=have.waiver_of_subrogation or req.waiver_of_subrogation,
            primary_noncontributory=have.primary_noncontributory or req.primary_noncontributory,
            per_statute=have.per_statute or req.per_statute,
            min_am_best=min(ratings, key=rating_rank) if ratings else None,
            allow_stacking=have.allow_stacking and req.allow_stacking,
            expiring_days=max(have.expiring_days, req.expiring_days),
            endorsement_forms=_merge_forms(have, req),
            endorsement_equivalent=_merged_equivalent(have, req),
        )
    return list(merged.values())


def _merge_forms(have: Requirement, req: Requirement) -> tuple[RequiredForm, ...]:
    """Every form either asks for; where both accept equivalents, one form
    of each kind is enough."""
    forms = list(have.endorsement_forms)
    equivalent = _merged_equivalent(have, req)
    for form in req.endorsement_forms:
        if form in forms or (equivalent and any(f.kind == form.kind for f in forms)):
            continue
        forms.append(form)
    return tuple(forms)


def _merged_equivalent(have: Requirement, req: Requirement) -> bool:
    """Equivalents are accepted only when every set asking for forms accepts them."""
    asking = [r for r in (have, req) if r.endorsement_forms]
    return all(r.endorsement_equivalent for r in asking)


def policy_end(policy: Policy) -> date | None:
    ends = [d for d in (policy.expiration, policy.cancellation_date) if d]
    return min(ends) if ends else None


def in_force(policy: Policy, on_date: date) -> bool:
    """A policy marked expired is out of force whatever its dates say."""
    if policy.state not in (PolicyState.ACTIVE, PolicyState.CANCELLED):
        return False
    if policy.effective and policy.effective > on_date:
        return False
    end = policy_end(policy)
    return end is None or on_date < end


def _stacked_amount(policies, on_date):
    return sum(
        p.limits.get(LimitCode.EACH_OCCURRENCE, 0) or 0
        for p in policies
        if p.coverage in STACKING_COVERAGES and in_force(p, on_date)
    )


def _check_policy(req: Requirement, policy: Policy, umbrella: float) -> list[Deficiency]:
    found = []
    for code, required in req.limits.items():
        held = policy.limits.get(code)
        stacked = False
        if (
            req.allow_stacking
            and umbrella
            and code in STACKABLE_LIMITS
            and req.coverage not in STACKING_COVERAGES
        ):
            held = (held or 0) + umbrella
            stacked = True
        if held is None or held < required:
            found.append(
                Deficiency(
                    LineStatus.INSUFFICIENT_LIMIT,
                    sentences.insufficient_limit(req, code, required, held, stacked),
                    limit=code,
                    required=required,
                    held=held,
                )
            )
    if req.per_statute and not policy.per_statute:
        found.append(Deficiency(LineStatus.STATUTORY_MISSING, sentences.statutory_missing(req)))
    for endorsement in ENDORSEMENTS:
        if getattr(req, endorsement) and not getattr(policy, endorsement):
            found.append(
                Deficiency(
                    LineStatus.ENDORSEMENT_MISSING,
                    sentences.endorsement_missing(req, endorsement),
                    endorsement=endorsement,
                )
            )
    found += _check_forms(req, policy)
    if req.min_am_best and rating_rank(policy.insurer_rating) > rating_rank(req.min_am_best):
        found.append(
            Deficiency(
                LineStatus.RATING_TOO_LOW,
                sentences.rating_too_low(req, policy.insurer_rating, req.min_am_best),
            )
        )
    return found


def _check_forms(req: Requirement, policy: Policy) -> list[Deficiency]:
    """The endorsement documents the requirement asks for, against those on
    file for the policy: a form of the same kind (or the very form, when no
    equivalent is accepted) that is blanket or names the company."""
    found = []
    on_file = policy.endorsements
    for required in req.endorsement_forms:
        same_kind = [e for e in on_file if e.kind == required.kind]
        accepted = (
            same_kind
            if req.endorsement_equivalent
            else [e for e in same_kind if e.form == required.form]
        )
        if any(e.covers_us for e in accepted):
            continue
        found.append(
            Deficiency(
                LineStatus.ENDORSEMENT_MISSING,
                sentences.endorsement_form_missing(
                    req, required, accepted, same_kind, on_file, req.endorsement_equivalent
                ),
                endorsement=required.kind,
            )
        )
    return found


def _status_of(deficiencies):
    kinds = {d.kind for d in deficiencies}
    return next(s for s in LINE_STATUSES if s in kinds)


def _covered_until(req, policy, mine, policies):
    """The end of continuous, compliant cover: a renewal already on file that
    starts by the time the current policy ends takes over from it."""
    end = policy_end(policy)
    chained = True
    while end and chained:
        chained = False
        for nxt in mine:
            nxt_end = policy_end(nxt)
            starts_in_time = nxt.effective is None or nxt.effective <= end
            if starts_in_time and nxt_end and nxt_end > end:
                umbrella = _stacked_amount(policies, end) if req.allow_stacking else 0
                if not _check_policy(req, nxt, umbrella):
                    end, chained = nxt_end, True
    return end


def evaluate_line(req: Requirement, policies: list[Policy], on_date: date) -> LineResult:
    mine = [p for p in policies if p.coverage == req.coverage and p.state in COUNTED_STATES]
    current = [p for p in mine if in_force(p, on_date)]
    if current:
        umbrella = _stacked_amount(policies, on_date) if req.allow_stacking else 0
        checked = [(p, _check_policy(req, p, umbrella)) for p in current]
        # The policy that satisfies the most, then the one that lasts longest.
        policy, deficiencies = min(
            checked, key=lambda pd: (len(pd[1]), -(policy_end(pd[0]) or date.max).toordinal())
        )
        end = policy_end(policy)
        if deficiencies:
            return LineResult(req, _status_of(deficiencies), tuple(deficiencies), policy, end)
        end = _covered_until(req, policy, mine, policies)
        days_left = (end - on_date).days if end else None
        if days_left is not None and days_left <= req.expiring_days:
            warning = sentences.expiring(req, policy, days_left)
            return LineResult(req, LineStatus.EXPIRING, (), policy, end, warning)
        return LineResult(req, LineStatus.COMPLIANT, (), policy, end)

    upcoming = [p for p in mine if p.effective and p.effective > on_date]
    if upcoming:
        policy = min(upcoming, key=lambda p: p.effective)
        sentence = sentences.not_yet_effective(req, policy)
        missing = Deficiency(LineStatus.MISSING, sentence)
        return LineResult(req, LineStatus.MISSING, (missing,), policy)
    ended = [p for p in mine if policy_end(p)]
    if ended:
        policy = max(ended, key=policy_end)
        if policy.cancellation_date and policy.cancellation_date <= on_date:
            deficiency = Deficiency(LineStatus.CANCELLED, sentences.cancelled(req, policy))
        else:
            deficiency = Deficiency(LineStatus.EXPIRED, sentences.expired(req, policy))
        return LineResult(req, deficiency.kind, (deficiency,), policy, policy_end(policy))
    missing = Deficiency(LineStatus.MISSING, sentences.missing(req))
    return LineResult(req, LineStatus.MISSING, (missing,))


def accept_deviation(line: LineResult, deviations: list, on_date: date) -> LineResult:
    """A deficient line that a deviation (`datatypes.Deviation`) live on
    `on_date` covers (same coverage) is accepted as it is: it counts as
    compliant and says who accepted it, until when, and what instead. The
    longest-lasting deviation wins; a line that complies on its own keeps its
    status."""
    if not line.deficiencies:
        return line
    live = [d for d in deviations if d.coverage == line.requirement.coverage and d.live_on(on_date)]
    if not live:
        return line
    deviation = max(live, key=lambda d: d.until or date.max)
    return LineResult(
        line.requirement,
        LineStatus.DEVIATION_ACCEPTED,
        (),
        line.policy,
        line.expiration,
        sentences.deviation_accepted(deviation),
        deviation,
    )


def evaluate(
    requirements: Iterable[Requirement],
    policies: Iterable[Policy],
    on_date: date,
    exemption: Exemption | None = None,
    pending_review: bool = False,
    deviations: Iterable = (),
) -> Evaluation:
    """The one door of the engine for compliance.

    `requirements` may come from several sets: they are merged first.
    `pending_review` says a received certificate awaits a person: a vendor
    that does not comply yet is then "pending review" rather than
    "non-compliant". `deviations`: items a COI manager accepted as they are.
    """
    policies = list(policies)
    deviations = list(deviations)
    merged = merge_requirements(requirements)
    lines = tuple(
        accept_deviation(evaluate_line(req, policies, on_date), deviations, on_date)
        for req in merged
    )
    ends = [line.expiration for line in lines if line.policy and in_force(line.policy, on_date)]
    common = {
        "lines": lines,
        "next_expiry": min(ends) if ends else None,
        "recheck_on": recheck_date(merged, policies, on_date, exemption, deviations),
    }
    if exemption and (exemption.until is None or on_date <= exemption.until):
        return Evaluation(VendorStatus.EXEMPT, reason=exemption.reason, **common)
    if not merged:
        return Evaluation(VendorStatus.NOT_REQUIRED, **common)
    if any(line.status in DEFICIENT_STATUSES for line in lines):
        status = VendorStatus.PENDING_REVIEW if pending_review else VendorStatus.NON_COMPLIANT
        return Evaluation(status, **common)
    if any(line.status == LineStatus.EXPIRING for line in lines):
        return Evaluation(VendorStatus.EXPIRING, **common)
    return Evaluation(VendorStatus.COMPLIANT, **common)


def recheck_date(requirements, policies, on_date, exemption=None, deviations=()):
    """The earliest later day on which the calendar alone may change the
    result: a policy starting or ending, entering its expiring window, an
    exemption or a deviation starting or ending. None when nothing is
    scheduled."""
    window = max((req.expiring_days for req in requirements), default=0)
    days = []
    for policy in policies:
        if policy.state not in COUNTED_STATES:
            continue
        end = policy_end(policy)
        days += [policy.effective, end, end and end - timedelta(days=window)]
    if exemption and exemption.until:
        days.append(exemption.until + timedelta(days=1))
    for deviation in deviations:
        days += [deviation.since, deviation.until and deviation.until + timedelta(days=1)]
    later = [d for d in days if d and d > on_date]
    return min(later) if later else None
