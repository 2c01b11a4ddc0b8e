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


def image_words(image, min_confidence=10):
    """Words of a PIL image, in points of a US-letter page, and their mean
    confidence (0..1)."""
    import pytesseract

    image = image.convert("L")
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
