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

    words = grid.read(pixels, rules, [*header, noise], reader=reader)
    texts = sorted(w.text for w in words if w not in header)
    assert texts == ["X"]  # "Q" is no insurer letter; "xX" was replaced
    mark = next(w for w in words if w.text == "X")
    # One allowed character alone in its cell: sure, whatever Tesseract says.
    assert mark.confidence == grid.CELL_CONFIDENCE
    assert 240 * scale < mark.x0 < mark.x1 < 280 * scale
