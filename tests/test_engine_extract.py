"""The certificate reader on certificates the project draws itself: one test
per strategy (text layout per edition, AcroForm namings, XFA, FreeText,
overprinted values, packets, OCR) and per bad input."""

import coi_fixtures as fx
import pytest
from coi_engine import extract
from coi_engine.extract import ocr, sniff
from coi_engine.extract.values import parse_amount, parse_date, parse_mark

EXPECTED = fx.expected(fx.SAMPLE)


def words(text):
    return " ".join((text or "").split())


def assert_reads_sample(result, expected=EXPECTED, method=None):
    assert result.error is None
    assert result.certificate_page is not None
    if method:
        assert result.method == method
    got = result.to_dict()
    for key in ("form", "certificate_date", "certificate_number"):
        assert got[key] == expected[key], key
    for party in ("producer", "insured", "certificate_holder"):
        assert got[party] == expected[party], party
    assert got["insurers"] == expected["insurers"]
    assert words(got["description_of_operations"]) == words(expected["description_of_operations"])
    coverages = {c["type"]: c for c in got["coverages"]}
    assert set(coverages) == {c["type"] for c in expected["coverages"]}
    for want in expected["coverages"]:
        have = coverages[want["type"]]
        for key, value in want.items():
            assert have[key] == value, f"{want['type']}.{key}"


@pytest.mark.parametrize("edition", ["2016/03", "2014/01", "2010/05", "2025/12", "2001/08"])
def test_text_layout_of_each_edition(edition):
    result = extract(fx.layout_pdf(edition=edition))
    assert_reads_sample(result, fx.expected(fx.SAMPLE, edition), method="text")
    assert result.min_confidence() >= 0.9


def test_yes_no_marks_instead_of_crosses():
    assert_reads_sample(extract(fx.layout_pdf(marks="YN")), method="text")


@pytest.mark.parametrize("naming", ["flat", "F0P1"])
def test_acroform_2016_namings(naming):
    result = extract(fx.acroform_pdf(naming=naming))
    assert_reads_sample(result, method="acroform")
    assert result.min_confidence() >= 0.98


def test_acroform_2001_naming():
    result = extract(fx.acroform_pdf(naming="2001"))
    assert_reads_sample(result, fx.expected(fx.SAMPLE, "2001/08"), method="acroform")


def test_xfa_data_without_field_values():
    assert_reads_sample(extract(fx.xfa_pdf()), method="acroform")


def test_values_only_in_freetext_annotations():
    assert_reads_sample(extract(fx.freetext_pdf()), method="freetext")


@pytest.mark.parametrize("mode", ["white", "covered"])
def test_superseded_value_does_not_win(mode):
    result = extract(fx.overprinted_pdf(mode=mode))
    gl = next(c for c in result.coverages if c.type == "GL")
    assert gl.limits["EACH_OCCURRENCE"] == 1_000_000
    assert_reads_sample(result)


def test_packet_finds_the_certificate_and_classifies_pages():
    result = extract(fx.packet_pdf())
    assert result.certificate_page == 2
    assert [p.kind for p in result.pages] == ["endorsement", "certificate", "policy_page"]
    assert_reads_sample(result)


def test_scanned_certificate_is_read_by_ocr():
    assert ocr.available(), "setup installs tesseract-ocr; OCR must be available"
    result = extract(fx.scanned_pdf())
    assert result.method == "ocr"
    assert result.certificate_page == 1
    assert result.insured["name"] == fx.SAMPLE["insured"]["name"]
    assert {c.type for c in result.coverages} >= {"GL", "WC_EL"}
    # Each value is as sure as OCR was of its words, and shows where it was read.
    assert all(c.confidence for c in result.coverages)
    assert set(result.snippets) == set(result.regions)
    assert any("OCR" in warning for warning in result.warnings)


def test_image_page_without_ocr_is_reported_not_guessed():
    result = extract(fx.scanned_pdf(), use_ocr=False)
    assert result.error is None
    assert result.certificate_page is None
    assert [p.kind for p in result.pages] == ["needs_ocr"]
    assert result.coverages == []


def test_png_certificate():
    result = extract(fx.scan_png())
    assert result.method == "ocr"
    assert result.insured["name"] == fx.SAMPLE["insured"]["name"]


@pytest.mark.parametrize(
    ("maker", "error"),
    [
        (fx.not_a_pdf, "The file is not a PDF or an image (PNG, JPEG, TIFF)."),
        (fx.corrupted_pdf, "The PDF is damaged or incomplete."),
        (fx.encrypted_pdf, "The PDF is protected by a password."),
        (fx.zero_page_pdf, "The PDF has no pages."),
        (lambda: b"", "The file is not a PDF or an image (PNG, JPEG, TIFF)."),
    ],
)
def test_bad_files_give_a_clear_error(maker, error):
    result = extract(maker())
    assert result.error == error
    assert result.coverages == []


def test_cat_picture_is_no_certificate():
    result = extract(fx.cat_png())
    assert result.error is None
    assert result.certificate_page is None
    assert "No certificate of insurance was found in the file." in result.warnings


def test_two_hundred_pages_are_read_within_limits():
    result = extract(fx.many_pages_pdf(n=200))
    assert result.error is None
    assert len(result.pages) == 200
    assert any("Only the first 60 of 200 pages were read." in w for w in result.warnings)
    assert result.coverages == []


def test_free_form_certificate_is_flagged_not_acord():
    result = extract(fx.nonacord_pdf())
    assert result.error is None
    assert any("does not have the ACORD 25 layout" in w for w in result.warnings)
    assert result.min_confidence() <= 0.5 or not result.coverages


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"%PDF-1.7\n...", "pdf"), (b"\x89PNG\r\n\x1a\n....", "png"), (b"\xff\xd8\xff\xe0", "jpeg")]
    + [(b"II*\x00", "tiff"), (b"MM\x00*", "tiff"), (b"GIF89a", None), (b"", None)],
)
def test_sniff_by_content(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$1,000,000", 1_000_000),
        ("1,000,000", 1_000_000),
        ("$ 500,000", 500_000),
        ("1000000", 1_000_000),
        ("1M", 1_000_000),
        ("2.5M", None),
        ("500K", 500_000),
        ("Included", "Included"),
        ("INCL", "Included"),
        ("", None),
        ("N/A", None),
    ],
)
def test_amounts(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("4/24/2026", "2026-04-24"),
        ("04/24/2026", "2026-04-24"),
        ("12/31/26", "2026-12-31"),
        ("2/30/2026", None),
        ("13/01/2026", None),
        ("", None),
    ],
)
def test_dates(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "flag"), [("X", True), ("Y", True), ("N", False), ("", None), (None, None)]
)
def test_marks(text, flag):
    assert parse_mark(text) == flag


# Each kind of page the fixtures draw, for the readers of characters.
DRAWN = {
    "2016": lambda: fx.layout_pdf(edition="2016/03"),
    "2001": lambda: fx.layout_pdf(edition="2001/08"),
    "acroform": lambda: fx.acroform_pdf(naming="flat"),
    "freetext": lambda: fx.freetext_pdf(),
    "white": lambda: fx.overprinted_pdf(mode="white"),
    "covered": lambda: fx.overprinted_pdf(mode="covered"),
    "packet": lambda: fx.packet_pdf(),
}


@pytest.mark.parametrize("maker", DRAWN.values(), ids=DRAWN.keys())
def test_characters_placed_as_pdfplumber_places_them(maker):
    """The reader takes a page's characters from its layout without
    pdfplumber's `page.chars` (which resolves every object of the page):
    the same characters, in the same order, at the same places."""
    import io

    import pdfplumber
    from coi_engine.extract import reader

    keys = ("text", "x0", "x1", "top", "bottom", "doctop", "upright", "non_stroking_color")
    with pdfplumber.open(io.BytesIO(maker())) as pdf:
        for page in pdf.pages:
            lean = reader._page_chars(page)
            assert lean == [{key: char[key] for key in keys} for char in page.chars]
            assert lean


def _shifted_mediabox_pdf():
    """A page whose mediabox does not start at 0, 0 (some agency systems)."""
    return fx.layout_pdf().replace(b"/MediaBox [ 0 0 612 792 ]", b"/MediaBox [ 20 30 632 822 ]")


def _invisible_layer_pdf():
    """Text drawn invisible (render mode 3), as an OCR layer over a scan."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=(612, 792))
    text = drawing.beginText(72, 700)
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 10)
    text.textLine("CERTIFICATE OF LIABILITY INSURANCE")
    drawing.drawText(text)
    drawing.drawString(72, 650, "INSURED Bench Roofing LLC")
    drawing.showPage()
    drawing.save()
    return buffer.getvalue()


PDFIUM_CASES = {**DRAWN, "shifted": _shifted_mediabox_pdf, "ocr": _invisible_layer_pdf}


@pytest.mark.parametrize("maker", PDFIUM_CASES.values(), ids=PDFIUM_CASES.keys())
def test_pdfium_places_characters_as_pdfminer_does(maker):
    """PDFium gives the page's characters (`pdfium_chars`: several times
    faster than pdfminer's interpreter) in the order they were drawn, at
    pdfminer's places within a third of a point, hidden when pdfminer's are
    (white), and the reader makes the same words of them."""
    import io

    import pdfplumber
    from coi_engine.extract import reader

    data = maker()
    if maker is _shifted_mediabox_pdf:
        assert b"/MediaBox [ 20 30 632 822 ]" in data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            by_pdfminer = reader._page_chars(page)
            by_pdfium = reader._pdfium_page_chars(page, data)
            assert by_pdfium is not None
            assert [c["text"] for c in by_pdfium] == [c["text"] for c in by_pdfminer]
            for ours, theirs in zip(by_pdfium, by_pdfminer, strict=True):
                for key in ("x0", "x1", "top", "bottom", "doctop"):
                    assert ours[key] == pytest.approx(theirs[key], abs=0.35), (ours, key)
                assert ours["upright"] == theirs["upright"]
                hidden = theirs["non_stroking_color"] in reader.WHITE
                assert (ours["non_stroking_color"] in reader.WHITE) == hidden
            ours, theirs = reader._text_words(page, data), reader._text_words(page)
            assert [w.text for w in ours] == [w.text for w in theirs]
            for mine, other in zip(ours, theirs, strict=True):
                assert (mine.x0, mine.top) == pytest.approx((other.x0, other.top), abs=0.35)


def test_turned_page_is_read_by_pdfminer():
    """On a page turned by /Rotate, PDFium's places are not pdfminer's (it
    does not turn them): that page's characters come from pdfminer."""
    import io

    import pdfplumber
    from coi_engine.extract import reader

    data = fx.layout_pdf().replace(b"/Rotate 0", b"/Rotate 90")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert pdf.pages[0].rotation == 90
        assert reader._pdfium_page_chars(pdf.pages[0], data) is None
        words = reader._text_words(pdf.pages[0], data)
        assert [w.text for w in words] == [w.text for w in reader._text_words(pdf.pages[0])]
        assert "CERTIFICATE" in [w.text for w in words]


def test_drop_overprinted_finds_what_comparing_every_pair_finds():
    """The grid of 6-point cells finds every character covered by more than
    a quarter by one drawn later, as comparing every pair does (boxes of at
    most 6 points, the size the grid is made for; spaces neither hide nor
    are hidden), on random pages dense enough to overlap often."""
    import random

    from coi_engine.extract.reader import _drop_overprinted

    def pairwise(chars):
        hidden = set()
        for later, char in enumerate(chars):
            if char["text"].isspace():
                continue
            for earlier in range(later):
                box = chars[earlier]
                if box["text"].isspace():
                    continue  # a space hides nothing and is never hidden
                width = min(box["x1"], char["x1"]) - max(box["x0"], char["x0"])
                height = min(box["bottom"], char["bottom"]) - max(box["top"], char["top"])
                area = (box["x1"] - box["x0"]) * (box["bottom"] - box["top"])
                if width > 0 and height > 0 and width * height > 0.25 * max(area, 1e-6):
                    hidden.add(earlier)
        return [c for i, c in enumerate(chars) if i not in hidden]

    rng = random.Random(7)  # noqa: S311 - reproducible test data
    dropped = 0
    for _page in range(40):
        chars = []
        for _ in range(300):
            x0, top = rng.uniform(-10, 120), rng.uniform(-10, 120)
            chars.append(
                {
                    "text": rng.choice("AB1 "),
                    "x0": x0,
                    "x1": x0 + rng.uniform(0, 6),
                    "top": top,
                    "bottom": top + rng.uniform(0, 6),
                }
            )
        expected = pairwise(chars)
        assert _drop_overprinted(chars) == expected
        dropped += len(chars) - len(expected)
    assert dropped > 500  # the pages did overprint (753 of 12,000)
