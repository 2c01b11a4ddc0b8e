"""OCR for pages without a text layer (Tesseract through pytesseract).

When Tesseract is not installed the page is reported as "needs OCR": the
extractor never guesses what an image says.
"""

from __future__ import annotations

import shutil

from .layout import Word

LETTER_WIDTH = 612.0  # points


def available() -> bool:
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return shutil.which("tesseract") is not None


def _alignment(image, degrees):
    """How sharply the rows of ink stand apart once `image` (ink white on
    black) is turned by `degrees`: rows of text give a jagged profile."""
    from PIL import Image

    turned = image.rotate(degrees, resample=Image.NEAREST, fillcolor=0) if degrees else image
    rows = list(turned.resize((1, turned.height), Image.BOX).getdata())
    return sum((a - b) ** 2 for a, b in zip(rows, rows[1:], strict=False))


def skew_angle(image, max_degrees=3.0) -> float:
    """The angle (degrees, counter-clockwise) that sets a page's lines of
    text level: a page fed askew through a scanner has lines that climb,
    and the words of one line would no longer share a row."""
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
    # Level enough already: turning would only blur the letters.
    if abs(angle) < 0.15 or _alignment(fine, angle) < 1.02 * _alignment(fine, 0):
        return 0.0
    return angle


def deskew(image):
    """The page turned level (see `skew_angle`)."""
    from PIL import Image

    angle = skew_angle(image)
    if not angle:
        return image
    return image.convert("L").rotate(angle, resample=Image.BICUBIC, fillcolor=255)


def image_words(image, min_confidence=10):
    """Words of a PIL image, in points of a US-letter page, and their mean
    confidence (0..1). A page scanned askew is turned level first."""
    import pytesseract

    image = deskew(image.convert("L"))
    scale = LETTER_WIDTH / image.width
    data = pytesseract.image_to_data(image, output_type=pytesseract.Output.DICT, config="--psm 3")
    words, confidences = [], []
    for index, text in enumerate(data["text"]):
        text = (text or "").strip()
        confidence = float(data["conf"][index])
        if not text or confidence < min_confidence:
            continue
        left, top = data["left"][index] * scale, data["top"][index] * scale
        width, height = data["width"][index] * scale, data["height"][index] * scale
        words.append(Word(text, left, left + width, top, top + height))
        confidences.append(confidence / 100)
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return words, mean
