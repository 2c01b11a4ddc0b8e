"""Requests for certificates and their chase (issue 16): who is asked, when a
request cycle opens and closes, the log's stage names per cycle, why a bulk
request skips a vendor, and the sentence "Run Manually" shows."""

from datetime import date, timedelta

import pytest
from coi_engine import requests, schedule
from coi_engine.vocabulary import NoticeKind, RequestSkip, VendorStatus


@pytest.mark.parametrize(
    ("old", "new", "asked"),
    [
        (False, VendorStatus.NON_COMPLIANT, True),  # first evaluation, nothing on file
        (VendorStatus.NOT_REQUIRED, VendorStatus.NON_COMPLIANT, True),  # a set now applies
        (VendorStatus.EXEMPT, VendorStatus.NON_COMPLIANT, True),  # exemption ended
        (VendorStatus.COMPLIANT, VendorStatus.NON_COMPLIANT, False),  # expiry notices do it
        (False, VendorStatus.COMPLIANT, False),
        (False, VendorStatus.PENDING_REVIEW, False),  # something is being reviewed
        (False, VendorStatus.NOT_REQUIRED, False),
    ],
)
def test_a_vendor_becoming_tracked_without_cover_is_asked(old, new, asked):
    assert requests.becomes_requestable(old, new) is asked


def test_the_chase_waits_during_review_and_stops_once_covered():
    assert requests.chase_due(VendorStatus.NON_COMPLIANT)
    assert not requests.chase_due(VendorStatus.PENDING_REVIEW)
    for status in (
        VendorStatus.COMPLIANT,
        VendorStatus.EXPIRING,
        VendorStatus.EXEMPT,
        VendorStatus.NOT_REQUIRED,
    ):
        assert not requests.chase_due(status)
        assert requests.closes_cycle(status)
    assert not requests.closes_cycle(VendorStatus.PENDING_REVIEW)
    assert not requests.closes_cycle(VendorStatus.NON_COMPLIANT)


@pytest.mark.parametrize(
    ("status", "kwargs", "reason"),
    [
        (VendorStatus.NON_COMPLIANT, {}, None),
        (False, {}, RequestSkip.NOT_TRACKED),
        (VendorStatus.NOT_REQUIRED, {}, RequestSkip.NOT_TRACKED),
        (VendorStatus.EXEMPT, {}, RequestSkip.EXEMPT),
        (VendorStatus.COMPLIANT, {}, RequestSkip.SATISFIED),
        (VendorStatus.EXPIRING, {}, RequestSkip.SATISFIED),
        (VendorStatus.PENDING_REVIEW, {}, RequestSkip.PENDING_REVIEW),
        (VendorStatus.NON_COMPLIANT, {"open_cycle": True}, RequestSkip.ALREADY_REQUESTED),
        (VendorStatus.NON_COMPLIANT, {"has_recipient": False}, RequestSkip.NO_EMAIL),
        # Exempt and without email: the exemption is the reason told.
        (VendorStatus.EXEMPT, {"has_recipient": False}, RequestSkip.EXEMPT),
    ],
)
def test_why_a_bulk_request_skips_a_vendor(status, kwargs, reason):
    assert requests.skip_reason(status, **kwargs) == reason


def test_each_cycle_has_its_own_stages():
    first = requests.cycle_stage(12, 1)
    assert first == "v12:1:first"
    assert requests.cycle_stage(12, 2, "c7") == "v12:2:c7"
    assert requests.cycle_stage(12, 1, "c7") != requests.cycle_stage(12, 2, "c7")
    assert requests.stage_step("v12:2:c7") == "c7"
    assert requests.stage_step(first) == schedule.REQUEST_STAGE


def test_a_cycle_chased_daily_sends_each_step_once_then_escalates():
    """A daily run over a month after the request, keeping a log of the
    steps sent as `coi.notice` does: c3, c7, c14, each once; only the last
    escalates."""
    cadence = schedule.parse_cadence("3,7,14")
    requested = date(2026, 3, 2)
    log, sent = set(), {}
    for offset in range(31):
        day = requested + timedelta(days=offset)
        step = schedule.chase_stage(requested, day, cadence)
        stage = step and requests.cycle_stage(5, 1, step)
        if stage and stage not in log:
            log.add(stage)
            sent[offset] = step
    assert sent == {3: "c3", 7: "c7", 14: "c14"}
    assert [schedule.chase_escalates(step, cadence) for step in sent.values()] == [
        False,
        False,
        True,
    ]


def test_the_run_summary_says_what_went_out():
    assert requests.sent_summary({}) == "Nothing was due today."
    assert requests.sent_summary({NoticeKind.RENEWAL: 0}) == "Nothing was due today."
    assert requests.sent_summary({NoticeKind.CHASE: 1}) == "1 notice sent: 1 chase."
    assert (
        requests.sent_summary({NoticeKind.CHASE: 4, NoticeKind.RENEWAL: 5, NoticeKind.REQUEST: 3})
        == "12 notices sent: 5 renewal reminders, 4 chases, 3 certificate requests."
    )


def test_every_notice_kind_has_words():
    from coi_engine.vocabulary import NOTICE_KIND_SELECTION, codes

    assert set(requests.NOTICE_WORDS) == set(codes(NOTICE_KIND_SELECTION))
