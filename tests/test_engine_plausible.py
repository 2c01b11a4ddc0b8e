"""Plausibility of read values (engine/extract/plausible.py): an implausible
value keeps its place, its confidence is lowered and the review rules send
the certificate to a person."""

import copy
from datetime import date

import coi_fixtures as fx
import pytest
from coi_engine import extract
from coi_engine.extract import plausible
from coi_engine.extract.model import GOOD, LOW, Coverage, DeclarationsPage, Extraction
from coi_engine.review import review

TODAY = date(2026, 12, 1)
NAMES = {"GL": "General Liability", "AUTO": "Automobile Liability"}


def certificate(**coverage):
    values = {
        "type": "GL",
        "insurer_letter": "A",
        "policy_number": "GL-1",
        "effective_date": "2026-03-01",
        "expiration_date": "2027-03-01",
        "limits": {"EACH_OCCURRENCE": 1_000_000, "MED_EXP": 5_000},
        "confidence": {
            "policy_number": GOOD,
            "effective_date": GOOD,
            "expiration_date": GOOD,
            "limits": GOOD,
        },
    }
    values.update(coverage)
    return Extraction(
        certificate_date="2026-03-02",
        insurers={"A": {"name": "Bluewater Casualty", "naic": "12345"}},
        coverages=[Coverage(**values)],
        confidence={"certificate_date": GOOD, "insurers.A": GOOD},
        certificate_page=1,
    )


# --- Each rule --------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-03-01", "1995-07-31", "2032-01-01"])
def test_dates_in_a_sane_range_pass(value):
    assert plausible.date_problem(value, TODAY) is None


@pytest.mark.parametrize("value", ["1926-03-01", "2086-03-01", "2026-13-01", "03/01/2026"])
def test_dates_out_of_range_or_not_dates_are_named(value):
    assert value in plausible.date_problem(value, TODAY)


def test_effective_before_expiration():
    assert plausible.term_problem("2026-03-01", "2027-03-01") is None
    assert plausible.term_problem("2026-03-01", "2030-03-01") is None  # a long project policy
    assert "before it takes effect" in plausible.term_problem("2027-03-01", "2026-03-01")
    assert "before it takes effect" in plausible.term_problem("2026-03-01", "2026-03-01")
    assert "longer than five years" in plausible.term_problem("2016-03-01", "2027-03-01")
    assert plausible.term_problem(None, "2027-03-01") is None


@pytest.mark.parametrize("naic", ["12345", "00914", None, ""])
def test_naic_of_five_digits_passes(naic):
    assert plausible.naic_problem(naic) is None


@pytest.mark.parametrize("naic", ["1234", "123456", "12B45", "I2345"])
def test_naic_not_five_digits_is_named(naic):
    assert naic in plausible.naic_problem(naic)


@pytest.mark.parametrize("amount", [1_000_000, 2_000_000, 300_000, 5_000, 2_500, 500])
def test_round_limits_pass(amount):
    assert plausible.is_round_amount(amount)


@pytest.mark.parametrize("amount", [1_000_008, 100_050, 12_345, 0, 7, 2_000_000_000])
def test_limits_not_round_are_not_plausible(amount):
    assert not plausible.is_round_amount(amount)


def test_limit_problems_name_the_limit_and_skip_words():
    problems = plausible.limit_problems(
        {"EACH_OCCURRENCE": 1_000_008, "MED_EXP": "Included", "AGGREGATE": 2_000_000}
    )
    assert problems == ["EACH_OCCURRENCE 1,000,008 is not a round amount"]


def test_insurer_letters_must_exist_on_the_certificate():
    insurers = {"A": {}, "B": {}}
    assert plausible.letter_problem("B", insurers) is None
    assert plausible.letter_problem(None, insurers) is None
    assert "not listed on the certificate (listed: A, B)" in plausible.letter_problem("D", insurers)
    assert "not one of A-F" in plausible.letter_problem("H", insurers)
    # No insurer read at all: the block was missed, the letter cannot be checked.
    assert plausible.letter_problem("A", {}) is None
    assert "not one of A-F" in plausible.letter_problem("H", {})


# --- Applied to an extraction: confidence lowered, value kept ------------------


def test_a_plausible_certificate_is_left_alone():
    result = plausible.check(certificate(), TODAY)
    assert result.warnings == []
    assert result.min_confidence() == GOOD


@pytest.mark.parametrize(
    ("changes", "keys"),
    [
        ({"expiration_date": "2025-03-01"}, {"effective_date", "expiration_date"}),
        ({"effective_date": "1926-03-01"}, {"effective_date"}),
        ({"limits": {"EACH_OCCURRENCE": 1_000_008}}, {"limits"}),
        ({"insurer_letter": "D"}, {"insurer_letter"}),
    ],
)
def test_an_implausible_coverage_value_is_kept_with_low_confidence(changes, keys):
    result = plausible.check(certificate(**changes), TODAY)
    coverage = result.coverages[0]
    for key, value in changes.items():
        assert getattr(coverage, key) == value  # kept, not dropped or corrected
    assert {k for k, v in coverage.confidence.items() if v <= LOW} == keys
    assert len(result.warnings) == 1 and result.warnings[0].startswith("GL: ")


def test_an_implausible_naic_or_certificate_date_lowers_their_confidence():
    result = certificate()
    result.insurers["A"]["naic"] = "1234"
    result.certificate_date = "2099-03-02"
    plausible.check(result, TODAY)
    assert result.insurers["A"]["naic"] == "1234"
    assert result.confidence == {"certificate_date": LOW, "insurers.A": LOW}
    assert len(result.warnings) == 2


# --- Through the reader and the review rules ------------------------------------


def _reviewed(data):
    result = extract(fx.layout_pdf(data))
    return result, review(result, data["insured"]["name"], NAMES, {})


def test_the_drawn_certificate_is_plausible_and_accepted():
    result, decision = _reviewed(fx.SAMPLE)
    assert not [w for w in result.warnings if "check it" in w]
    assert decision.accept, decision.reasons


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda gl: gl.update(expiration_date="2025-03-01"), "effective_date, expiration_date"),
        (lambda gl: gl["limits"].update(EACH_OCCURRENCE=1_000_007), "limits"),
        (lambda gl: gl.update(insurer_letter="F"), "insurer_letter"),
    ],
)
def test_an_implausible_value_read_sends_the_certificate_to_a_person(change, reason):
    data = copy.deepcopy(fx.SAMPLE)
    change(data["coverages"][0])
    result, decision = _reviewed(data)
    gl = result.coverages[0]
    assert gl.type == "GL" and min(gl.confidence.values()) <= LOW
    assert not decision.accept
    assert f"General Liability: low confidence in {reason}." in decision.reasons


def test_an_implausible_declarations_page_lowers_its_confidence():
    plausible_page = DeclarationsPage(
        page=2, effective_date="2026-03-01", expiration_date="2027-03-01", confidence=GOOD
    )
    backwards = DeclarationsPage(
        page=3,
        effective_date="2027-03-01",
        expiration_date="2026-03-01",
        limits={"EACH_OCCURRENCE": 1_000_003},
        confidence=GOOD,
    )
    result = plausible.check(Extraction(declarations=[plausible_page, backwards]), TODAY)
    assert plausible_page.confidence == GOOD
    assert backwards.confidence == LOW
    assert backwards.expiration_date == "2026-03-01"
    (warning,) = result.warnings
    assert warning.startswith("Declarations page 3: the policy expires (2026-03-01) before")
    assert "EACH_OCCURRENCE 1,000,003 is not a round amount" in warning
