"""Compliance engine: every status and deficiency kind, stacking, merging of
sets, exemptions and the boundaries (expiry today, limit exactly equal)."""

from dataclasses import replace
from datetime import date

import pytest
from coi_engine import Exemption, Policy, Requirement, evaluate, merge_requirements

TODAY = date(2026, 6, 15)

GL_REQ = Requirement(
    coverage="GL",
    coverage_name="General Liability",
    key=1,
    limits={"EACH_OCCURRENCE": 1_000_000, "GENERAL_AGGREGATE": 2_000_000},
    additional_insured=True,
    expiring_days=30,
)
GL_POLICY = Policy(
    coverage="GL",
    key=10,
    number="GL-1",
    effective=date(2026, 1, 1),
    expiration=date(2027, 1, 1),
    limits={"EACH_OCCURRENCE": 1_000_000, "GENERAL_AGGREGATE": 2_000_000},
    additional_insured=True,
    insurer_rating="A",
)
WC_REQ = Requirement(
    coverage="WC_EL",
    coverage_name="Workers' Compensation",
    key=2,
    limits={"EL_EACH_ACCIDENT": 1_000_000},
    per_statute=True,
    waiver_of_subrogation=True,
)
WC_POLICY = Policy(
    coverage="WC_EL",
    key=20,
    number="WC-9",
    effective=date(2026, 1, 1),
    expiration=date(2027, 1, 1),
    limits={"EL_EACH_ACCIDENT": 1_000_000},
    per_statute=True,
    waiver_of_subrogation=True,
)


def one_line(req, policies, on_date=TODAY):
    result = evaluate([req], policies, on_date)
    assert len(result.lines) == 1
    return result, result.lines[0]


@pytest.mark.parametrize(
    ("case", "policy_change", "line_status", "vendor_status", "sentence"),
    [
        ("compliant", {}, "compliant", "compliant", ""),
        (
            "limit exactly equal is enough",
            {"limits": {"EACH_OCCURRENCE": 1_000_000, "GENERAL_AGGREGATE": 2_000_000}},
            "compliant",
            "compliant",
            "",
        ),
        (
            "limit one dollar short",
            {"limits": {"EACH_OCCURRENCE": 999_999, "GENERAL_AGGREGATE": 2_000_000}},
            "insufficient_limit",
            "non_compliant",
            "General Liability each occurrence is $999,999; $1,000,000 is required.",
        ),
        (
            "limit not shown",
            {"limits": {"EACH_OCCURRENCE": 1_000_000}},
            "insufficient_limit",
            "non_compliant",
            "General Liability general aggregate is not shown; $2,000,000 is required.",
        ),
        (
            "additional insured missing",
            {"additional_insured": False},
            "endorsement_missing",
            "non_compliant",
            "General Liability must name us as additional insured.",
        ),
        (
            "expires in 30 days: expiring",
            {"expiration": date(2026, 7, 15)},
            "expiring",
            "expiring",
            "General Liability policy GL-1 expires on 07/15/2026, in 30 days.",
        ),
        (
            "expires in 31 days: still compliant",
            {"expiration": date(2026, 7, 16)},
            "compliant",
            "compliant",
            "",
        ),
        (
            "expires tomorrow: expiring",
            {"expiration": date(2026, 6, 16)},
            "expiring",
            "expiring",
            "General Liability policy GL-1 expires on 06/16/2026, in 1 day.",
        ),
        (
            "expiration date is today: coverage ended at 12:01 a.m.",
            {"expiration": TODAY},
            "expired",
            "non_compliant",
            "General Liability policy GL-1 expired on 06/15/2026; send the renewal.",
        ),
        (
            "expired last year",
            {"effective": date(2025, 1, 1), "expiration": date(2026, 1, 1), "state": "expired"},
            "expired",
            "non_compliant",
            "General Liability policy GL-1 expired on 01/01/2026; send the renewal.",
        ),
        (
            "cancelled",
            {"state": "cancelled", "cancellation_date": date(2026, 5, 1)},
            "cancelled",
            "non_compliant",
            "General Liability policy GL-1 was cancelled on 05/01/2026.",
        ),
        (
            "cancellation takes effect later: in force until then, expiring",
            {"state": "cancelled", "cancellation_date": date(2026, 6, 20)},
            "expiring",
            "expiring",
            "General Liability policy GL-1 expires on 01/01/2027, in 5 days.",
        ),
        (
            "starts next month",
            {"effective": date(2026, 7, 1)},
            "missing",
            "non_compliant",
            "General Liability policy GL-1 only starts on 07/01/2026.",
        ),
        (
            "effective today counts",
            {"effective": TODAY},
            "compliant",
            "compliant",
            "",
        ),
        ("draft policy does not count", {"state": "draft"}, "missing", "non_compliant", None),
        ("replaced policy does not count", {"state": "replaced"}, "missing", "non_compliant", None),
    ],
)
def test_general_liability_cases(case, policy_change, line_status, vendor_status, sentence):
    result, line = one_line(GL_REQ, [replace(GL_POLICY, **policy_change)])
    assert line.status == line_status, case
    assert result.status == vendor_status, case
    if sentence is not None:
        assert line.sentence == sentence, case


def test_missing_policy_sentence():
    result, line = one_line(GL_REQ, [])
    assert (line.status, result.status) == ("missing", "non_compliant")
    assert line.sentence == "No General Liability policy is on file; one is required."
    assert result.next_expiry is None


def test_workers_comp_statutory_and_waiver():
    _, line = one_line(WC_REQ, [WC_POLICY])
    assert line.status == "compliant"
    _, line = one_line(WC_REQ, [replace(WC_POLICY, per_statute=False)])
    assert line.status == "statutory_missing"
    assert line.sentence == "Workers' Compensation must show statutory limits (per statute)."
    _, line = one_line(WC_REQ, [replace(WC_POLICY, waiver_of_subrogation=False)])
    assert line.status == "endorsement_missing"
    assert line.sentence == "Workers' Compensation must include waiver of subrogation."


def test_primary_noncontributory_endorsement():
    req = replace(GL_REQ, primary_noncontributory=True)
    _, line = one_line(req, [GL_POLICY])
    assert line.status == "endorsement_missing"
    assert line.deficiencies[0].endorsement == "primary_noncontributory"
    _, line = one_line(req, [replace(GL_POLICY, primary_noncontributory=True)])
    assert line.status == "compliant"


@pytest.mark.parametrize(
    ("rating", "status"),
    [
        ("A-", "compliant"),
        ("A++", "compliant"),
        ("B++", "rating_too_low"),
        (None, "rating_too_low"),
    ],
)
def test_am_best_minimum(rating, status):
    req = replace(GL_REQ, min_am_best="A-")
    _, line = one_line(req, [replace(GL_POLICY, insurer_rating=rating)])
    assert line.status == status
    if rating is None:
        assert "rating is unknown; A- or better is required" in line.sentence


def test_most_serious_deficiency_names_the_line_and_all_are_listed():
    policy = replace(
        GL_POLICY,
        limits={"EACH_OCCURRENCE": 500_000, "GENERAL_AGGREGATE": 2_000_000},
        additional_insured=False,
    )
    result, line = one_line(GL_REQ, [policy])
    assert line.status == "insufficient_limit"
    assert [d.kind for d in line.deficiencies] == ["insufficient_limit", "endorsement_missing"]
    assert line.deficiencies[0].required == 1_000_000
    assert line.deficiencies[0].held == 500_000
    assert len(result.deficiencies) == 2


UMBRELLA = Policy(
    coverage="UMBRELLA",
    key=30,
    number="UMB-1",
    effective=date(2026, 1, 1),
    expiration=date(2027, 1, 1),
    limits={"EACH_OCCURRENCE": 4_000_000, "AGGREGATE": 4_000_000},
)


def test_umbrella_stacks_on_each_occurrence_when_allowed():
    req = replace(GL_REQ, limits={"EACH_OCCURRENCE": 5_000_000}, allow_stacking=True)
    _, line = one_line(req, [GL_POLICY, UMBRELLA])
    assert line.status == "compliant"


def test_umbrella_does_not_stack_when_not_allowed():
    req = replace(GL_REQ, limits={"EACH_OCCURRENCE": 5_000_000}, allow_stacking=False)
    _, line = one_line(req, [GL_POLICY, UMBRELLA])
    assert line.status == "insufficient_limit"
    assert (
        line.sentence == "General Liability each occurrence is $1,000,000; $5,000,000 is required."
    )


def test_stacking_is_short_and_says_so():
    req = replace(GL_REQ, limits={"EACH_OCCURRENCE": 6_000_000}, allow_stacking=True)
    _, line = one_line(req, [GL_POLICY, UMBRELLA])
    assert line.status == "insufficient_limit"
    assert line.deficiencies[0].held == 5_000_000
    assert "(with umbrella/excess) is $5,000,000; $6,000,000" in line.sentence


def test_expired_umbrella_does_not_stack():
    req = replace(GL_REQ, limits={"EACH_OCCURRENCE": 5_000_000}, allow_stacking=True)
    old = replace(UMBRELLA, expiration=date(2026, 6, 1))
    _, line = one_line(req, [GL_POLICY, old])
    assert line.status == "insufficient_limit"


def test_umbrella_does_not_stack_on_aggregates():
    req = replace(GL_REQ, limits={"GENERAL_AGGREGATE": 5_000_000}, allow_stacking=True)
    _, line = one_line(req, [GL_POLICY, UMBRELLA])
    assert line.status == "insufficient_limit"


def test_renewal_wins_over_the_expired_policy():
    old = replace(GL_POLICY, key=1, effective=date(2025, 1, 1), expiration=date(2026, 1, 1))
    result, line = one_line(GL_REQ, [old, GL_POLICY])
    assert line.status == "compliant"
    assert line.policy.key == GL_POLICY.key
    assert result.next_expiry == date(2027, 1, 1)


def test_best_of_two_current_policies_is_kept():
    weak = replace(GL_POLICY, key=11, limits={"EACH_OCCURRENCE": 1})
    _, line = one_line(GL_REQ, [weak, GL_POLICY])
    assert line.status == "compliant"
    assert line.policy.key == GL_POLICY.key


def test_merge_strictest_wins():
    standard = Requirement(
        coverage="GL",
        key="standard",
        limits={"EACH_OCCURRENCE": 1_000_000, "GENERAL_AGGREGATE": 2_000_000},
        additional_insured=True,
        min_am_best="B++",
        allow_stacking=True,
        expiring_days=30,
    )
    high_risk = Requirement(
        coverage="GL",
        key="high",
        limits={"EACH_OCCURRENCE": 2_000_000, "PRODUCTS_COMP_OP_AGG": 2_000_000},
        waiver_of_subrogation=True,
        min_am_best="A-",
        allow_stacking=False,
        expiring_days=45,
    )
    auto = Requirement(coverage="AUTO", key="auto", limits={"COMBINED_SINGLE_LIMIT": 1_000_000})
    merged = {r.coverage: r for r in merge_requirements([standard, high_risk, auto])}
    gl = merged["GL"]
    assert gl.key == ("standard", "high")
    assert gl.limits == {
        "EACH_OCCURRENCE": 2_000_000,
        "GENERAL_AGGREGATE": 2_000_000,
        "PRODUCTS_COMP_OP_AGG": 2_000_000,
    }
    assert gl.additional_insured and gl.waiver_of_subrogation
    assert gl.min_am_best == "A-"
    assert gl.allow_stacking is False
    assert gl.expiring_days == 45
    assert merged["AUTO"].key == ("auto",)


def test_merged_sets_evaluate_once_per_coverage():
    stricter = replace(GL_REQ, key=99, limits={"EACH_OCCURRENCE": 2_000_000})
    result = evaluate([GL_REQ, stricter], [GL_POLICY], TODAY)
    assert len(result.lines) == 1
    assert result.lines[0].status == "insufficient_limit"
    assert result.lines[0].requirement.key == (1, 99)


def test_no_requirements_means_not_required():
    result = evaluate([], [GL_POLICY], TODAY)
    assert result.status == "not_required"
    assert result.lines == ()


@pytest.mark.parametrize(
    ("until", "status"),
    [(None, "exempt"), (TODAY, "exempt"), (date(2026, 6, 14), "non_compliant")],
)
def test_exemption_until_its_end_date(until, status):
    result = evaluate([GL_REQ], [], TODAY, exemption=Exemption("Owner's crew", until))
    assert result.status == status
    assert result.lines[0].status == "missing"  # the checklist still says what is missing


def test_pending_review_when_not_compliant_and_a_certificate_waits():
    assert evaluate([GL_REQ], [], TODAY, pending_review=True).status == "pending_review"
    # A compliant vendor stays compliant while a new certificate waits.
    assert evaluate([GL_REQ], [GL_POLICY], TODAY, pending_review=True).status == "compliant"


def test_vendor_status_is_worst_line_and_next_expiry_is_earliest():
    wc = replace(WC_POLICY, expiration=date(2026, 7, 1))
    result = evaluate([GL_REQ, WC_REQ], [GL_POLICY, wc], TODAY)
    assert [line.status for line in result.lines] == ["compliant", "expiring"]
    assert result.status == "expiring"
    assert result.next_expiry == date(2026, 7, 1)
    result = evaluate([GL_REQ, WC_REQ], [GL_POLICY], TODAY)
    assert result.status == "non_compliant"
    assert [d.kind for d in result.deficiencies] == ["missing"]


def test_recheck_date_is_the_next_calendar_change():
    # GL ends 2027-01-01, its 30-day window opens 2026-12-02; WC starts 2026-07-01.
    wc = replace(WC_POLICY, effective=date(2026, 7, 1))
    result = evaluate([GL_REQ, WC_REQ], [GL_POLICY, wc], TODAY)
    assert result.recheck_on == date(2026, 7, 1)
    result = evaluate([GL_REQ], [GL_POLICY], TODAY)
    assert result.recheck_on == date(2026, 12, 2)
    exempt = evaluate([GL_REQ], [GL_POLICY], TODAY, exemption=Exemption("x", date(2026, 6, 30)))
    assert exempt.recheck_on == date(2026, 7, 1)
    assert evaluate([GL_REQ], [], TODAY).recheck_on is None


def test_renewal_on_file_is_not_expiring():
    old = replace(GL_POLICY, key=1, effective=date(2025, 7, 1), expiration=date(2026, 7, 1))
    renewal = replace(GL_POLICY, key=2, effective=date(2026, 7, 1), expiration=date(2027, 7, 1))
    result, line = one_line(GL_REQ, [old, renewal])
    assert line.status == "compliant"
    assert line.policy.key == 1
    assert line.expiration == date(2027, 7, 1)
    assert result.next_expiry == date(2027, 7, 1)
    # A renewal that falls short does not carry the cover on.
    weak = replace(renewal, additional_insured=False)
    _, line = one_line(GL_REQ, [old, weak])
    assert line.status == "expiring"


def test_policy_marked_expired_is_out_of_force_whatever_its_dates():
    _, line = one_line(GL_REQ, [replace(GL_POLICY, state="expired")])
    assert line.status == "expired"
