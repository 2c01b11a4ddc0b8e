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
    words are replaced by what it reads alone (when that is something the
    cell may hold); a blank cell keeps none.
    `reader(image, whitelist) -> [(text, top, confidence)]` reads the
    laid-out cells (Tesseract by default)."""
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
    held = {id(cell): [w for w in words if _holds(cell, w, scale)] for cell in found}
    inside = {id(w) for cell_words in held.values() for w in cell_words}
    kept = [w for w in words if id(w) not in inside]
    if not inked:
        return kept
    sheet, tops = _sheet(pixels, [box for _cell, box in inked])
    answers = (reader or _tesseract_lines)(sheet, LETTERS + MARKS, deadline)
    for at, (cell, box) in zip(tops, inked, strict=True):
        texts = _answers_at(answers, at, box, 1)
        text = "".join(a[0] for a in texts).replace(" ", "")
        allowed = LETTERS if cell.column == "letter" else MARKS
        valid = text and all(c in allowed for c in text)
        if not valid or (cell.column == "letter" and len(text) != 1):
            # Read alone it says nothing the cell may hold: the page's own
            # reading of the cell stands (the layout reader judges it).
            kept += [w for w in held[id(cell)] if w not in kept]
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
    return [
        (text, top, confidence)
        for text, _x0, top, _x1, _bottom, confidence in _tesseract_boxes(image, deadline, whitelist)
    ]


def _sheet(pixels, boxes):
    """The regions `boxes` ((x0, top, x1, bottom), pixels) of a page laid
    out one under the other on a white sheet, far enough apart for
    Tesseract to read each alone: (sheet, where each region's top lies)."""
    from PIL import Image

    tops, y = [], GAP
    for _x0, top, _x1, bottom in boxes:
        tops.append(y + PAD)
        y += bottom - top + 2 * PAD + GAP
    width = max(64, max(x1 - x0 for x0, _top, x1, _bottom in boxes) + 2 * PAD)
    sheet = Image.new("L", (width, y), 255)
    for (x0, top, x1, bottom), at in zip(boxes, tops, strict=True):
        sheet.paste(Image.fromarray(pixels[top:bottom, x0:x1]), (PAD, at))
    return sheet, tops


def _answers_at(answers, at, box, top_index):
    """The answers (tuples whose item `top_index` is their top on the sheet)
    read in the region `box` laid at `at`."""
    height = box[3] - box[1]
    return [a for a in answers if at - PAD - GAP / 2 <= a[top_index] < at + height + PAD + GAP / 2]


# ---- limit labels -------------------------------------------------------------

_AMOUNT = re.compile(r"\$?\d{1,3}(?:,\d{3})+")
LABEL_MIN_X = 380  # points: the limits column of the coverages table


def _labelled(label_words):
    from .layout import LIMIT_KEYWORDS
    from .values import squash

    letters = squash(" ".join(w.text for w in label_words))
    return any(keyword in letters for keyword, _code in LIMIT_KEYWORDS)


def relabel(pixels, rules, words, *, deadline=None, reader=None):
    """The page's words with the limit labels OCR lost read again: an
    amount of the limits column whose label does not name a limit has the
    label's cell (between the two rules left of the amount) read on its
    own, and its words replace those read there before."""
    scale = 612.0 / pixels.shape[1]
    amounts = [w for w in words if w.x0 > LABEL_MIN_X + 60 and _AMOUNT.fullmatch(w.text)]
    if not amounts:
        return words
    dark = rules | (pixels < LIGHT_RULE)
    regions = []
    for amount in amounts:
        y0 = max(0, int(amount.top / scale) - 6)
        y1 = min(pixels.shape[0], int(amount.bottom / scale) + 6)
        # The rules down the amount's own row; a double or thick rule once.
        verticals = _merged(_peaks(dark[y0:y1].sum(axis=0), 0.8 * (y1 - y0)), 8 / scale)
        left_rules = [x for x in verticals if x * scale < amount.x0 - 2]
        if len(left_rules) < 2:
            continue
        x0, x1 = left_rules[-2] + 4, left_rules[-1] - 4
        if x0 * scale < LABEL_MIN_X - 60 or x1 - x0 < 40:
            continue
        inside = [
            w
            for w in words
            if x0 * scale - 2 <= w.xc <= x1 * scale + 2 and y0 * scale <= _yc(w) <= y1 * scale
        ]
        if not _labelled(inside):
            regions.append((x0, y0, x1, y1, inside))
    if not regions:
        return words
    sheet, tops = _sheet(pixels, [region[:4] for region in regions])
    answers = (reader or _tesseract_boxes)(sheet, deadline)
    replaced, added = set(), []
    for at, (x0, y0, x1, y1, inside) in zip(tops, regions, strict=True):
        found = [
            Word(
                text,
                (x0 + left - PAD) * scale,
                (x0 + right - PAD) * scale,
                (y0 + a_top - at) * scale,
                (y0 + a_bottom - at) * scale,
                confidence,
            )
            for text, left, a_top, right, a_bottom, confidence in _answers_at(
                answers, at, (x0, y0, x1, y1), 2
            )
        ]
        if _labelled(found):
            replaced.update(id(w) for w in inside)
            added += found
    return [w for w in words if id(w) not in replaced] + added


def _merged(positions, distance):
    """Positions closer than `distance` taken as one (their last)."""
    merged = []
    for position in positions:
        if merged and position - merged[-1] < distance:
            merged[-1] = position
        else:
            merged.append(position)
    return merged


def _tesseract_boxes(image, deadline, whitelist=None):
    """Tesseract's words on a laid-out sheet: (text, x0, top, x1, bottom,
    confidence) in the sheet's pixels; with `whitelist`, only those
    characters."""
    from . import ocr

    options = ["--psm", "6"]
    if whitelist:
        options += ["-c", f"tessedit_char_whitelist={whitelist}"]
    out = ocr._tesseract(image, options, deadline, output=["tsv"])
    words = []
    for line in out.decode("utf-8", "replace").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        try:
            left, top, width, height = (int(v) for v in parts[6:10])
            confidence = float(parts[10]) / 100
        except ValueError:
            continue
        words.append((parts[11].strip(), left, top, left + width, top + height, confidence))
    return words


# ---- doubtful values read again -----------------------------------------------

# What a value may hold, by what it looks like: (kind, pattern, characters).
_KINDS = (
    ("date", re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}"), "0123456789/"),
    ("amount", _AMOUNT, "$0123456789,"),
    (
        "number",
        re.compile(r"(?=.*\d)[A-Z0-9][A-Z0-9-]{4,}"),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-",
    ),
)
SURE = 0.85  # as layout.SURE: a word under it is read again
REREAD_BLUR = 1.0  # pixels of Gaussian blur on the words read again


def _kind(text):
    for kind, pattern, characters in _KINDS:
        if pattern.fullmatch(text):
            return kind, pattern, characters
    return None


def reread(pixels, words, *, deadline=None, reader=None):
    """The page's words with each doubtful date, amount or policy number
    read again alone with only the characters it may hold: the new reading
    replaces the word when it is of the same kind and surer."""
    from PIL import ImageFilter

    scale = 612.0 / pixels.shape[1]
    margin = round(2 / scale)
    doubtful = {}
    for word in words:
        kind = _kind(word.text.upper()) if word.confidence < SURE else None
        if kind is None:
            continue
        box = (
            max(0, round(word.x0 / scale) - margin),
            max(0, round(word.top / scale) - margin),
            min(pixels.shape[1], round(word.x1 / scale) + margin),
            min(pixels.shape[0], round(word.bottom / scale) + margin),
        )
        if box[2] - box[0] > 8 and box[3] - box[1] > 8:
            doubtful.setdefault(kind, []).append((word, box))
    replaced = {}
    for (_name, pattern, characters), found in doubtful.items():
        sheet, tops = _sheet(pixels, [box for _word, box in found])
        # Softened: a fax's jagged strokes read better (and surer) smoothed.
        sheet = sheet.filter(ImageFilter.GaussianBlur(REREAD_BLUR))
        answers = (reader or _tesseract_lines)(sheet, characters, deadline)
        for at, (word, box) in zip(tops, found, strict=True):
            texts = _answers_at(answers, at, box, 1)
            text = "".join(a[0] for a in texts)
            if not texts or not pattern.fullmatch(text):
                continue
            confidence = min(a[2] for a in texts)
            if confidence > word.confidence:
                replaced[id(word)] = Word(text, word.x0, word.x1, word.top, word.bottom, confidence)
    return [replaced.get(id(w), w) for w in words]


# ---- check boxes ---------------------------------------------------------------

BOX_SIDE = (25, 60)  # pixels at 300 dpi: a check box of 6 to 14 points
BOX_TICKED = 0.08  # of a box's inside dark: ticked (an X fills a fifth or more)


@dataclass(frozen=True)
class Box:
    x0: int
    top: int
    x1: int
    bottom: int
    ticked: bool


def _segments(dark, shortest, longest):
    """(row, start, end) of the horizontal dark runs of `dark` between
    `shortest` and `longest` pixels long."""
    import numpy as np

    rows, cols = dark.shape
    padded = np.zeros((rows, cols + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    edges = np.diff(padded, axis=1).ravel()
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    width = cols + 1
    keep = ((ends - starts) >= shortest) & ((ends - starts) <= longest)
    return [
        (int(s // width), int(s % width), int(e % width))
        for s, e in zip(starts[keep], ends[keep], strict=True)
    ]


def boxes(pixels, top=0, bottom=None, right=None):
    """The square check boxes of a page region (pixels), each ticked or not:
    a top and a bottom edge of the same span about a side apart, joined by
    a left and a right edge."""
    dark = pixels[top:bottom, :right] < INK
    shortest, longest = BOX_SIDE
    segments = _segments(dark, shortest, longest)
    by_start = {}
    for row, start, end in segments:
        by_start.setdefault(start // 4, []).append((row, start, end))
    found = []
    for row, start, end in sorted(segments):
        side = end - start
        for key in (start // 4 - 1, start // 4, start // 4 + 1):
            for other, other_start, other_end in by_start.get(key, ()):
                height = other - row
                if not (0.75 * side <= height <= 1.3 * side):
                    continue
                if abs(other_start - start) > 3 or abs(other_end - end) > 3:
                    continue
                left = dark[row : other + 1, start : start + 3].any(axis=1).mean()
                edge = dark[row : other + 1, end - 3 : end].any(axis=1).mean()
                if left < 0.8 or edge < 0.8:
                    continue
                if any(_overlap(box, start, row, end, other) > 0.5 for box in found):
                    continue  # the same box by another row of its thick edges
                inset_x, inset_y = side // 5, height // 5
                inside = dark[row + inset_y : other - inset_y, start + inset_x : end - inset_x]
                ticked = inside.size > 0 and float(inside.mean()) >= BOX_TICKED
                found.append(Box(start, row, end, other, ticked))
    return [Box(b.x0, top + b.top, b.x1, top + b.bottom, b.ticked) for b in found]


def _overlap(box, x0, top, x1, bottom):
    """How much of the smaller of two boxes they share (0..1)."""
    width = min(box.x1, x1) - max(box.x0, x0)
    height = min(box.bottom, bottom) - max(box.top, top)
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((box.x1 - box.x0) * (box.bottom - box.top), (x1 - x0) * (bottom - top))
    return width * height / max(smaller, 1)


def ticks(pixels, words):
    """The page's words with an "X" where a ticked box of the coverages
    table holds none (OCR lost it); the layout reader reads the label
    beside it as checked."""
    scale = 612.0 / pixels.shape[1]
    header, header_bottom = _header(words)
    if header_bottom is None:
        return words
    end_words = [
        w for w in words if w.text.upper() == "DESCRIPTION" and w.x0 < 80 and w.top > header_bottom
    ]
    end = min((w.top for w in end_words), default=header_bottom + 330)
    found = boxes(pixels, int(header_bottom / scale), int(end / scale), int(215 / scale))
    added = []
    for box in found:
        if not box.ticked:
            continue
        x0, x1 = box.x0 * scale, box.x1 * scale
        top, bottom = box.top * scale, box.bottom * scale
        if any(x0 <= w.xc <= x1 and top <= _yc(w) <= bottom for w in words):
            continue
        added.append(Word("X", x0, x1, top, bottom, CELL_CONFIDENCE))
    return words + added
