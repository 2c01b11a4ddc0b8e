"""Certificates without the ACORD 25 layout: the values are read by their
labels and proposed (with a low confidence) instead of nothing."""

import coi_fixtures as fx
from coi_engine.extract import extract
from coi_engine.extract.freeform import read_lines
from coi_engine.extract.model import LOW, Extraction
from coi_engine.review import review

COVERAGE_NAMES = {
    "GL": "Commercial General Liability",
    "AUTO": "Automobile Liability",
    "UMBRELLA": "Umbrella Liability",
    "WC_EL": "Workers' Compensation",
}


def test_issuers_own_layout_is_read_by_its_labels():
    result = extract(fx.freeform_pdf(), use_ocr=False)
    assert result.error is None and result.is_certificate
    assert any("does not have the ACORD 25 layout" in w for w in result.warnings)
    sample = fx.SAMPLE
    assert result.producer["name"] == sample["producer"]["name"]
    assert result.producer["address"] == sample["producer"]["address"]
    assert result.insured == sample["insured"]
    assert result.certificate_holder == sample["certificate_holder"]
    assert {k: (v["name"], v["naic"]) for k, v in result.insurers.items()} == {
        k: (v["name"], v["naic"]) for k, v in sample["insurers"].items()
    }
    read = {c.type: c for c in result.coverages}
    for expected in sample["coverages"]:
        coverage = read[expected["type"]]
        assert coverage.policy_number == expected["policy_number"]
        assert coverage.effective_date == expected["effective_date"]
        assert coverage.expiration_date == expected["expiration_date"]
        assert coverage.limits == expected["limits"], expected["type"]
        # The insurer named in the coverage's card, by its letter.
        assert coverage.insurer_letter == expected["insurer_letter"]
        assert set(coverage.confidence.values()) == {LOW}
    assert read["WC_EL"].per_statute is True


def test_the_review_proposes_what_was_read_and_asks_a_person():
    """Today's empty grid becomes four proposed policies, each to check."""
    result = extract(fx.freeform_pdf(), use_ocr=False)
    decision = review(
        result,
        fx.SAMPLE["insured"]["name"],
        COVERAGE_NAMES,
        {"GL": {"EACH_OCCURRENCE": "Each Occurrence"}},
        {"EACH_OCCURRENCE", "GENERAL_AGGREGATE", "COMBINED_SINGLE_LIMIT", "EL_EACH_ACCIDENT"},
    )
    assert sorted(c.type for c in decision.coverages) == ["AUTO", "GL", "UMBRELLA", "WC_EL"]
    assert not decision.accept
    assert any("low confidence" in reason for reason in decision.reasons)


def test_free_form_letter_gives_its_policies():
    result = extract(fx.nonacord_pdf(), use_ocr=False)
    read = {c.type: c for c in result.coverages}
    assert sorted(read) == ["AUTO", "GL", "UMBRELLA", "WC_EL"]
    gl = read["GL"]
    assert (gl.policy_number, gl.effective_date, gl.expiration_date) == (
        "GL-7781234",
        "2026-03-01",
        "2027-03-01",
    )
    assert gl.limits["EACH_OCCURRENCE"] == 1_000_000
    assert gl.limits["PRODUCTS_COMP_OP_AGG"] == 2_000_000
    assert result.insurers[gl.insurer_letter]["name"] == "Bluewater Casualty Insurance Company"
    assert read["WC_EL"].limits["EL_DISEASE_EA_EMPLOYEE"] == 1_000_000
    assert result.min_confidence() <= LOW


def test_lines_with_labels_and_one_policy_period():
    lines = [
        "CERTIFICATE OF LIABILITY INSURANCE",
        "DATE: 01/15/2024",
        "PRODUCER: Lakeside Insurance Agency",
        "12 Harbor Road, Lakeside, MN 55555",
        "Insured: Northwind Electric LLC",
        "Carrier: Prairie Mutual Insurance Company NAIC # 54321",
        "COVERAGES:",
        "Commercial General Liability   Policy No. CGL 20-4411",
        "Each Occurrence: $500,000",
        "General Aggregate: 1,000,000",
        "Medical Expense: $5K",
        "Workers Compensation: YES - Statutory   Policy #: WC-77120",
        "E.L. Each Accident $100,000",
        "CERTIFICATE HOLDER:",
        "Johnson Construction Co.",
        "789 Builder Blvd",
        "Anytown, ST 00000",
        "[X] Additional Insured (see attached)",
        "Policy Period: 01/01/2024 to 01/01/2025",
    ]
    result = read_lines(lines, Extraction())
    assert result.producer["name"] == "Lakeside Insurance Agency"
    assert result.producer["address"] == ["12 Harbor Road, Lakeside, MN 55555"]
    assert result.insured["name"] == "Northwind Electric LLC"
    assert result.insurers == {"A": {"name": "Prairie Mutual Insurance Company", "naic": "54321"}}
    assert result.certificate_holder == {
        "name": "Johnson Construction Co.",
        "address": ["789 Builder Blvd", "Anytown, ST 00000"],
    }
    gl, wc = result.coverages
    assert (gl.type, gl.policy_number, gl.insurer_letter) == ("GL", "CGL 20-4411", "A")
    assert gl.limits == {
        "EACH_OCCURRENCE": 500_000,
        "GENERAL_AGGREGATE": 1_000_000,
        "MED_EXP": 5_000,
    }
    # The one period printed applies to the policies that show none.
    assert (gl.effective_date, gl.expiration_date) == ("2024-01-01", "2025-01-01")
    assert (wc.type, wc.policy_number, wc.per_statute) == ("WC_EL", "WC-77120", True)
    assert wc.limits == {"EL_EACH_ACCIDENT": 100_000}
    assert (wc.effective_date, wc.expiration_date) == ("2024-01-01", "2025-01-01")


def test_what_the_layout_read_is_kept():
    """The layout reader's values win; labels only fill the gaps."""
    result = Extraction(insured={"name": "Read By Layout"})
    read_lines(
        ["Insured: Something Else", "General Liability GL-123456 01/01/2026 01/01/2027"], result
    )
    assert result.insured == {"name": "Read By Layout"}
    assert result.coverages[0].policy_number == "GL-123456"
    acord = extract(fx.layout_pdf(), use_ocr=False)
    assert not any("labels" in w for w in acord.warnings)
    assert acord.min_confidence() >= 0.9
