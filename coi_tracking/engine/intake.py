"""What the suite takes in as a certificate file, whichever door it came
through (back office, upload link, portal, email, API): the limits, the
type by content (a PDF starts with "%PDF-" and opens as one), a clean file
name."""

from __future__ import annotations

import re
import unicodedata

from .extract import budget, sniff

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 10
MAX_NAME_LENGTH = 120
MIMETYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "tiff": ".tif"}

# Why a file is refused (the models word them for people).
EMPTY = "empty"
TOO_LARGE = "too_large"
WRONG_TYPE = "wrong_type"
DAMAGED = "damaged"
TOO_MANY = "too_many"


def clean_filename(name: str | bytes | None, kind: str | None = None) -> str:
    """A file name safe to store and to send back: the last path component,
    no control characters, no leading dots, at most MAX_NAME_LENGTH
    characters; "certificate" plus the type's extension when nothing is
    left."""
    if isinstance(name, bytes):
        name = name.decode("utf-8", "replace")
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        ext = f".{ext}" if dot and len(ext) <= 5 else ""
        name = (stem if ext else name)[: MAX_NAME_LENGTH - len(ext)].rstrip() + ext
    return name or "certificate" + EXTENSIONS.get(kind or "", "")


def check_file(data: bytes | None) -> tuple[str | None, str | None]:
    """(mimetype, None) for a file the suite takes, else (None, reason)."""
    if not data:
        return None, EMPTY
    if len(data) > MAX_FILE_BYTES:
        return None, TOO_LARGE
    kind = sniff(data)
    if kind not in MIMETYPES:
        return None, WRONG_TYPE
    if kind == "pdf" and not opens_as_pdf(data):
        return None, DAMAGED
    return MIMETYPES[kind], None


def opens_as_pdf(data: bytes) -> bool:
    """Whether a file that starts as a PDF is one: PDFium opens it and counts
    its pages (a PDF with no page is none). A file whose streams decode to
    more than budget.OPEN_DECODED is not opened here, where it could take
    the server's memory: it is taken, and the reading job, whose memory is
    capped, tells whether it can be read. So is an encrypted file, which
    opens only with its password."""
    if not budget.stream_cost(data, budget.OPEN_DECODED).within(budget.OPEN_DECODED):
        return True
    if budget.encrypted(data):
        return True
    return bool(budget.page_count(data))


def triage(files):
    """Split `files` ((name, bytes) pairs) into accepted (clean name, bytes,
    mimetype) and refused (clean name, reason), MAX_FILES at most."""
    accepted, refused = [], []
    for name, data in files:
        if len(accepted) >= MAX_FILES:
            refused.append((clean_filename(name), TOO_MANY))
            continue
        mimetype, reason = check_file(data)
        if reason:
            refused.append((clean_filename(name), reason))
        else:
            accepted.append((clean_filename(name, sniff(data)), data, mimetype))
    return accepted, refused
