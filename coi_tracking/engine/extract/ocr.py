"""OCR for pages without a text layer (Tesseract, run as a program).

A page is read the way measurements on real scans said it reads best:
300 dpi grayscale, turned upright (90/180/270) and level (from the form's
own long horizontal rules, not from rows of text), every dark run of a
quarter inch or more removed (the ruling lines: they make Tesseract lose
the words beside them), no binarisation, page mode 11 (sparse text) with
word boxes, words kept from confidence 10. Tesseract runs with
`OMP_THREAD_LIMIT=1` (its own threads slow it down on small machines) and
within a time budget per page. The rule mask is kept (`Scan.rules`): the
form's cells are where it is not.

When Tesseract is not installed the page is reported as "needs OCR": the
extractor never guesses what an image says.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field

from . import grid
from .layout import Word
from .model import OverBudget

LETTER_WIDTH = 612.0  # points
DPI = 300
LONG_SIDE = 11 * DPI  # pixels of a letter page's long side at DPI
RULE_RUN = DPI // 4  # a dark run this long or longer is a ruling line
DARK = 150  # gray level (0..255) under which a pixel is ink
MIN_CONFIDENCE = 10
PAGE_SECONDS = 30.0  # Tesseract's time for one page
UPSIDE_DOWN_CONFIDENCE = 0.6  # under it, the page is read turned over too
# Tesseract 5 reads every line a second time inverted unless told not to:
# forms print no white-on-black values, and it costs a third of the time.
OPTIONS = ["-c", "tessedit_do_invert=0"]


class PageOverBudget(Exception):
    """Tesseract did not finish a page within its budget."""


@dataclass
class Scan:
    """One page as OCR read it: the words (points of a US-letter page),
    their mean confidence (0..1), the quarter turns and the degrees it was
    turned to be upright and level, and the cleaned image and the mask of
    the ruling lines removed from it (numpy arrays, pixels at DPI)."""

    words: list = field(default_factory=list)
    confidence: float = 0.0
    quarter_turns: int = 0
    skew: float = 0.0
    image: object = None
    rules: object = None


def available() -> bool:
    return shutil.which("tesseract") is not None


# ---- the image --------------------------------------------------------------


def normalise(image):
    """A grayscale image whose pixels are square and whose long side is a
    letter page's at DPI: a fax at 204x98 dpi gets its rows doubled, a
    phone photo or a 200 dpi scan is brought to 300 dpi."""
    from PIL import Image

    image = image.convert("L")
    xdpi, ydpi = _dpi(image)
    width, height = image.size
    if xdpi and ydpi and abs(xdpi - ydpi) > 1:
        height = height * xdpi / ydpi
    factor = LONG_SIDE / max(width, height)
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    if size == image.size:
        return image
    return image.resize(size, Image.LANCZOS if factor < 1 else Image.BICUBIC)


def _dpi(image):
    dpi = image.info.get("dpi")
    try:
        xdpi, ydpi = (float(v) for v in dpi)
    except (TypeError, ValueError):
        return None, None
    return (xdpi, ydpi) if xdpi > 0 and ydpi > 0 else (None, None)


def _runs(dark, length):
    """Mask of the horizontal runs of True in `dark` (2-D bool) that are
    `length` pixels long or longer."""
    import numpy as np

    rows, cols = dark.shape
    padded = np.zeros((rows, cols + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    edges = np.diff(padded, axis=1)  # +1 where a run starts, -1 past its end
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    keep = (ends - starts) >= length
    marks = np.zeros(rows * (cols + 1) + 1, dtype=np.int32)
    np.add.at(marks, starts[keep], 1)
    np.add.at(marks, ends[keep], -1)
    return np.cumsum(marks[:-1], dtype=np.int32).reshape(rows, cols + 1)[:, :cols] > 0


def rule_mask(pixels, length=RULE_RUN, dark=DARK):
    """Where the ruling lines are (bool array): every dark run, across or
    down, of `length` pixels or more, grown by a pixel into the gray edge
    a scanner leaves beside a line."""
    import numpy as np

    ink = pixels < dark
    across = _runs(ink, length)
    down = _runs(ink.T, length).T
    mask = across | down
    edge = pixels < 220
    grown = mask.copy()
    grown[1:] |= across[:-1] & edge[1:]
    grown[:-1] |= across[1:] & edge[:-1]
    grown[:, 1:] |= down[:, :-1] & edge[:, 1:]
    grown[:, :-1] |= down[:, 1:] & edge[:, :-1]
    return np.asarray(grown)


def remove_rules(pixels, mask):
    """The image with the ruling lines painted white."""
    cleaned = pixels.copy()
    cleaned[mask] = 255
    return cleaned


def _rule_lengths(pixels):
    """(pixels of long runs across, pixels of long runs down): a form's rules
    run mostly across a page that is upright or upside down."""
    ink = pixels < DARK
    return int(_runs(ink, RULE_RUN).sum()), int(_runs(ink.T, RULE_RUN).sum())


def rule_skew(pixels, max_degrees=3.0):
    """The angle (degrees, counter-clockwise) that sets the form's long
    horizontal rules level, or None when the page has too few of them.
    Each rule of a page scanned askew breaks into dark runs that climb a
    row at a time: the angle whose shear lines their pixels up best wins."""
    import numpy as np

    ink = pixels < DARK
    # Runs of an eighth of an inch: a rule climbing 3 degrees still holds them.
    runs = _runs(ink, DPI // 8)
    ys, xs = np.nonzero(runs[:, ::4])
    if len(ys) < 4 * DPI // 4:  # under about four inches of rule
        return None
    xs = xs * 4.0
    height = pixels.shape[0]

    def sharpness(degrees):
        rows = ys - xs * np.tan(np.radians(degrees))
        counts = np.bincount(np.clip(np.round(rows).astype(int) + height, 0, 3 * height))
        return float((counts.astype(np.float64) ** 2).sum())

    coarse = [0.25 * i for i in range(-round(max_degrees * 4), round(max_degrees * 4) + 1)]
    best = max(coarse, key=lambda a: (sharpness(a), -abs(a)))
    fine = [round(best + 0.02 * i, 2) for i in range(-12, 13)]
    best = max(fine, key=lambda a: (sharpness(a), -abs(a)))
    # Rows count down the image: a rule climbing to the right (a page
    # turned counter-clockwise) has a negative slope, and PIL turns
    # counter-clockwise: turning by the slope's angle sets it level.
    return best


def _alignment(image, degrees):
    """How sharply the rows of ink stand apart once `image` (ink white on
    black) is turned by `degrees`: rows of text give a jagged profile."""
    from PIL import Image

    turned = image.rotate(degrees, resample=Image.NEAREST, fillcolor=0) if degrees else image
    rows = list(turned.resize((1, turned.height), Image.BOX).getdata())
    return sum((a - b) ** 2 for a, b in zip(rows, rows[1:], strict=False))


def _text_skew(image, max_degrees=3.0) -> float:
    """The angle that sets a page's lines of text level (a page without
    rules)."""
    from PIL import Image

    def ink(width):
        gray = image.convert("L")
        small = gray.resize((width, max(1, round(gray.height * width / gray.width))), Image.BOX)
        return small.point(lambda v: 255 if v < 160 else 0)

    def best(picture, angles):
        return max(angles, key=lambda a: (_alignment(picture, a), -abs(a)))

    coarse = ink(500)
    steps = round(max_degrees / 0.5)
    angle = best(coarse, [0.5 * i for i in range(-steps, steps + 1)])
    fine = ink(1000)
    angle = best(fine, [round(angle + 0.1 * i, 2) for i in range(-5, 6)])
    if abs(angle) < 0.15 or _alignment(fine, angle) < 1.02 * _alignment(fine, 0):
        return 0.0
    return angle


def skew_angle(image, max_degrees=3.0) -> float:
    """The angle (degrees, counter-clockwise) that sets a page level: from
    the form's long horizontal rules, or from its lines of text when it has
    none. Under 0.05 degrees it is 0 (turning would only blur)."""
    import numpy as np

    gray = normalise(image)
    angle = rule_skew(np.asarray(gray), max_degrees)
    if angle is None:
        return _text_skew(gray, max_degrees)
    return 0.0 if abs(angle) < 0.05 else angle


def _turn(image, degrees):
    from PIL import Image

    return image.rotate(degrees, resample=Image.BICUBIC, fillcolor=255, expand=False)


def sideways(pixels):
    """True when a form's long rules run down the page (it lies on its
    side), False when they run across, None for a page without rules."""
    across, down = _rule_lengths(pixels)
    if across + down < 4 * DPI:  # under about four inches of rule
        return None
    return down > 1.5 * across


def upright_turns(image, deadline=None) -> int:
    """Quarter turns counter-clockwise that set a page upright (0..3), as
    far as can be told before reading it: a form whose rules run down the
    page lies on its side, and Tesseract's orientation detection says which
    side (it runs only then, or on a page without rules). A form upside
    down is found by its words (see `scan`)."""
    import numpy as np

    lying = sideways(np.asarray(image))
    if lying is False:
        return 0
    detected = _osd_turns(image, deadline)
    if lying is None:
        return detected or 0
    return detected if detected is not None and detected % 2 else 1


def _osd_turns(image, deadline=None):
    """Tesseract's orientation detection (page mode 0) on a reduced page,
    or None when it is not sure."""
    small = image.resize((image.width // 2, image.height // 2))
    try:
        # (with "-l eng" page mode 0 answers "Rotate: 90" for any page)
        out = _tesseract(small, ["--psm", "0"], deadline, seconds=10.0, lang="osd")
    except (PageOverBudget, subprocess.CalledProcessError):
        return None
    values = dict(
        line.split(":", 1) for line in out.decode("utf-8", "replace").splitlines() if ":" in line
    )
    try:
        rotate = int(values.get("Rotate", "").strip())
        confidence = float(values.get("Orientation confidence", "0").strip())
    except ValueError:
        return None
    if confidence < 2.0:
        return None
    # "Rotate: N" is the clockwise turn that sets the page upright.
    return (-rotate // 90) % 4


# ---- Tesseract --------------------------------------------------------------


def _tesseract(image, options, deadline=None, seconds=PAGE_SECONDS, output=(), lang="eng"):
    """Tesseract's standard output on `image`, within `seconds` (and the
    reading's deadline, a time.monotonic() value): OverBudget when the
    reading's time runs out, PageOverBudget when only the page's does."""
    import time

    left = seconds
    if deadline is not None:
        left = min(left, deadline - time.monotonic())
        if left <= 0:
            raise OverBudget("the time to read this file here ran out")
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")  # P5 (grayscale): no compression to spend time on
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [
                shutil.which("tesseract") or "tesseract",
                "stdin",
                "stdout",
                "-l",
                lang,
                *OPTIONS,
                *options,
                *output,
            ],
            input=buffer.getvalue(),
            capture_output=True,
            env=env,
            timeout=max(left, 0.1),
            check=True,
        )
    except subprocess.TimeoutExpired as error:
        if deadline is not None and time.monotonic() >= deadline:
            raise OverBudget("the time to read this file here ran out") from error
        raise PageOverBudget(f"OCR took more than {seconds:.0f} s on a page") from error
    return done.stdout


# What is left of a ruling line shorter than RULE_RUN (a cell's divider, an
# underline's end) reads as these, glued to the word beside it or alone.
_RULE_MARKS = "|_—–‘’“”\"'[]{}¦!;"


def _trim(text):
    text = text.strip().strip(_RULE_MARKS)
    return text if any(c.isalnum() or c in "$%&@#" for c in text) else ""


def _words(image, deadline, min_confidence, mode="11"):
    """Tesseract's words. Each word takes the box height of the line
    Tesseract put it in: a word without capitals or ascenders ("ocean")
    would otherwise sit lower than its neighbours and leave their row."""
    out = _tesseract(image, ["--psm", mode], deadline, output=["tsv"])
    scale = LETTER_WIDTH / image.width
    words, confidences, lines, keys = [], [], {}, []
    for line in out.decode("utf-8", "replace").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) < 12 or cells[0] not in ("4", "5"):
            continue
        try:
            confidence = float(cells[10])
            left, top, width, height = (int(v) for v in cells[6:10])
        except ValueError:
            continue
        key = tuple(cells[1:5])
        if cells[0] == "4":
            lines[key] = (top, top + height)
            continue
        text = _trim(cells[11])
        if not text or confidence < min_confidence:
            continue
        line_top, line_bottom = lines.get(key, (top, top + height))
        keys.append(key)
        words.append(
            Word(
                text,
                left * scale,
                (left + width) * scale,
                min(top, line_top) * scale,
                max(top + height, line_bottom) * scale,
                confidence / 100,
            )
        )
        confidences.append(confidence / 100)
    _dollar_signs(words, keys)
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return words, mean


_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+")
_DOLLAR_LOOKALIKES = {"s", "S", "5", "§", "8"}


def _dollar_signs(words, keys):
    """A form's "$" before an amount often reads as "s", "S" or "5": set
    alone before an amount in the same line, it is the dollar sign."""
    for index in range(len(words) - 1):
        word, after = words[index], words[index + 1]
        if (
            word.text in _DOLLAR_LOOKALIKES
            and keys[index] == keys[index + 1]
            and _AMOUNT.fullmatch(after.text)
            and after.x0 - word.x1 < 6
        ):
            word.text = "$"


def scan(image, *, deadline=None, min_confidence=MIN_CONFIDENCE) -> Scan:
    """Read one page image (see the module's docstring)."""
    import numpy as np
    from PIL import Image

    gray = normalise(image)
    turns = upright_turns(gray, deadline)
    if turns:
        gray = gray.transpose({1: Image.ROTATE_90, 2: Image.ROTATE_180, 3: Image.ROTATE_270}[turns])
    pixels = np.asarray(gray)
    angle = rule_skew(pixels)
    if angle is None:
        angle = _text_skew(gray)
    if abs(angle) >= 0.05:
        gray = _turn(gray, angle)
        pixels = np.asarray(gray)
    else:
        angle = 0.0
    rules = rule_mask(pixels)
    cleaned = remove_rules(pixels, rules)
    # A form (its rules found) is read as sparse text, each cell on its own;
    # a page of prose (an endorsement, a letter) in Tesseract's own reading
    # order, which keeps its lines whole.
    mode = "11" if sideways(pixels) is not None else "3"
    words, mean = _words(Image.fromarray(cleaned), deadline, min_confidence, mode)
    if mean < UPSIDE_DOWN_CONFIDENCE:
        # Upside down reads as low-confidence noise: try the page turned.
        turned = cleaned[::-1, ::-1].copy()
        other, other_mean = _words(Image.fromarray(turned), deadline, min_confidence, mode)
        if other_mean > mean and len(other) >= len(words) // 2:
            turns, cleaned, rules = (turns + 2) % 4, turned, rules[::-1, ::-1].copy()
            words, mean = other, other_mean
    if mode == "11":
        words = grid.read(cleaned, rules, words, deadline=deadline)
        words = grid.ticks(cleaned, words)
        words = grid.relabel(cleaned, rules, words, deadline=deadline)
        words = grid.reread(cleaned, words, deadline=deadline)
    return Scan(words, mean, turns, angle, cleaned, rules)


def image_words(image, min_confidence=MIN_CONFIDENCE, deadline=None):
    """Words of a PIL image, in points of a US-letter page, and their mean
    confidence (0..1)."""
    page = scan(image, deadline=deadline, min_confidence=min_confidence)
    return page.words, page.confidence
