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
MIN_INK_PIXELS = 40  # at 300 dpi: a letter of 6 points has several hundred
MIN_INK_HEIGHT = 0.45  # of a 6-point capital: shorter is a speck or a rule's end
RULE_SHARE = 0.4  # of a band's height (or a column's width) that a rule covers
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
    """{column: header word} of the coverages table, on one row (the
    insurer letter's header may be missing: its rules tell the column), and
    the header's bottom (points); ({}, None) when it is not found."""
    marks = [w for w in words if _HEADERS["wvd"].match(w.text.upper()) and 120 < w.x0 < 300]
    for anchor in sorted(marks, key=lambda w: w.top):
        row = [w for w in words if abs(_yc(w) - _yc(anchor)) <= 9]
        found = {}
        for column, pattern in _HEADERS.items():
            match = [w for w in row if pattern.match(w.text.upper())]
            match = [w for w in match if (w.x0 < 80) == (column == "letter")]
            if match:
                found[column] = min(match, key=lambda w: w.x0)
        table = any(re.match(r"^(TYPE|INSURANCE|POLICY|NUMBER)$", w.text.upper()) for w in row)
        if "insd" in found and "wvd" in found and table:
            return found, max(w.bottom for w in row if w.x0 < anchor.x1 + 5)
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


def cells(rules, words, scale):
    """The cells of the letter, ADDL INSD and SUBR WVD columns, one per
    coverage row (`rules`: the rule mask; `scale`: points per pixel)."""
    header, header_bottom = _header(words)
    if not header:
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
    for column, word in _columns(header, verticals, scale).items():
        left, right = word
        x0, x1 = left + 4, right - 4
        across = _peaks(rules[top:bottom, x0:x1].sum(axis=1), 0.8 * (x1 - x0))
        edges = [top] + [top + y for y in across] + [bottom]
        for upper, lower in zip(edges, edges[1:], strict=False):
            if (lower - upper) * scale >= 8:
                found.append(Cell(column, x0, upper + 4, x1, lower - 4))
    return found


def _columns(header, verticals, scale):
    """{column: (left rule, right rule)} in pixels: the rules on each side
    of a header word, or for the insurer letter without its header, the
    first narrow column of the table."""
    columns = {}
    for column, word in header.items():
        centre = (word.x0 + word.x1) / 2 / scale
        left = max((x for x in verticals if x < centre), default=None)
        right = min((x for x in verticals if x > centre), default=None)
        if left is not None and right is not None and (right - left) * scale <= 60:
            columns[column] = (left, right)
    if "letter" not in header:
        for left, right in zip(verticals, verticals[1:], strict=False):
            if left * scale < 60 and 10 <= (right - left) * scale <= 35:
                columns["letter"] = (left, right)
                break
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
    found = cells(rules, words, scale)
    if not found:
        return words
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
        confidence = min(a[2] for a in texts)
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
