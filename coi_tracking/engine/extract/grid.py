"""The form's cells on a scanned page, from the ruling lines OCR removed.

Tesseract reading a whole page sparsely (page mode 11) drops what stands
alone in a narrow cell: the insurer letter of a coverage row, the X or Y
of ADDL INSD and SUBR WVD. Those cells are found on the form's own rules:
the header words name the columns, the vertical rules bound them, the
horizontal rules across each column split it into the coverage rows. A
cell with ink is read again on its own with the characters it may hold
(`LETTERS`, `MARKS`); a cell without ink is blank, whatever OCR made of
specks there. What a cell reads replaces the page's words inside it.

Pixels are those of `ocr.Scan` (DPI, upright and level); words are in
points of a US-letter page, as everywhere in the reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import Word

LETTERS = "ABCDEF"
MARKS = "XYN/A"
INK = 160  # gray level under which a pixel of a cell is ink
LIGHT_RULE = 215  # a blurred hairline: dark enough along a whole column
MIN_INK_PIXELS = 40  # at 300 dpi: a letter of 6 points has several hundred
MIN_INK_HEIGHT = 0.45  # of a 6-point capital: shorter is a speck or a rule's end
RULE_SHARE = 0.4  # of a band's height (or a column's width) that a rule covers
CELL_CONFIDENCE = 0.9  # of one allowed character read alone in its cell
GAP = 48  # pixels of white between cells laid out for the second reading
PAD = 16


@dataclass
class Cell:
    column: str  # "letter", "insd", "wvd"
    x0: int  # pixels, the cell inside its rules
    top: int
    x1: int
    bottom: int


_HEADERS = {
    "letter": re.compile(r"^(LTR|L.R|INSR)$"),
    "insd": re.compile(r"^(INSD|INS[DO0]|ADDL)$"),
    "wvd": re.compile(r"^(WVD|W.D|SUBR)$"),
}


def _header(words):
    """{column: header word} of the coverages table's header row (a header
    OCR lost is told by the rules), and the header's bottom (points);
    ({}, None) when the row is not found."""
    named = re.compile(r"^(TYPE|INSURANCE|LTR|INSR|ADDL|INSD|SUBR|WVD)$")
    anchors = [w for w in words if named.match(w.text.upper()) and w.top > 150 and w.x0 < 300]
    for anchor in sorted(anchors, key=lambda w: w.top):
        row = [w for w in words if abs(_yc(w) - _yc(anchor)) <= 9 and w.x0 < 300]
        if sum(1 for w in row if named.match(w.text.upper())) < 2:
            continue
        found = {}
        for column, pattern in _HEADERS.items():
            match = [w for w in row if pattern.match(w.text.upper())]
            match = [w for w in match if (w.x0 < 80) == (column == "letter")]
            if match:
                found[column] = min(match, key=lambda w: w.x0)
        return found, max(w.bottom for w in row)
    return {}, None


def _yc(word):
    return (word.top + word.bottom) / 2


def _peaks(profile, threshold):
    """Centres of the runs of `profile` (1-D) at or over `threshold`."""
    import numpy as np

    high = np.flatnonzero(profile >= threshold)
    if not len(high):
        return []
    breaks = np.flatnonzero(np.diff(high) > 1)
    starts = np.concatenate(([high[0]], high[breaks + 1]))
    ends = np.concatenate((high[breaks], [high[-1]]))
    return [int((s + e) // 2) for s, e in zip(starts, ends, strict=True)]


def cells(rules, words, scale, pixels=None):
    """The cells of the letter, ADDL INSD and SUBR WVD columns, one per
    coverage row (`rules`: the rule mask; `scale`: points per pixel). A
    blurred scan's hairlines are too light to be taken out as rules: with
    `pixels`, lighter lines count too (a column or row dark nearly all
    along is a rule, never text)."""
    if pixels is not None:
        rules = rules | (pixels < LIGHT_RULE)
    header, header_bottom = _header(words)
    if header_bottom is None:
        return []
    height, width = rules.shape
    end_words = [
        w for w in words if w.text.upper() == "DESCRIPTION" and w.x0 < 80 and w.top > header_bottom
    ]
    end = min((w.top for w in end_words), default=header_bottom + 330) / scale
    top = int(header_bottom / scale)
    bottom = int(min(end, height))
    if bottom - top < 40:
        return []
    verticals = _peaks(rules[top:bottom].sum(axis=0), RULE_SHARE * (bottom - top))
    found = []
    for column, (left, right) in _columns(header, verticals, scale).items():
        x0, x1 = left + 4, right - 4
        across = _peaks(rules[top:bottom, x0:x1].sum(axis=1), 0.8 * (x1 - x0))
        edges = [top] + [top + y for y in across] + [bottom]
        for upper, lower in zip(edges, edges[1:], strict=False):
            if (lower - upper) * scale >= 8:
                found.append(Cell(column, x0, upper + 4, x1, lower - 4))
    return found


def _columns(header, verticals, scale):
    """{column: (left rule, right rule)} in pixels. The narrow columns of
    the table (under 35 points) are the insurer letter's at the left edge,
    then ADDL INSD and SUBR WVD before the policy number; a header word
    read confirms its column."""
    narrow = [
        (left, right)
        for left, right in zip(verticals, verticals[1:], strict=False)
        if 10 <= (right - left) * scale <= 35
    ]
    columns = {}
    letter = [c for c in narrow if c[0] * scale < 60]
    if letter:
        columns["letter"] = letter[0]
    marks = [c for c in narrow if 120 < c[0] * scale and c[1] * scale < 260]
    if len(marks) == 2:
        columns["insd"], columns["wvd"] = marks
    for column, word in header.items():
        centre = (word.x0 + word.x1) / 2 / scale
        holding = [c for c in narrow if c[0] < centre < c[1]]
        if holding:
            columns[column] = holding[0]
    return columns


def _ink_box(pixels, cell):
    """The box (pixels) of the ink in a cell, or None for a blank one."""
    import numpy as np

    area = pixels[cell.top : cell.bottom, cell.x0 : cell.x1] < INK
    if int(area.sum()) < MIN_INK_PIXELS:
        return None
    rows, cols = np.flatnonzero(area.any(axis=1)), np.flatnonzero(area.any(axis=0))
    box = (cell.x0 + cols[0], cell.top + rows[0], cell.x0 + cols[-1] + 1, cell.top + rows[-1] + 1)
    return box


def read(pixels, rules, words, *, deadline=None, reader=None):
    """The page's words with the hard cells read on their own: a cell's
    words are replaced by what it reads alone; a blank cell keeps none.
    `reader(image, whitelist) -> [(text, top, confidence)]` reads the
    laid-out cells (Tesseract by default)."""
    from PIL import Image

    scale = 612.0 / pixels.shape[1]
    found = cells(rules, words, scale, pixels)
    if not found:
        return words
    words = words + _missing_headers(found, words, scale)
    min_height = MIN_INK_HEIGHT * 6 / scale
    inked = []
    for cell in found:
        box = _ink_box(pixels, cell)
        if box is not None and box[3] - box[1] >= min_height:
            inked.append((cell, box))
    inside = {id(w) for cell in found for w in words if _holds(cell, w, scale)}
    kept = [w for w in words if id(w) not in inside]
    if not inked:
        return kept
    sheet_width = max(b[2] - b[0] for _, b in inked) + 2 * PAD
    slots, y = [], GAP
    for cell, box in inked:
        slots.append((y, cell, box))
        y += box[3] - box[1] + 2 * PAD + GAP
    sheet = Image.new("L", (max(sheet_width, 64), y), 255)
    for top, _cell, box in slots:
        crop = Image.fromarray(pixels[box[1] : box[3], box[0] : box[2]])
        sheet.paste(crop, (PAD, top + PAD))
    reader = reader or _tesseract_lines
    answers = reader(sheet, LETTERS + MARKS, deadline)
    for top, cell, box in slots:
        lower = top + box[3] - box[1] + 2 * PAD
        texts = [a for a in answers if top - GAP / 2 <= a[1] < lower + GAP / 2]
        text = "".join(a[0] for a in texts).replace(" ", "")
        allowed = LETTERS if cell.column == "letter" else MARKS
        if not text or any(c not in allowed for c in text):
            continue
        if cell.column == "letter" and len(text) != 1:
            continue
        # One character of those the cell may hold, in a cell holding one
        # character's ink: Tesseract's own confidence in a lone character
        # says little (a clean "X" scores 0.1). A wrong insurer letter is
        # caught by the plausibility check (a letter no insurer has).
        single = len(text) == 1 or text == "N/A"
        confidence = max(min(a[2] for a in texts), CELL_CONFIDENCE if single else 0.0)
        kept.append(
            Word(
                text,
                box[0] * scale,
                box[2] * scale,
                box[1] * scale,
                box[3] * scale,
                confidence,
            )
        )
    return kept


HEADER_NAMES = {"letter": "LTR", "insd": "INSD", "wvd": "WVD"}


def _missing_headers(found, words, scale):
    """The header of a column told by the rules whose header OCR lost, so
    that the layout reader finds the column (a word of confidence 0)."""
    header, bottom = _header(words)
    added = []
    for column, name in HEADER_NAMES.items():
        cell = next((c for c in found if c.column == column), None)
        if column in header or cell is None or bottom is None:
            continue
        added.append(Word(name, cell.x0 * scale, cell.x1 * scale, bottom - 5, bottom, 0.0))
    return added


def _holds(cell, word, scale):
    xc, yc = (word.x0 + word.x1) / 2 / scale, _yc(word) / scale
    return cell.x0 - 4 <= xc <= cell.x1 + 4 and cell.top - 4 <= yc <= cell.bottom + 4


def _tesseract_lines(image, whitelist, deadline):
    """Tesseract's words on the laid-out cells: (text, top, confidence)."""
    from . import ocr

    out = ocr._tesseract(
        image,
        ["--psm", "6", "-c", f"tessedit_char_whitelist={whitelist}"],
        deadline,
        output=["tsv"],
    )
    words = []
    for line in out.decode("utf-8", "replace").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        try:
            words.append((parts[11].strip(), int(parts[7]), float(parts[10]) / 100))
        except ValueError:
            continue
    return words
