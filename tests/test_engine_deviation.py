"""Deviations: a COI manager accepts one vendor's item for one coverage as it
is, until a date. The item counts as compliant and says who accepted it,
until when and what instead; the day after its end it is deficient again."""

from dataclasses import replace
from datetime import date

from coi_engine import Deviation, Policy, Requirement, evaluate
from coi_engine import vocabulary as V

TODAY = date(2026, 6, 15)
GL_REQ = Requirement(
    coverage="GL",
    coverage_name="General Liability",
    key=1,
    limits={"EACH_OCCURRENCE": 1_000_000},
)
WC_REQ = Requirement(coverage="WC_EL", coverage_name="Workers' Compensation", key=2)
LOW_GL = Policy(
    coverage="GL",
    key=10,
    number="GL-1",
    effective=date(2026, 1, 1),
    expiration=date(2027, 1, 1),
    limits={"EACH_OCCURRENCE": 500_000},
)
WC = Policy(coverage="WC_EL", key=20, effective=date(2026, 1, 1), expiration=date(2027, 1, 1))
DEVIATION = Deviation(
    coverage="GL",
    key=7,
    accepted="GL each occurrence $500,000 instead of $1,000,000",
    approved_by="Dana Risk",
    since=date(2026, 6, 1),
    until=date(2026, 9, 30),
)


def test_a_live_deviation_accepts_the_item_and_the_vendor_complies():
    without = evaluate([GL_REQ, WC_REQ], [LOW_GL, WC], TODAY)
    assert without.status == V.VendorStatus.NON_COMPLIANT
    result = evaluate([GL_REQ, WC_REQ], [LOW_GL, WC], TODAY, deviations=[DEVIATION])
    assert result.status == V.VendorStatus.COMPLIANT
    gl, wc = result.lines
    assert gl.status == V.LineStatus.DEVIATION_ACCEPTED
    assert gl.status in V.LINE_IN_COMPLIANCE_STATUSES
    assert gl.status not in V.DEFICIENT_STATUSES
    assert gl.deficiencies == ()
    assert result.deficiencies == []
    assert gl.deviation == DEVIATION
    assert gl.policy == LOW_GL  # the policy is still the one shown
    assert gl.sentence == (
        "Accepted by Dana Risk until 09/30/2026: "
        "GL each occurrence $500,000 instead of $1,000,000."
    )
    assert wc.status == V.LineStatus.COMPLIANT and wc.deviation is None
    # The next calendar change is the day after the deviation's end.
    assert result.recheck_on == date(2026, 10, 1)


def test_it_ends_by_itself_after_its_last_day():
    last_day = evaluate([GL_REQ], [LOW_GL], date(2026, 9, 30), deviations=[DEVIATION])
    assert last_day.lines[0].status == V.LineStatus.DEVIATION_ACCEPTED
    after = evaluate([GL_REQ], [LOW_GL], date(2026, 10, 1), deviations=[DEVIATION])
    assert after.status == V.VendorStatus.NON_COMPLIANT
    assert after.lines[0].status == V.LineStatus.INSUFFICIENT_LIMIT
    assert "is $500,000; $1,000,000 is required" in after.lines[0].sentence
    before = evaluate([GL_REQ], [LOW_GL], date(2026, 5, 31), deviations=[DEVIATION])
    assert before.lines[0].status == V.LineStatus.INSUFFICIENT_LIMIT
    assert before.recheck_on == date(2026, 6, 1)  # the day it starts


def test_only_its_own_coverage_and_only_deficient_items():
    wc_deviation = replace(DEVIATION, coverage="WC_EL")
    result = evaluate([GL_REQ], [LOW_GL], TODAY, deviations=[wc_deviation])
    assert result.lines[0].status == V.LineStatus.INSUFFICIENT_LIMIT
    # An item that complies on its own keeps its status.
    good = replace(LOW_GL, limits={"EACH_OCCURRENCE": 1_000_000})
    result = evaluate([GL_REQ], [good], TODAY, deviations=[DEVIATION])
    assert result.lines[0].status == V.LineStatus.COMPLIANT
    assert result.lines[0].deviation is None


def test_the_longest_lasting_deviation_speaks():
    longer = replace(DEVIATION, key=8, approved_by="Lee Ops", until=date(2026, 12, 31))
    result = evaluate([GL_REQ], [LOW_GL], TODAY, deviations=[DEVIATION, longer])
    assert result.lines[0].deviation == longer
    assert result.lines[0].sentence.startswith("Accepted by Lee Ops until 12/31/2026: ")


def test_a_missing_coverage_may_be_accepted_too():
    deviation = replace(DEVIATION, coverage="WC_EL", accepted="Sole proprietor, no employees.")
    result = evaluate([WC_REQ], [], TODAY, deviations=[deviation])
    assert result.status == V.VendorStatus.COMPLIANT
    assert result.lines[0].sentence == (
        "Accepted by Dana Risk until 09/30/2026: Sole proprietor, no employees."
    )
