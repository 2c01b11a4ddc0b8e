"""The form's cells on a scan: the insurer letter, ADDL INSD and SUBR WVD
of each coverage row read from their own cells, blank cells left blank."""

import coi_fixtures as fx
import numpy as np
import pytest
from coi_engine import extract
from coi_engine.extract import grid, layout, ocr

EXPECTED = {c["type"]: c for c in fx.expected(fx.SAMPLE)["coverages"]}


def flags_and_letters(result):
    return {
        c.type: (c.insurer_letter, c.additional_insured, c.subrogation_waived)
        for c in result.coverages
    }


def truth():
    return {
        kind: (c["insurer_letter"], c["additional_insured"], c["subrogation_waived"])
        for kind, c in EXPECTED.items()
    }


@pytest.fixture(scope="module")
def clean_scan():
    image = fx.simulate(fx.layout_pdf())[0]
    return ocr.scan(image)


def test_cells_are_found_on_the_rules_one_per_coverage_row(clean_scan):
    scale = 612 / clean_scan.image.shape[1]
    cells = grid.cells(clean_scan.rules, clean_scan.words, scale)
    by_column = {}
    for cell in cells:
        by_column.setdefault(cell.column, []).append(cell)
    assert set(by_column) == {"letter", "insd", "wvd"}
    # Four coverage rows and the blank band above the description.
    for column in by_column.values():
        assert len(column) >= 4
    letter = by_column["letter"][0]
    # The insurer letter column lies at the form's left edge, a narrow one.
    assert letter.x0 * scale < 40 and (letter.x1 - letter.x0) * scale < 25


@pytest.mark.parametrize("case", ["clean 200 dpi", "rotated 90", "jpeg q35", "fax 200x100"])
def test_letters_and_marks_of_every_row_are_read(case):
    """Page mode 11 alone drops these single characters; the cells read them."""
    pdf = fx.images_pdf(fx.simulate(fx.layout_pdf(), **fx.SCAN_CASES[case]))
    result = extract(pdf)
    assert result.method == "ocr"
    assert flags_and_letters(result) == truth()


def test_a_blank_cell_stays_blank_whatever_specks_read_there():
    """Ink too small to be a character (dust) is not a mark: the UMBRELLA
    row has no ADDL INSD or SUBR WVD on the drawn certificate."""
    image = fx.simulate(fx.layout_pdf(), noise=18.0)[0]
    scan = ocr.scan(image)
    result = layout.read_page(scan.words)
    umbrella = next(c for c in result.coverages if c.type == "UMBRELLA")
    assert umbrella.additional_insured is None
    assert umbrella.subrogation_waived is None


def test_a_cell_reads_only_what_it_may_hold():
    """A letter cell that reads anything but one of A-F keeps no word; the
    cell's own reading replaces the page's words inside it."""
    pixels = np.full((1000, 800), 255, dtype=np.uint8)
    rules = np.zeros_like(pixels, dtype=bool)
    scale = 612 / 800
    for x in (20, 60, 240, 280, 320):  # verticals: letter, ..., insd, wvd
        rules[250:900, x : x + 2] = True
    for y in (250, 450, 900):  # the header's bottom, a row's, the table's end
        rules[y : y + 2, 20:320] = True
    pixels[330:360, 32:48] = 0  # ink in the first row's letter cell
    pixels[330:360, 252:268] = 0  # and in its ADDL INSD cell

    def word(text, x0, x1, top, bottom):
        return layout.Word(text, x0 * scale, x1 * scale, top * scale, bottom * scale)

    header = [
        word("INSR", 20, 55, 230, 245),
        word("TYPE", 100, 140, 230, 245),
        word("INSD", 242, 278, 230, 245),
        word("WVD", 282, 318, 230, 245),
    ]
    noise = word("xX", 250, 270, 330, 360)

    def reader(image, whitelist, deadline):
        assert set(whitelist) >= set("ABCDEFXYN")
        return [("Q", 64, 0.9), ("X", 64 + 30 + 2 * grid.PAD + grid.GAP, 0.8)]

    prior = word("B", 34, 46, 330, 360)  # what the page's reading saw in the letter cell
    words = grid.read(pixels, rules, [*header, noise, prior], reader=reader)
    texts = sorted(w.text for w in words if w not in header)
    # "Q" is no insurer letter: the page's own "B" stands; "xX" was replaced.
    assert texts == ["B", "X"]
    mark = next(w for w in words if w.text == "X")
    # One allowed character alone in its cell: sure, whatever Tesseract says.
    assert mark.confidence == grid.CELL_CONFIDENCE
    assert 240 * scale < mark.x0 < mark.x1 < 280 * scale


def test_a_limit_whose_label_ocr_lost_has_its_label_cell_read_again():
    """An amount whose label reads "E.L." alone: the cell between the two
    rules left of it is read on its own and its words take the place."""
    pixels = np.full((400, 2550), 255, dtype=np.uint8)
    rules = np.zeros_like(pixels, dtype=bool)
    scale = 612 / 2550
    for x in (1700, 2050):  # left of the labels; between the label and "$"
        rules[:, x : x + 3] = True
    pixels[200:230, 1720:1760] = 0  # the label's ink
    amount = layout.Word("1,000,000", 2100 * scale, 2240 * scale, 200 * scale, 230 * scale)
    lost = layout.Word("E.L.", 1720 * scale, 1760 * scale, 200 * scale, 230 * scale, 0.9)
    seen = []

    def reader(image, deadline):
        seen.append(image.size)
        top = grid.GAP + grid.PAD
        return [
            ("E.L.", 16, top, 60, top + 30, 0.95),
            ("DISEASE", 70, top, 180, top + 30, 0.95),
            ("-", 190, top, 200, top + 30, 0.9),
            ("EA", 210, top, 240, top + 30, 0.95),
            ("EMPLOYEE", 250, top, 300, top + 30, 0.95),
        ]

    words = grid.relabel(pixels, rules, [amount, lost], reader=reader)
    assert len(seen) == 1  # one reading for every label read again
    label = [w for w in words if w is not amount]
    assert " ".join(w.text for w in label) == "E.L. DISEASE - EA EMPLOYEE"
    assert all(1700 * scale < w.x0 < w.x1 < 2050 * scale for w in label)
    assert layout.limit_code("WC_EL", " ".join(w.text for w in label)) == "EL_DISEASE_EA_EMPLOYEE"
    # A label that names its limit is not read again.
    assert grid.relabel(pixels, rules, [amount, *label], reader=reader) == [amount, *label]
    assert len(seen) == 1


def test_a_doubtful_value_is_read_again_with_what_it_may_hold():
    pixels = np.full((400, 2550), 255, dtype=np.uint8)
    pixels[100:130, 1000:1150] = 0
    scale = 612 / 2550

    def word(text, confidence):
        return layout.Word(text, 1000 * scale, 1150 * scale, 100 * scale, 130 * scale, confidence)

    def answering(text, confidence):
        def reader(image, characters, deadline):
            assert characters == "$0123456789,"  # an amount holds no letter
            return [(text, grid.GAP + grid.PAD, confidence)]

        return reader

    doubtful = word("6,000", 0.72)
    [better] = grid.reread(pixels, [doubtful], reader=answering("5,000", 0.93))
    assert (better.text, better.confidence) == ("5,000", 0.93)
    # Not surer, or not an amount: the first reading stays.
    assert grid.reread(pixels, [doubtful], reader=answering("5,000", 0.6)) == [doubtful]
    assert grid.reread(pixels, [doubtful], reader=answering("5,00", 0.99)) == [doubtful]
    # A sure word is not read again.
    sure = word("6,000", 0.95)
    assert grid.reread(pixels, [sure], reader=answering("5,000", 0.99)) == [sure]


def test_an_insurer_letter_ocr_garbled_follows_the_one_before():
    """INSURER B read "INSURER &": the insurers are listed A to F."""

    def row(top, *texts):
        x, words = 310.0, []
        for text in texts:
            words.append(layout.Word(text, x, x + 5 * len(text), top, top + 7, 0.96))
            x += 5 * len(text) + 3
        return words

    words = [
        layout.Word("PRODUCER", 20, 60, 120, 127),
        *row(160, "INSURER(S)", "AFFORDING", "COVERAGE", "NAIC", "#"),
        *row(172, "INSURER", "A", ":", "Bluewater", "Casualty", "12345"),
        *row(184, "INSURER", "&", "Ironclad", "Indemnity", "23456"),
    ]
    words[-4] = layout.Word("&", words[-4].x0, words[-4].x1, 184, 191, 0.52)
    result = layout.read_page(words)
    assert result.insurers["B"] == {"name": "Ironclad Indemnity", "naic": "23456"}
    # Told by its place, not read: as sure as the token that stood for it.
    assert result.confidence["insurers.B"] < result.confidence["insurers.A"]


def test_a_fax_tiff_is_read_as_surely_as_its_text_layer():
    """At 200 x 100 dpi, black and white, every coverage value right and sure."""
    tiff = fx.images_tiff(fx.simulate(fx.layout_pdf(), fax=True))
    result = extract(tiff)
    assert flags_and_letters(result) == truth()
    for coverage in result.coverages:
        expected = EXPECTED[coverage.type]
        assert coverage.policy_number == expected["policy_number"]
        assert coverage.limits == expected["limits"]
        assert min(coverage.confidence.values()) >= 0.9, coverage.confidence


def test_check_boxes_are_read_from_their_pixels(clean_scan):
    """The drawn form's 22 boxes of the type-of-insurance column, the six
    ticked ones told from their ink: the general liability, occurrence and
    per-policy boxes, any auto, umbrella and its occurrence."""
    scale = 612 / clean_scan.image.shape[1]
    found = grid.boxes(clean_scan.image, int(300 / scale), int(530 / scale), int(215 / scale))
    assert len(found) == 22
    ticked = sorted((round(b.x0 * scale), round(b.top * scale)) for b in found if b.ticked)
    assert len(ticked) == 6
    # Every box about a third of an inch square or less.
    assert all(6 <= (b.x1 - b.x0) * scale <= 14 for b in found)


def test_a_tick_ocr_lost_is_read_from_the_box(clean_scan):
    """With every X OCR read in the type column taken away, the ticked boxes
    still say occurrence (not claims-made) for general liability and umbrella."""
    words = [w for w in clean_scan.words if not (w.text.upper() in ("X", "XX") and w.x0 < 170)]
    assert layout.read_page(words).coverages[0].occurrence is None  # lost with the X
    result = layout.read_page(grid.ticks(clean_scan.image, words))
    occurrence = {c.type: c.occurrence for c in result.coverages}
    assert occurrence["GL"] is True and occurrence["UMBRELLA"] is True
