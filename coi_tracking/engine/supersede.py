"""When a newer policy takes over from an older one covering the same period.

Plain data in (two `Policy`), plain sentences out, written for the reviewer
who decides when the newer policy is not plainly at least as good. No Odoo
here: `coi.policy.action_activate` asks.
"""

from .evaluate import rating_rank
from .sentences import day, money
from .vocabulary import ENDORSEMENTS, LIMIT_LABELS, LimitCode

# A lower amount is the better one for these limits (what the insured pays first).
LOWER_IS_BETTER = (LimitCode.RETENTION,)
# Flags a newer policy must keep, with their words.
FLAGS = {**ENDORSEMENTS, "per_statute": "statutory limits"}


def overlaps(older, newer):
    """True when the two policies cover at least one day in common (a renewal
    starting the day the older one ends does not overlap)."""
    if not (older.effective and older.expiration and newer.effective and newer.expiration):
        return False
    return newer.effective < older.expiration and older.effective < newer.expiration


def shortfalls(older, newer):
    """What `newer` would lose if it replaced `older`: one sentence each. An
    empty list means `newer` shows every limit at least as high, every
    endorsement `older` had, an insurer rated no lower, and lasts as long:
    it may replace `older` on its own. Otherwise a person decides."""
    found = []
    for code, amount in sorted(older.limits.items()):
        label = LIMIT_LABELS.get(code, code).capitalize()
        if code not in newer.limits:
            found.append(f"{label}: not shown ({money(amount)} on policy {older.number}).")
            continue
        held = newer.limits[code]
        worse = held > amount if code in LOWER_IS_BETTER else held < amount
        if worse:
            found.append(
                f"{label}: {money(held)} instead of {money(amount)} on policy {older.number}."
            )
    for flag, label in FLAGS.items():
        if getattr(older, flag) and not getattr(newer, flag):
            found.append(f"It does not show {label}, which policy {older.number} did.")
    if newer.expiration < older.expiration:
        found.append(
            f"It ends on {day(newer.expiration)}, before policy {older.number} "
            f"({day(older.expiration)})."
        )
    if older.insurer_rating:
        if not newer.insurer_rating:
            found.append(
                f"Its insurer has no rating on file (policy {older.number}'s is "
                f"{older.insurer_rating})."
            )
        elif rating_rank(newer.insurer_rating) > rating_rank(older.insurer_rating):
            found.append(
                f"Its insurer is rated {newer.insurer_rating}, below policy {older.number}'s "
                f"{older.insurer_rating}."
            )
    return found
