"""A newer policy of the same coverage for the same period replaces the older
one on its own only when it loses nothing; otherwise the reviewer reads why."""

from datetime import date

import pytest
from coi_engine import Policy, supersede
from coi_engine.vocabulary import CoverageCode, LimitCode

CSL = LimitCode.COMBINED_SINGLE_LIMIT
OLD = Policy(
    coverage=CoverageCode.AUTO,
    number="AU-500",
    effective=date(2026, 1, 1),
    expiration=date(2027, 1, 1),
    limits={CSL: 500_000},
    additional_insured=True,
    insurer_rating="A",
)


def newer(**changes):
    values = {
        "coverage": CoverageCode.AUTO,
        "number": "AU-1M",
        "effective": date(2026, 6, 1),
        "expiration": date(2027, 6, 1),
        "limits": {CSL: 1_000_000},
        "additional_insured": True,
        "insurer_rating": "A",
        **changes,
    }
    return Policy(**values)


def test_a_better_policy_loses_nothing():
    assert supersede.shortfalls(OLD, newer()) == []
    # The same terms are "at least as good" too.
    assert supersede.shortfalls(OLD, newer(limits={CSL: 500_000})) == []


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"limits": {CSL: 250_000}}, "Combined single limit: $250,000 instead of $500,000"),
        ({"limits": {}}, "Combined single limit: not shown ($500,000 on policy AU-500)"),
        ({"additional_insured": False}, "does not show additional insured"),
        ({"expiration": date(2026, 10, 1)}, "ends on 10/01/2026, before policy AU-500"),
        ({"insurer_rating": "B"}, "rated B, below policy AU-500's A"),
        ({"insurer_rating": None}, "no rating on file"),
    ],
)
def test_each_loss_is_told(changes, sentence):
    found = supersede.shortfalls(OLD, newer(**changes))
    assert len(found) == 1
    assert sentence in found[0]


def test_a_higher_retention_is_a_loss_and_a_lower_one_is_not():
    old = Policy(
        coverage=CoverageCode.UMBRELLA,
        number="UMB-1",
        effective=date(2026, 1, 1),
        expiration=date(2027, 1, 1),
        limits={LimitCode.RETENTION: 10_000},
    )
    lower = Policy(**{**old.__dict__, "number": "UMB-2", "limits": {LimitCode.RETENTION: 5_000}})
    higher = Policy(**{**lower.__dict__, "limits": {LimitCode.RETENTION: 25_000}})
    assert supersede.shortfalls(old, lower) == []
    assert "Retention: $25,000 instead of $10,000" in supersede.shortfalls(old, higher)[0]


def test_overlap_is_a_day_in_common():
    assert supersede.overlaps(OLD, newer())
    # A renewal starting the day the old one ends does not overlap.
    renewal = newer(effective=date(2027, 1, 1), expiration=date(2028, 1, 1))
    assert not supersede.overlaps(OLD, renewal)
    assert not supersede.overlaps(OLD, newer(effective=None))
