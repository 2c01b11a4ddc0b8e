"""Timeliness: how promptly a vendor answers for its insurance.

Plain values in, a score out. The models count, per vendor, the days from
the first request for certificates to compliance, the renewals received
before the old policy expired among those that came due, and the chase
reminders sent and still open; this module turns them into one score from
0 (late every time) to 100 (always on time), and the score into the
lateness factor the ranking of vendors at risk multiplies by.

Weights (they add up to 100):

- speed, 50 points: compliant within `FAST_DAYS` days of the first request
  earns all of them, `SLOW_DAYS` days or more none, linearly in between. A
  vendor compliant without having been asked took 0 days. While a vendor
  asked is not compliant yet, the days it has been waiting count the same
  way (they can only grow); a vendor not compliant and never asked is not
  late yet (all the points); one not compliant of which the waiting is not
  known earns none.
- renewals, 35 points: the share of renewals received before expiry; a
  vendor with no renewal due yet earns them all (nothing was late).
- chasing, 15 points: all of them with no chase reminder open, one
  `CHASE_STEPS`-th less per open step, none from `CHASE_STEPS` steps on.

Every part only grows as the vendor does better, so faster compliance,
more renewals on time or fewer open chase steps never lower the score.
"""

SPEED_WEIGHT = 50
RENEWAL_WEIGHT = 35
CHASE_WEIGHT = 15
# Compliant within this many days of the first request: full speed marks
# (the first chase reminder goes out on day 3).
FAST_DAYS = 3
# Compliant this many days after the first request, or later: no speed marks.
SLOW_DAYS = 30
# Open chase steps at which the chasing marks are gone (the default cadence
# has three steps: 3, 7 and 14 days).
CHASE_STEPS = 3
# `days_waiting` of a vendor not compliant that was never asked.
NOT_ASKED = -1
# Lateness factor of the vendors at risk ranking: 1 (score 100) to
# 1 + LATENESS_SPAN (score 0).
LATENESS_SPAN = 1.0


def speed_share(days_to_compliant):
    """0..1 for the days from the first request to compliance (None: not
    compliant yet)."""
    if days_to_compliant is None:
        return 0.0
    days = max(days_to_compliant, 0)
    if days <= FAST_DAYS:
        return 1.0
    if days >= SLOW_DAYS:
        return 0.0
    return (SLOW_DAYS - days) / (SLOW_DAYS - FAST_DAYS)


def renewal_share(on_time, due):
    """0..1: renewals received before expiry among those due (1 when none
    came due)."""
    if not due or due <= 0:
        return 1.0
    return min(max(on_time, 0), due) / due


def chase_share(open_steps):
    """0..1: 1 without open chase steps, 0 from CHASE_STEPS on."""
    steps = max(open_steps or 0, 0)
    return max(0.0, 1.0 - steps / CHASE_STEPS)


def timeliness_score(
    days_to_compliant, renewals_on_time, renewals_due, open_chase_steps, days_waiting=None
):
    """The vendor's timeliness, 0 to 100 (an integer). `days_to_compliant`:
    days from the first request to compliance, None while not compliant;
    then `days_waiting`: days since the request ("never asked" is
    `NOT_ASKED`), None when unknown."""
    if days_to_compliant is None and days_waiting is not None:
        speed = 1.0 if days_waiting is NOT_ASKED else speed_share(days_waiting)
    else:
        speed = speed_share(days_to_compliant)
    score = (
        SPEED_WEIGHT * speed
        + RENEWAL_WEIGHT * renewal_share(renewals_on_time, renewals_due)
        + CHASE_WEIGHT * chase_share(open_chase_steps)
    )
    return int(round(score))


def on_time_percent(on_time, due):
    """The share of renewals received before expiry, in percent (None when
    none came due)."""
    if not due:
        return None
    return round(100.0 * min(on_time, due) / due, 1)


def lateness(score):
    """The factor Vendors at Risk multiplies spend x tier weight by: 1 for a
    vendor always on time (score 100, or not scored), up to 1 +
    LATENESS_SPAN for one late every time (score 0)."""
    if score is None:
        return 1.0
    score = min(max(score, 0), 100)
    return 1.0 + LATENESS_SPAN * (100 - score) / 100
