"""The example certificate sent with the notices that ask for one."""

import io

import pdfplumber
from coi_engine.example_certificate import ExampleCoverage, example_certificate_pdf


def text_of(pdf_bytes):
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_example_shows_vendor_coverages_and_holder():
    coverages = [
        ExampleCoverage(
            "Commercial General Liability",
            (("Each Occurrence", "$1,000,000.00"), ("General Aggregate", "$2,000,000.00")),
            ("Additional insured", "Waiver of subrogation"),
        ),
        ExampleCoverage("Workers' Compensation", endorsements=("Per statute",)),
    ]
    pdf = example_certificate_pdf(
        "Acme Roofing & Sons", ["Holder Company Inc", "1 Main St", "Austin TX 78701"], coverages
    )
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "EXAMPLE" in text
    assert "Acme Roofing & Sons" in text
    assert "Commercial General Liability" in text
    assert "Each Occurrence: $1,000,000.00" in text
    assert "General Aggregate: $2,000,000.00" in text
    assert "Additional insured" in text
    assert "Workers' Compensation" in text
    assert "as required" in text  # no limits given
    assert "CERTIFICATE HOLDER" in text
    assert "Holder Company Inc" in text
    assert "Austin TX 78701" in text


def test_example_without_requirements_still_draws():
    text = text_of(example_certificate_pdf("<Vendor>", [], []))
    assert "<Vendor>" in text
    assert "Coverage" in text
