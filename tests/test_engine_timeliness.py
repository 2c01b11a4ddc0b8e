"""Timeliness: the score from days to compliance, renewals on time and open
chase steps, its weights, and that doing better never lowers it."""

import pytest
from coi_engine import timeliness as t
from hypothesis import given, settings
from hypothesis import strategies as st

DAYS = st.one_of(st.none(), st.integers(min_value=0, max_value=400))
COUNT = st.integers(min_value=0, max_value=40)
STEPS = st.integers(min_value=0, max_value=10)


def test_weights_add_up_to_one_hundred():
    assert t.SPEED_WEIGHT + t.RENEWAL_WEIGHT + t.CHASE_WEIGHT == 100


def test_perfect_vendor_scores_one_hundred():
    assert t.timeliness_score(0, 3, 3, 0) == 100
    # Compliant within the fast window, no renewal due yet.
    assert t.timeliness_score(t.FAST_DAYS, 0, 0, 0) == 100


def test_worst_vendor_scores_zero():
    assert t.timeliness_score(None, 0, 4, t.CHASE_STEPS) == 0
    assert t.timeliness_score(t.SLOW_DAYS + 10, 0, 1, 99) == 0


@pytest.mark.parametrize(
    ("days", "on_time", "due", "steps", "expected"),
    [
        # Not compliant yet, no renewal history, two reminders open: 35 + 5.
        (None, 0, 0, 2, 40),
        # Compliant halfway between fast and slow: 25 speed points.
        ((t.FAST_DAYS + t.SLOW_DAYS) / 2, 2, 2, 0, 75),
        # Half the renewals late: 50 + 17.5 + 15 = 82.5, rounded half to even.
        (1, 1, 2, 0, 82),
        # Compliant after 10 days, one of three renewals on time, one step open.
        (10, 1, 3, 1, round(50 * 20 / 27 + 35 / 3 + 10)),
    ],
)
def test_documented_weights(days, on_time, due, steps, expected):
    assert t.timeliness_score(days, on_time, due, steps) == expected


def test_waiting_counts_like_days_to_compliant():
    # Asked 10 days ago and not compliant yet: as if compliant on day 10.
    assert t.timeliness_score(None, 0, 0, 1, days_waiting=10) == t.timeliness_score(10, 0, 0, 1)
    # Never asked: not late yet.
    assert t.timeliness_score(None, 0, 0, 0, days_waiting=t.NOT_ASKED) == 100
    # Waiting longer never raises the score.
    assert t.timeliness_score(None, 1, 1, 0, days_waiting=20) <= t.timeliness_score(
        None, 1, 1, 0, days_waiting=5
    )


def test_bounds_of_each_part():
    assert t.speed_share(None) == 0
    assert t.speed_share(-3) == 1  # compliant before the request: as fast as can be
    assert t.renewal_share(5, 3) == 1  # never above all
    assert t.chase_share(None) == 1


def test_on_time_percent():
    assert t.on_time_percent(0, 0) is None
    assert t.on_time_percent(1, 3) == 33.3
    assert t.on_time_percent(2, 2) == 100.0


def test_lateness_runs_from_one_to_two():
    assert t.lateness(100) == 1.0
    assert t.lateness(None) == 1.0
    assert t.lateness(0) == 1.0 + t.LATENESS_SPAN
    assert t.lateness(50) == pytest.approx(1.5)


@settings(max_examples=300, deadline=None)
@given(DAYS, COUNT, COUNT, STEPS)
def test_score_stays_between_0_and_100(days, on_time, due, steps):
    assert 0 <= t.timeliness_score(days, min(on_time, due), due, steps) <= 100


@settings(max_examples=300, deadline=None)
@given(DAYS, st.integers(min_value=0, max_value=400), COUNT, COUNT, STEPS)
def test_faster_never_lowers(days, faster_by, on_time, due, steps):
    on_time = min(on_time, due)
    slow = t.timeliness_score(days, on_time, due, steps)
    if days is None:
        # Becoming compliant at all, however late, never lowers the score.
        faster = t.timeliness_score(faster_by, on_time, due, steps)
    else:
        faster = t.timeliness_score(max(days - faster_by, 0), on_time, due, steps)
    assert faster >= slow


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=60),
    COUNT,
    COUNT,
    STEPS,
)
def test_waiting_longer_never_raises(waited, more, on_time, due, steps):
    on_time = min(on_time, due)
    now = t.timeliness_score(None, on_time, due, steps, days_waiting=waited)
    later = t.timeliness_score(None, on_time, due, steps, days_waiting=waited + more)
    assert later <= now
    # Becoming compliant on the day it has waited for: the score holds.
    assert t.timeliness_score(waited + more, on_time, due, steps) == later


@settings(max_examples=300, deadline=None)
@given(DAYS, COUNT, COUNT, STEPS)
def test_one_more_renewal_on_time_never_lowers(days, on_time, due, steps):
    on_time = min(on_time, due)
    before = t.timeliness_score(days, on_time, due, steps)
    # A late renewal turned on time, or one more renewal due and received in time.
    if on_time < due:
        assert t.timeliness_score(days, on_time + 1, due, steps) >= before
    assert t.timeliness_score(days, on_time + 1, due + 1, steps) >= before


@settings(max_examples=300, deadline=None)
@given(DAYS, COUNT, COUNT, STEPS)
def test_fewer_open_steps_never_lowers(days, on_time, due, steps):
    on_time = min(on_time, due)
    if steps:
        assert t.timeliness_score(days, on_time, due, steps - 1) >= t.timeliness_score(
            days, on_time, due, steps
        )


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_lateness_falls_as_the_score_rises(low, high):
    low, high = sorted((low, high))
    assert t.lateness(high) <= t.lateness(low)
