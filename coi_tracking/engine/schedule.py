"""The notice schedule: which reminder is due on a day.

Plain dates in, stage names out. `coi.notice` selects the records, keeps
the log (one notice per kind, policy and stage) and sends; it asks here
which stage is due. A stage is the latest step reached, so a day the cron
missed is caught up once by the next run, and the log keeps it from being
sent twice.
"""

from datetime import datetime, timedelta

# Renewal reminders: days before the expiration (the company may change them).
DEFAULT_RENEWAL_CADENCE = (30, 14, 7)
# After expiry, remind every this many days while nothing replaces the
# policy (the company may change it; 0: only once), for at most a year.
DEFAULT_EXPIRED_EVERY_DAYS = 7
EXPIRED_LOOKBACK_DAYS = 365
EXPIRED_FIRST_STAGE = "w0"
# Verification with the agent: 30 days after the proof, then at mid-term,
# each step due for a month; no answer after 14 days: a person chases it.
VERIFY_AFTER_PROOF_DAYS = 30
VERIFY_WINDOW_DAYS = 30
VERIFY_NO_ANSWER_DAYS = 14
VERIFY_AFTER_PROOF = "proof30"
VERIFY_MIDTERM = "midterm"


def _days(n):
    return timedelta(days=n)


# ---- renewal ---------------------------------------------------------------


def renewal_expirations(today, cadence):
    """(first, last) expiration dates a renewal reminder can be due for on
    `today`, both included; None without a cadence."""
    if not cadence:
        return None
    return today, today + _days(max(cadence))


def renewal_stage(expiration, today, cadence):
    """The renewal stage due on `today` ("d30", "d14", ...): the latest
    cadence day reached, up to the expiration day itself; None outside."""
    if not cadence:
        return None
    days_left = (expiration - today).days
    if days_left < 0 or days_left > max(cadence):
        return None
    return f"d{min(d for d in cadence if d >= days_left)}"


# ---- expiry ----------------------------------------------------------------


def expired_expirations(today):
    """(first, last) expiration dates an expiry reminder can be due for on
    `today`, both included."""
    return today - _days(EXPIRED_LOOKBACK_DAYS), today


def expired_stage(expiration, today, every=DEFAULT_EXPIRED_EVERY_DAYS):
    """The expiry stage due on `today`: "w0" from the day the coverage ends,
    then "w1", "w2", ... every `every` days (0: "w0" only); None outside."""
    days = (today - expiration).days
    if days < 0 or days > EXPIRED_LOOKBACK_DAYS:
        return None
    return f"w{days // every}" if (every or 0) > 0 else EXPIRED_FIRST_STAGE


# ---- verification with the agent --------------------------------------------


def midterm(effective, expiration):
    """The middle of the policy term (rounded down to a day)."""
    return effective + (expiration - effective) / 2


def proof_date(accepted, effective):
    """The day the policy was proven: its certificate's acceptance (a date
    or a datetime), else the start of the policy."""
    if isinstance(accepted, datetime):
        return accepted.date()
    return accepted or effective


def verification_proofs(today):
    """(first, last) proof dates whose after-proof step is due on `today`."""
    last = today - _days(VERIFY_AFTER_PROOF_DAYS)
    return last - _days(VERIFY_WINDOW_DAYS - 1), last


def verification_midterms(today):
    """(first, last) mid-term dates whose mid-term step is due on `today`."""
    return today - _days(VERIFY_WINDOW_DAYS - 1), today


def verification_stage(proof, effective, expiration, today):
    """The verification step due on `today`: "midterm" within a month from
    the mid-term (when it comes after the proof), else "proof30" within a
    month from 30 days after the proof; None otherwise (and from the
    expiration on), so a step long past (a policy on file before the module
    came) is not asked late."""
    if today >= expiration:
        return None
    window = _days(VERIFY_WINDOW_DAYS)
    middle = midterm(effective, expiration)
    if proof < middle <= today < middle + window:
        return VERIFY_MIDTERM
    after_proof = proof + _days(VERIFY_AFTER_PROOF_DAYS)
    if after_proof <= today < after_proof + window:
        return VERIFY_AFTER_PROOF
    return None


def follow_up_asked_by(today):
    """Verifications asked on or before this day without an answer are
    chased by a person on `today`."""
    return today - _days(VERIFY_NO_ANSWER_DAYS)


# ---- requesting and chasing certificates -------------------------------------

# Reminders of what is still missing: days after the first request (the
# company may change them); after the last one, the vendor's buyer is asked
# to step in (escalation).
DEFAULT_CHASE_CADENCE = (3, 7, 14)
REQUEST_STAGE = "first"
ESCALATION_STAGE = "escalated"


def parse_cadence(text):
    """Days from a comma-separated company setting ("3, 7,14"), sorted and
    without duplicates; parts that are not whole numbers are ignored."""
    days = set()
    for part in (text or "").split(","):
        part = part.strip()
        if part.isdigit() and int(part) > 0:
            days.add(int(part))
    return sorted(days)


def chase_stage(requested, today, cadence):
    """The chase step due on `today` for a vendor first asked on `requested`:
    "c3", "c7", ... (the latest cadence day reached, so a missed day is
    caught up once), None before the first step or without a cadence."""
    if not cadence or requested is None:
        return None
    days = (today - requested).days
    reached = [d for d in cadence if d <= days]
    return f"c{max(reached)}" if reached else None


def chase_escalates(stage, cadence):
    """Whether `stage` is the cadence's last step (after it, a person acts)."""
    return bool(cadence) and stage == f"c{max(cadence)}"
