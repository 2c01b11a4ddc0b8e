"""The notice schedule: which stage is due on a day, and what a daily run
that keeps a log of the stages sent (as `coi.notice` does) sends."""

from datetime import date, datetime, timedelta

import pytest
from coi_engine import schedule

CADENCE = [7, 14, 30]
EXPIRES = date(2026, 7, 15)


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def sent_by_daily_runs(stage_on, first, last, skip=()):
    """{day: stage} of what a daily run sends from `first` to `last`: the
    stage due that day, unless the log already holds it."""
    log, sent = set(), {}
    for day in days(first, last):
        stage = None if day in skip else stage_on(day)
        if stage and stage not in log:
            log.add(stage)
            sent[day] = stage
    return sent


# ---- renewal -----------------------------------------------------------------


def test_renewal_on_each_cadence_day_and_only_then():
    sent = sent_by_daily_runs(
        lambda day: schedule.renewal_stage(EXPIRES, day, CADENCE),
        date(2026, 5, 1),
        date(2026, 8, 1),
    )
    assert sent == {
        date(2026, 6, 15): "d30",
        date(2026, 7, 1): "d14",
        date(2026, 7, 8): "d7",
    }


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        (date(2026, 6, 14), None),  # 31 days before
        (date(2026, 6, 15), "d30"),
        (date(2026, 6, 30), "d30"),  # 15 days before: still the 30-day stage
        (date(2026, 7, 1), "d14"),
        (date(2026, 7, 8), "d7"),
        (date(2026, 7, 15), "d7"),  # the day it ends
        (date(2026, 7, 16), None),  # past: the expiry schedule takes over
    ],
)
def test_renewal_stage_is_the_latest_cadence_day_reached(day, stage):
    assert schedule.renewal_stage(EXPIRES, day, CADENCE) == stage


def test_missed_renewal_day_is_caught_up_once():
    missed = set(days(date(2026, 7, 8), date(2026, 7, 9)))  # server down
    sent = sent_by_daily_runs(
        lambda day: schedule.renewal_stage(EXPIRES, day, CADENCE),
        date(2026, 6, 1),
        date(2026, 7, 15),
        skip=missed,
    )
    assert sent[date(2026, 7, 10)] == "d7"
    assert list(sent.values()) == ["d30", "d14", "d7"]


def test_several_missed_days_send_only_the_latest_stage():
    # Nothing ran from 40 days before until 10 days before.
    missed = set(days(date(2026, 6, 5), date(2026, 7, 4)))
    sent = sent_by_daily_runs(
        lambda day: schedule.renewal_stage(EXPIRES, day, CADENCE),
        date(2026, 6, 5),
        date(2026, 7, 15),
        skip=missed,
    )
    assert sent == {date(2026, 7, 5): "d14", date(2026, 7, 8): "d7"}


def test_company_cadence():
    assert schedule.renewal_stage(EXPIRES, date(2026, 5, 16), [60]) == "d60"
    assert schedule.renewal_stage(EXPIRES, date(2026, 7, 15), [60]) == "d60"
    assert schedule.renewal_stage(EXPIRES, date(2026, 7, 15), [0, 10]) == "d0"
    assert schedule.renewal_stage(EXPIRES, date(2026, 7, 14), [0, 10]) == "d10"
    assert schedule.renewal_stage(EXPIRES, date(2026, 7, 1), []) is None


def test_renewal_selection_bounds_match_the_stage():
    today = date(2026, 6, 15)
    first, last = schedule.renewal_expirations(today, CADENCE)
    assert (first, last) == (today, date(2026, 7, 15))
    for expiration in days(today - timedelta(days=5), today + timedelta(days=40)):
        due = schedule.renewal_stage(expiration, today, CADENCE) is not None
        assert due == (first <= expiration <= last)
    assert schedule.renewal_expirations(today, []) is None


def test_policy_shorter_than_the_cadence_gets_the_stage_it_is_in():
    start = date(2026, 7, 5)  # a ten-day policy
    sent = sent_by_daily_runs(
        lambda day: schedule.renewal_stage(EXPIRES, day, CADENCE), start, EXPIRES
    )
    assert sent == {start: "d14", date(2026, 7, 8): "d7"}


# ---- expiry ------------------------------------------------------------------


def test_expiry_on_the_day_then_every_seven_days():
    sent = sent_by_daily_runs(
        lambda day: schedule.expired_stage(EXPIRES, day, 7),
        date(2026, 7, 1),
        date(2026, 8, 12),
    )
    assert sent == {
        date(2026, 7, 15): "w0",
        date(2026, 7, 22): "w1",
        date(2026, 7, 29): "w2",
        date(2026, 8, 5): "w3",
        date(2026, 8, 12): "w4",
    }
    assert schedule.expired_stage(EXPIRES, date(2026, 7, 21), 7) == "w0"


def test_missed_expiry_reminder_is_caught_up_once():
    missed = set(days(date(2026, 7, 22), date(2026, 7, 24)))
    sent = sent_by_daily_runs(
        lambda day: schedule.expired_stage(EXPIRES, day, 7),
        date(2026, 7, 15),
        date(2026, 7, 28),
        skip=missed,
    )
    assert sent == {date(2026, 7, 15): "w0", date(2026, 7, 25): "w1"}


def test_expiry_reminded_once_when_repeat_is_off():
    for every in (0, None, -3):
        sent = sent_by_daily_runs(
            lambda day, every=every: schedule.expired_stage(EXPIRES, day, every),
            EXPIRES,
            EXPIRES + timedelta(days=60),
        )
        assert sent == {EXPIRES: "w0"}


def test_expiry_reminders_stop_after_a_year():
    first, last = schedule.expired_expirations(date(2027, 7, 15))
    assert (first, last) == (EXPIRES, date(2027, 7, 15))
    assert schedule.expired_stage(EXPIRES, date(2027, 7, 15)) == "w52"
    assert schedule.expired_stage(EXPIRES, date(2027, 7, 16)) is None
    assert schedule.expired_stage(EXPIRES, date(2026, 7, 14)) is None


def test_leap_day_expiry():
    leap = date(2028, 2, 29)
    assert schedule.renewal_stage(leap, date(2028, 1, 29), CADENCE) is None
    assert schedule.renewal_stage(leap, date(2028, 1, 30), CADENCE) == "d30"
    assert schedule.renewal_stage(leap, date(2028, 2, 15), CADENCE) == "d14"
    assert schedule.renewal_stage(leap, date(2028, 2, 22), CADENCE) == "d7"
    assert schedule.expired_stage(leap, date(2028, 3, 7), 7) == "w1"
    assert schedule.expired_stage(leap, date(2029, 2, 28)) == "w52"  # 365 days on
    assert schedule.expired_stage(leap, date(2029, 3, 1)) is None


# ---- verification with the agent ------------------------------------------------

START, END = date(2026, 6, 15), date(2027, 6, 15)


def verification_on(proof, start=START, end=END):
    return lambda day: schedule.verification_stage(proof, start, end, day)


def test_verification_thirty_days_after_proof_then_at_midterm():
    assert schedule.midterm(START, END) == date(2026, 12, 14)
    sent = sent_by_daily_runs(verification_on(START), START, END)
    assert sent == {date(2026, 7, 15): "proof30", date(2026, 12, 14): "midterm"}


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        (date(2026, 7, 14), None),
        (date(2026, 7, 15), "proof30"),
        (date(2026, 8, 13), "proof30"),  # the last day of its month
        (date(2026, 8, 14), None),
        (date(2026, 12, 13), None),
        (date(2026, 12, 14), "midterm"),
        (date(2027, 1, 12), "midterm"),
        (date(2027, 1, 13), None),
        (date(2027, 6, 15), None),
    ],
)
def test_each_verification_step_is_due_for_a_month(day, stage):
    assert schedule.verification_stage(START, START, END, day) == stage


def test_step_long_past_is_not_asked_late():
    # The module came on 2026-09-01: the after-proof step is past, mid-term not.
    sent = sent_by_daily_runs(verification_on(START), date(2026, 9, 1), END)
    assert sent == {date(2026, 12, 14): "midterm"}


def test_proof_after_the_midterm_asks_thirty_days_after_the_proof():
    proof = date(2027, 1, 20)  # accepted late in the term
    sent = sent_by_daily_runs(verification_on(proof), START, END)
    assert sent == {date(2027, 2, 19): "proof30"}


def test_proof_is_the_acceptance_else_the_start():
    assert schedule.proof_date(datetime(2026, 6, 20, 23, 30), START) == date(2026, 6, 20)
    assert schedule.proof_date(date(2026, 6, 21), START) == date(2026, 6, 21)
    assert schedule.proof_date(None, START) == START
    assert schedule.proof_date(False, START) == START


def test_verification_selection_bounds_match_the_stage():
    today = date(2026, 7, 15)
    first, last = schedule.verification_proofs(today)
    assert (first, last) == (date(2026, 5, 17), date(2026, 6, 15))
    for proof in days(first - timedelta(days=3), last + timedelta(days=3)):
        due = schedule.verification_stage(proof, proof, proof + timedelta(days=365), today)
        assert (due == "proof30") == (first <= proof <= last)
    first, last = schedule.verification_midterms(date(2026, 12, 14))
    assert (first, last) == (date(2026, 11, 15), date(2026, 12, 14))


def test_policy_shorter_than_thirty_days_is_asked_at_midterm_only():
    start, end = date(2026, 3, 1), date(2026, 3, 21)
    sent = sent_by_daily_runs(verification_on(start, start, end), start, end + timedelta(days=60))
    assert sent == {date(2026, 3, 11): "midterm"}


def test_nothing_is_asked_once_the_policy_ended():
    start, end = date(2026, 3, 1), date(2026, 3, 25)
    proof = date(2026, 3, 20)  # after the midterm: the after-proof step would be past the end
    sent = sent_by_daily_runs(verification_on(proof, start, end), start, end + timedelta(days=60))
    assert sent == {}


def test_leap_year_midterm():
    # 2028-02-29 to 2029-02-28: 365 days, the middle rounded down.
    assert schedule.midterm(date(2028, 2, 29), date(2029, 2, 28)) == date(2028, 8, 29)
    # 2027-08-31 to 2028-08-31 spans the leap day: 366 days.
    assert schedule.midterm(date(2027, 8, 31), date(2028, 8, 31)) == date(2028, 3, 1)
    after_proof = date(2028, 1, 30) + timedelta(days=schedule.VERIFY_AFTER_PROOF_DAYS)
    assert after_proof == date(2028, 2, 29)
    stage = schedule.verification_stage(
        date(2028, 1, 30), date(2028, 1, 30), date(2029, 1, 30), date(2028, 2, 29)
    )
    assert stage == "proof30"


def test_no_answer_follow_up_after_fourteen_days():
    today = date(2026, 7, 29)
    assert schedule.follow_up_asked_by(today) == date(2026, 7, 15)
    assert schedule.follow_up_asked_by(date(2026, 7, 28)) < date(2026, 7, 15)


# ---- chasing ----------------------------------------------------------------


def test_chase_cadence_parsed_from_the_setting():
    assert schedule.parse_cadence("14, 3,7,x,, 3,0") == [3, 7, 14]
    assert schedule.parse_cadence("") == []
    assert schedule.parse_cadence(None) == []


def test_chase_steps_after_three_seven_and_fourteen_days():
    requested = date(2026, 3, 1)
    cadence = [3, 7, 14]
    stages = {
        day: schedule.chase_stage(requested, requested + timedelta(days=day), cadence)
        for day in range(0, 30)
    }
    assert {d for d, s in stages.items() if s is None} == {0, 1, 2}
    assert stages[3] == stages[6] == "c3"
    assert stages[7] == stages[13] == "c7"
    assert stages[14] == stages[29] == "c14"


def test_missed_chase_day_sends_the_latest_step_only():
    requested = date(2026, 3, 1)
    # The job did not run for ten days: the next run sends c7, not c3 then c7.
    assert schedule.chase_stage(requested, date(2026, 3, 11), [3, 7, 14]) == "c7"


def test_last_chase_step_escalates():
    assert schedule.chase_escalates("c14", [3, 7, 14])
    assert not schedule.chase_escalates("c7", [3, 7, 14])
    assert not schedule.chase_escalates("c3", [])


def test_no_chase_without_a_cadence_or_a_request():
    assert schedule.chase_stage(date(2026, 3, 1), date(2026, 4, 1), []) is None
    assert schedule.chase_stage(None, date(2026, 4, 1), [3]) is None
