"""The values read off a certificate, one by one, for the review screen
(engine/extract/listing.py): label, value as text, confidence and where it
was read, in the page's order."""

import base64

import coi_fixtures as fx
import pytest
from coi_engine.extract import ValueRead, confidence_level, extract, values_read
from coi_engine.extract.model import FAIR, GOOD, HIGH, LOW, Coverage, Extraction
from coi_engine.vocabulary import ConfidenceLevel

# A 1x1 PNG, as OCR would give for a region (any PNG does here).
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201c8a9b0"
        "2f0000000049454e44ae426082"
    )
).decode()


def by_key(values):
    return {value.key: value for value in values}


def scanned():
    """What the OCR reader gives for a faxed certificate: per-value
    confidences, regions and images of them."""
    return Extraction(
        certificate_date="2026-03-02",
        insured={"name": "Granite Peak Roofing LLC"},
        insurers={"A": {"name": "Bluewater Casualty", "naic": "12345"}},
        coverages=[
            Coverage(
                type="GL",
                insurer_letter="A",
                policy_number="GL-7781234",
                effective_date="2026-03-01",
                expiration_date="2027-03-01",
                additional_insured=True,
                subrogation_waived=False,
                limits={"GENERAL_AGGREGATE": 2_000_000, "EACH_OCCURRENCE": 1_000_000},
                confidence={
                    "insurer_letter": GOOD,
                    "policy_number": FAIR,
                    "effective_date": GOOD,
                    "expiration_date": GOOD,
                    "additional_insured": GOOD,
                    "subrogation_waived": FAIR,
                    "limits": FAIR,
                    "limits.EACH_OCCURRENCE": LOW,
                    "limits.GENERAL_AGGREGATE": GOOD,
                },
            ),
            Coverage(
                type="AUTO",
                insurer_letter="A",
                policy_number="BA-1",
                limits={"COMBINED_SINGLE_LIMIT": 1_000_000},
                confidence={"policy_number": GOOD, "limits": GOOD},
            ),
        ],
        confidence={"certificate_date": GOOD, "insured.name": GOOD, "insurers.A": FAIR},
        certificate_page=2,
        method="ocr",
        regions={
            "certificate_date": [2, 480.0, 40.5, 560.0, 52.0],
            "coverages.0.policy_number": [2, 150.0, 300.0, 230.0, 312.0],
            "coverages.0.limits.EACH_OCCURRENCE": [2, 500.0, 300.0, 580.0, 312.0],
        },
        snippets={"coverages.0.policy_number": PNG, "coverages.0.limits.EACH_OCCURRENCE": PNG},
    )


def test_a_digital_certificate_lists_every_value_in_the_page_s_order():
    values = values_read(extract(fx.layout_pdf()))
    keys = [value.key for value in values]
    assert keys[:7] == [
        "certificate_date",
        "certificate_number",
        "producer.name",
        "insured.name",
        "insurers.A",
        "insurers.B",
        "insurers.C",
    ]
    assert keys[-2:] == ["description_of_operations", "certificate_holder.name"]
    # Each coverage's fields follow the row, the limits in the form's order.
    gl = [key.split(".", 2)[2] for key in keys if key.startswith("coverages.0.")]
    assert gl == [
        "insurer_letter",
        "policy_number",
        "effective_date",
        "expiration_date",
        "additional_insured",
        "subrogation_waived",
        "limits.EACH_OCCURRENCE",
        "limits.DAMAGE_TO_RENTED_PREMISES",
        "limits.MED_EXP",
        "limits.PERSONAL_ADV_INJURY",
        "limits.GENERAL_AGGREGATE",
        "limits.PRODUCTS_COMP_OP_AGG",
    ]
    shown = {value.label: value.value for value in values}
    assert shown["Certificate date"] == "2026-03-02"
    assert shown["Insured"] == fx.SAMPLE["insured"]["name"]
    assert shown["Insurer A"] == "Bluewater Casualty Insurance Company (NAIC 12345)"
    assert shown["General liability: policy number"] == "GL-7781234"
    assert shown["General liability: effective date"] == "2026-03-01"
    assert shown["General liability: each occurrence"] == "$1,000,000"
    assert shown["General liability: additional insured"] == "Yes"
    assert shown["Auto: combined single limit"] == "$1,000,000"
    assert shown["Workers' compensation: per statute"] == "Yes"
    assert shown["Certificate holder"] == fx.SAMPLE["certificate_holder"]["name"]
    # Read from the text layer at their labels: good, on page 1, no image.
    assert {value.confidence for value in values} == {GOOD}
    assert {value.level for value in values} == {ConfidenceLevel.GOOD}
    assert not any(value.needs_look for value in values)
    assert {value.page for value in values} == {1}
    # A text layer says where each value stands; only a scan has its image.
    assert all(value.box for value in values)
    assert not any(value.snippet for value in values)


def test_form_fields_are_read_with_high_confidence():
    values = by_key(values_read(extract(fx.acroform_pdf())))
    assert values["coverages.0.policy_number"].confidence == HIGH
    assert values["coverages.0.limits.EACH_OCCURRENCE"].value == "$1,000,000"
    assert values["certificate_holder.name"].confidence == HIGH


def test_every_confidence_of_the_reading_has_its_value():
    result = extract(fx.layout_pdf())
    keys = {value.key for value in values_read(result)}
    assert set(result.confidence) <= keys
    for index, coverage in enumerate(result.coverages):
        named = {f"coverages.{index}.{name}" for name in coverage.confidence if name != "limits"}
        assert named <= keys


def test_a_scan_s_values_carry_their_own_confidence_region_and_image():
    values = by_key(values_read(scanned()))
    number = values["coverages.0.policy_number"]
    assert number == ValueRead(
        key="coverages.0.policy_number",
        label="General liability: policy number",
        value="GL-7781234",
        confidence=FAIR,
        page=2,
        box=[150.0, 300.0, 230.0, 312.0],
        snippet=PNG,
    )
    assert (number.level, number.needs_look) == (ConfidenceLevel.FAIR, True)
    occurrence = values["coverages.0.limits.EACH_OCCURRENCE"]
    assert (occurrence.value, occurrence.confidence, occurrence.level) == (
        "$1,000,000",
        LOW,
        ConfidenceLevel.LOW,
    )
    assert occurrence.snippet == PNG
    # A limit with a confidence of its own keeps it; the others take the limits'.
    assert values["coverages.0.limits.GENERAL_AGGREGATE"].confidence == GOOD
    assert values["coverages.1.limits.COMBINED_SINGLE_LIMIT"].confidence == GOOD
    assert values["coverages.0.subrogation_waived"].value == "No"
    # Where no region was read, the value is on the certificate's page.
    date = values["certificate_date"]
    assert (date.page, date.box, date.snippet) == (2, [480.0, 40.5, 560.0, 52.0], None)
    assert (values["insured.name"].page, values["insured.name"].box) == (2, None)
    # A field read without a confidence of its own was read with its row,
    # whatever one value of the row was read with.
    assert values["coverages.1.insurer_letter"].confidence == GOOD
    row = Coverage(
        type="GL",
        insurer_letter="A",
        policy_number="GL-1",
        effective_date="2026-13-01",
        confidence={"policy_number": FAIR, "effective_date": LOW},
    )
    row_values = by_key(values_read(Extraction(coverages=[row])))
    assert row_values["coverages.0.insurer_letter"].confidence == FAIR
    assert row_values["coverages.0.effective_date"].confidence == LOW
    # The limits in the form's order, not as read.
    keys = [key for key in values if key.startswith("coverages.0.limits.")]
    assert keys == ["coverages.0.limits.EACH_OCCURRENCE", "coverages.0.limits.GENERAL_AGGREGATE"]


def test_blanks_included_amounts_and_other_coverages():
    result = Extraction(
        certificate_number=None,
        insured={"name": "  Granite   Peak  "},
        coverages=[
            Coverage(
                type="OTHER",
                description="Contractors Equipment",
                policy_number="IM-1",
                additional_insured=None,
                limits={"EACH_OCCURRENCE": "Included", "ZZ_CUSTOM": 2500},
                confidence={"policy_number": LOW, "additional_insured": FAIR, "limits": FAIR},
            ),
            Coverage(type="CYBER", policy_number="CY-1", confidence={"policy_number": GOOD}),
        ],
        # Read where a number should be, and nothing there.
        confidence={"certificate_number": LOW, "insured.name": GOOD},
    )
    values = by_key(values_read(result))
    assert values["certificate_number"].value == "(blank)"
    assert values["insured.name"].value == "Granite Peak"
    assert values["coverages.0.additional_insured"].value == "(blank)"
    assert values["coverages.0.policy_number"].label == "Contractors Equipment: policy number"
    assert values["coverages.0.limits.EACH_OCCURRENCE"].value == "Included"
    assert values["coverages.0.limits.ZZ_CUSTOM"].value == "$2,500"
    assert values["coverages.0.limits.ZZ_CUSTOM"].label == "Contractors Equipment: zz custom"
    assert values["coverages.1.policy_number"].label == "Cyber liability: policy number"
    # Fields neither read nor given a confidence are not listed.
    assert "coverages.0.effective_date" not in values
    assert "certificate_date" not in values
    assert "producer.name" not in values
    assert values_read(Extraction(error="Not a PDF")) == []


@pytest.mark.parametrize(
    ("confidence", "level"),
    [
        (HIGH, ConfidenceLevel.GOOD),
        (GOOD, ConfidenceLevel.GOOD),
        (0.89, ConfidenceLevel.FAIR),
        (FAIR, ConfidenceLevel.FAIR),
        (0.74, ConfidenceLevel.LOW),
        (LOW, ConfidenceLevel.LOW),
        (None, ConfidenceLevel.LOW),
    ],
)
def test_confidence_levels_follow_the_engine_s_thresholds(confidence, level):
    assert confidence_level(confidence) == level
