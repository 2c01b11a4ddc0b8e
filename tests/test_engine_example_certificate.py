"""The example certificate sent with the notices that ask for one: a page
laid out like a certificate of liability insurance, filled with the
vendor's requirements, whose text never overlaps and which the suite's own
reader reads back as a certificate."""

import io
import itertools

import pdfplumber
import pytest
from coi_engine.example_certificate import (
    ExampleCoverage,
    description_of_operations,
    example_certificate_pdf,
)
from coi_engine.extract import extract

HOLDER = ["Holder Company Inc", "1 Main St, Suite 400", "Austin TX 78701"]
GL_LIMITS = (
    ("Each Occurrence", "$1,000,000.00"),
    ("Damage to Rented Premises", "$100,000.00"),
    ("Medical Expense (any one person)", "$5,000.00"),
    ("Personal & Advertising Injury", "$1,000,000.00"),
    ("General Aggregate", "$2,000,000.00"),
    ("Products - Completed Operations Aggregate", "$2,000,000.00"),
)
WC_LIMITS = (
    ("E.L. Each Accident", "$1,000,000.00"),
    ("E.L. Disease - Each Employee", "$1,000,000.00"),
    ("E.L. Disease - Policy Limit", "$1,000,000.00"),
)
STANDARD = [
    ExampleCoverage(
        "Commercial General Liability",
        GL_LIMITS,
        "GL",
        additional_insured=True,
        waiver_of_subrogation=True,
        primary_noncontributory=True,
    ),
    ExampleCoverage(
        "Automobile Liability",
        (("Combined Single Limit (each accident)", "$1,000,000.00"),),
        "AUTO",
        additional_insured=True,
    ),
    ExampleCoverage(
        "Umbrella Liability",
        (("Each Occurrence", "$5,000,000.00"), ("Aggregate", "$5,000,000.00")),
        "UMBRELLA",
    ),
    ExampleCoverage(
        "Workers' Compensation and Employers' Liability",
        WC_LIMITS,
        "WC_EL",
        waiver_of_subrogation=True,
        per_statute=True,
    ),
]
# Many coverages, long names and a long holder: still one page, nothing overlaps.
CROWDED = STANDARD + [
    ExampleCoverage(
        "Professional Liability (Errors and Omissions) for Design-Build Contractors",
        (("Each Claim", "$2,000,000.00"), ("Annual Aggregate", "$4,000,000.00")),
        "PROF",
    ),
    ExampleCoverage(
        "Contractors Pollution Liability",
        (("Each Pollution Condition", "$10,000,000.00"), ("Aggregate", "$10,000,000.00")),
        "POLLUTION",
    ),
    ExampleCoverage("Installation Floater / Builders Risk", (), "IM"),
    ExampleCoverage(
        "Cyber Liability",
        (("Each Claim", "$1,000,000.00"), ("Aggregate", "$1,000,000.00")),
        "CYBER",
    ),
]
LONG_VENDOR = "Acme Roofing, Siding & Gutter Installation Services of Northern California LLC"
LONG_HOLDER = [
    "The Very Long Name Regional Construction Management Holdings International Ltd",
    "Attn: Risk Management & Contract Compliance Department",
    "250 Executive Park Boulevard, Building C, Suite 3400",
    "San Francisco CA 94134",
]


def words_of(pdf_bytes):
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
        edges = [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 4]
        return words, edges, page.width, page.height


def overlapping_chars(pdf_bytes):
    """Pairs of drawn characters whose boxes overlap (text run into other
    text fuses into one "word", so words alone would not tell)."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    grid = {}
    for index, char in enumerate(chars):
        grid.setdefault((int(char["x0"] // 20), int(char["top"] // 20)), []).append(index)
    pairs = set()
    for (gx, gy), members in grid.items():
        near = [
            i for dx in (-1, 0, 1) for dy in (-1, 0, 1) for i in grid.get((gx + dx, gy + dy), ())
        ]
        for i in members:
            pairs.update((i, j) for j in near if j > i and overlap(chars[i], chars[j]))
    return [(chars[i]["text"], chars[j]["text"], round(chars[i]["top"])) for i, j in pairs]


def text_of(pdf_bytes):
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def overlap(a, b):
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width > 0.3 and height > 0.3


@pytest.fixture(scope="module")
def standard_pdf():
    return example_certificate_pdf("Acme Roofing & Sons", HOLDER, STANDARD, "A- VII")


def test_example_shows_the_requirements_and_who_fills_the_rest(standard_pdf):
    assert standard_pdf.startswith(b"%PDF")
    text = text_of(standard_pdf)
    for expected in (
        "EXAMPLE",
        "CERTIFICATE OF LIABILITY INSURANCE",
        "Acme Roofing & Sons",
        "PRODUCER",
        "INSURED",
        "INSURER A :",
        "TYPE OF INSURANCE",
        "ADDL",
        "SUBR",
        "POLICY NUMBER",
        "COMMERCIAL GENERAL LIABILITY",
        "Each Occurrence",
        "$1,000,000.00",
        "$5,000,000.00",
        "PER STATUTE",
        "DESCRIPTION OF OPERATIONS / LOCATIONS / VEHICLES",
        "CERTIFICATE HOLDER",
        "Holder Company Inc",
        "Austin TX 78701",
        "your agent fills this",
        "your agent fills these",
        "exactly this name and address",
        "rated at least A- VII by AM Best",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("vendor", "holder", "coverages"),
    [
        ("Acme Roofing & Sons", HOLDER, STANDARD),
        (LONG_VENDOR, LONG_HOLDER, CROWDED),
        ("Solo Painter", ["Holder"], STANDARD[:1]),
        ("Nothing Required", [], []),
    ],
    ids=["standard", "crowded", "one-coverage", "empty"],
)
def test_no_two_words_overlap_and_no_rule_crosses_a_word(vendor, holder, coverages):
    pdf = example_certificate_pdf(vendor, holder, coverages)
    words, edges, width, height = words_of(pdf)
    assert words
    assert overlapping_chars(pdf) == []
    for a, b in itertools.combinations(words, 2):
        assert not overlap(a, b), (a["text"], b["text"])
    for word in words:
        assert 0 <= word["x0"] and word["x1"] <= width and word["bottom"] <= height, word["text"]
        for edge in edges:
            crosses = word["x0"] + 0.3 < edge["x0"] < word["x1"] - 0.3
            beside = edge["top"] < word["bottom"] and edge["bottom"] > word["top"]
            assert not (crosses and beside), (word["text"], edge["x0"])


def column_of(word, edges):
    """The x of the nearest vertical rules left and right of a word."""
    beside = [e for e in edges if e["top"] < word["bottom"] and e["bottom"] > word["top"]]
    left = max((e["x0"] for e in beside if e["x0"] <= word["x0"]), default=None)
    right = min((e["x0"] for e in beside if e["x0"] >= word["x1"]), default=None)
    return left, right


def test_long_names_and_limits_stay_in_their_cells():
    words, edges, _w, _h = words_of(example_certificate_pdf(LONG_VENDOR, LONG_HOLDER, CROWDED))
    header = {w["text"]: w for w in words if w["top"] < 400}
    type_column = column_of(header["TYPE"], edges)
    limits_column = column_of(header["LIMITS"], edges)
    by_text = {}
    for word in words:
        by_text.setdefault(word["text"], []).append(word)

    # The name and every word of it in the TYPE OF INSURANCE column.
    for name in ("DESIGN-BUILD", "CONTRACTORS", "EMPLOYERS'", "POLLUTION", "FLOATER"):
        assert {column_of(w, edges) for w in by_text[name]} == {type_column}, name
    # A long limit name in the limits column, left of its amount.
    for part in ("Products", "Completed", "Operations", "Pollution", "Condition", "Disease"):
        for word in by_text[part]:
            left, right = column_of(word, edges)
            assert left == limits_column[0] and right < limits_column[1], part


def test_the_suites_reader_reads_the_example_back(standard_pdf):
    result = extract(standard_pdf, use_ocr=False)
    assert result.error is None
    assert result.is_certificate
    assert result.insured["name"] == "Acme Roofing & Sons"
    assert result.certificate_holder["name"] == "Holder Company Inc"
    assert result.certificate_holder["address"] == HOLDER[1:]
    read = {c.type: c for c in result.coverages}
    assert list(read) == ["GL", "AUTO", "UMBRELLA", "WC_EL"]
    assert read["GL"].limits == {
        "EACH_OCCURRENCE": 1_000_000,
        "DAMAGE_TO_RENTED_PREMISES": 100_000,
        "MED_EXP": 5_000,
        "PERSONAL_ADV_INJURY": 1_000_000,
        "GENERAL_AGGREGATE": 2_000_000,
        "PRODUCTS_COMP_OP_AGG": 2_000_000,
    }
    assert read["AUTO"].limits == {"COMBINED_SINGLE_LIMIT": 1_000_000}
    assert read["UMBRELLA"].limits == {"EACH_OCCURRENCE": 5_000_000, "AGGREGATE": 5_000_000}
    assert read["WC_EL"].limits == {
        "EL_EACH_ACCIDENT": 1_000_000,
        "EL_DISEASE_EA_EMPLOYEE": 1_000_000,
        "EL_DISEASE_POLICY_LIMIT": 1_000_000,
    }
    # The marks where the requirements ask for them, and only there.
    assert (read["GL"].additional_insured, read["GL"].subrogation_waived) == (True, True)
    assert (read["AUTO"].additional_insured, read["AUTO"].subrogation_waived) == (True, None)
    assert (read["UMBRELLA"].additional_insured, read["UMBRELLA"].subrogation_waived) == (
        None,
        None,
    )
    assert (read["WC_EL"].additional_insured, read["WC_EL"].subrogation_waived) == (None, True)
    assert read["WC_EL"].per_statute is True
    # What the agent fills is not made up: no policy number, no dates.
    assert all(c.policy_number is None and c.effective_date is None for c in result.coverages)
    assert "additional insured" in result.description_of_operations


def test_description_of_operations_only_when_the_requirements_ask():
    wording = description_of_operations(HOLDER, STANDARD)
    assert wording.startswith(
        "Holder Company Inc is included as additional insured on the Commercial General "
        "Liability and Automobile Liability policies."
    )
    assert (
        "Waiver of subrogation in favor of Holder Company Inc on the Commercial General "
        "Liability and Workers' Compensation and Employers' Liability policies." in wording
    )
    assert "Commercial General Liability coverage is primary and non-contributory" in wording
    plain = [ExampleCoverage("Commercial General Liability", GL_LIMITS[:1], "GL")]
    assert description_of_operations(HOLDER, plain) == ""
    text = text_of(example_certificate_pdf("Acme", HOLDER, plain))
    assert "nothing is required here" in text
    assert "additional insured" not in text


def test_example_without_requirements_still_draws():
    pdf = example_certificate_pdf("<Vendor>", [], [])
    text = text_of(pdf)
    assert "<Vendor>" in text
    assert "no coverage required" in text
    assert extract(pdf, use_ocr=False).is_certificate


def test_notes_in_the_readers_language():
    """The caller gives the notes in the reader's language: they replace the
    English ones, placeholders filled; the form stays a certificate."""
    notes = {
        "intro": "Esto es un ejemplo, no un certificado, para {vendor}.",
        "insurer_rating": "cada aseguradora con calificación {rating} o superior de AM Best",
        "agent_signs": "firma su agente",
        "policy_number": "número de póliza",
    }
    pdf = example_certificate_pdf("Acme Roofing & Sons", HOLDER, STANDARD, "A- VII", notes)
    text = text_of(pdf)
    assert "Esto es un ejemplo, no un certificado, para Acme Roofing & Sons." in text
    assert "calificación A- VII o superior" in text
    assert "firma su agente" in text
    assert "your agent signs" not in text
    assert "This is an example, not a certificate" not in text
    assert extract(pdf, use_ocr=False).is_certificate
