"""What reading a PDF may cost, told without reading it: the bytes its
streams hold once decoded, and its pages.

A web request reads a file at once only when it fits a small budget
(`fits_quick_read`) and within QUICK_CPU_SECONDS of processor time; every
other file waits for the reading job, which reads in a child process
whose memory and time are capped (`isolated`).
The door (`intake.check_file`) lets PDFium open a PDF to count its pages
only when its streams fit a larger budget, so that a deflate bomb never
inflates in the server process.
"""

from __future__ import annotations

import base64
import contextlib
import re
import threading
import zlib
from dataclasses import dataclass

QUICK_BYTES = 2 * 1024 * 1024  # the file
QUICK_PAGES = 5
QUICK_DECODED = 2 * 1024 * 1024  # its streams, decoded
# Checked between pages and between reading strategies: the processor time
# of the request's thread (a text layer ACORD 25 takes about 0.1 s), and a
# wall-time backstop for a worker that hardly gets the processor.
QUICK_CPU_SECONDS = 1.0
QUICK_SECONDS = 10.0
OPEN_DECODED = 32 * 1024 * 1024  # what the door lets PDFium open

_CHUNK = 64 * 1024
_HEAD = 4096  # how far before a stream its dictionary is looked for
_STREAM = re.compile(rb"(?<![A-Za-z0-9])stream[ \t]*(?:\r\n|\r|\n)")
_END = re.compile(rb"(?<![A-Za-z0-9])endstream")
_OBJ = re.compile(rb"(?<![A-Za-z0-9])obj(?![A-Za-z0-9])")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+|\d+\s+\d+\s+R)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_ABBREVIATIONS = {
    b"AHx": b"ASCIIHexDecode",
    b"A85": b"ASCII85Decode",
    b"Fl": b"FlateDecode",
    b"LZW": b"LZWDecode",
    b"RL": b"RunLengthDecode",
}
_NOT_MEASURED = {b"LZWDecode", b"RunLengthDecode"}  # they expand too
_WHITE = b" \t\r\n\x0b\x0c\x00"
_PDFIUM = threading.Lock()  # PDFium must not be called from two threads at once


@dataclass(frozen=True)
class Cost:
    """`decoded`: bytes the streams of a PDF hold once decoded (counting
    stops past the limit asked); `measured`: False when some stream could
    expand in a way not counted: LZW or run-length data, filters given by
    reference or twice, or an encrypted file (its streams cannot be decoded
    before decryption)."""

    decoded: int
    measured: bool

    def within(self, limit):
        return self.measured and self.decoded <= limit


def stream_cost(data: bytes, limit: int) -> Cost:
    """The decoded size of every stream of a PDF, stopping as soon as it
    passes `limit`. Flate data is inflated in small pieces and at most
    `limit` bytes of it are kept, so a bomb costs `limit` bytes of work,
    not its size. Streams are found by their keyword, their filters in the
    dictionary just before it."""
    view = memoryview(data)
    decoded, position, measured = 0, 0, not encrypted(data)
    while decoded <= limit:
        keyword = _STREAM.search(data, position)
        if keyword is None:
            break
        head = _unescape(data[_head_start(data, position, keyword.start()) : keyword.start()])
        filters = _filters(head)
        if filters is None or _NOT_MEASURED.intersection(filters) or b"/Encrypt" in head:
            measured, filters = False, []
        size, end = _decoded_size(view, keyword.end(), filters, limit - decoded)
        decoded += size
        position = max(end, keyword.end())
    return Cost(decoded, measured)


def encrypted(data: bytes) -> bool:
    """An /Encrypt entry in the trailer (the end of the file); one in a
    cross-reference stream's dictionary is seen stream by stream."""
    return b"/Encrypt" in _unescape(data[-65536:])


def _head_start(data, position, keyword):
    """Where the dictionary of the stream at `keyword` may start: after the
    last "obj" keyword before it, at most _HEAD bytes before it."""
    start = max(position, keyword - _HEAD)
    ends = [found.end() for found in _OBJ.finditer(data, start, keyword)]
    return ends[-1] if ends else start


def _unescape(text):
    """Names may spell letters as #xx (/Fl#61teDecode): undo it."""
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), text)


def _filters(head):
    """The filter names of the stream whose dictionary ends `head`; None when
    they cannot be told (given by reference, or /Filter twice)."""
    found = _FILTER.findall(head)
    if not found:
        return []
    if len(found) > 1 or found[0].endswith(b"R"):
        return None
    return [_ABBREVIATIONS.get(name, name) for name in _NAME.findall(found[0])]


def _decoded_size(view, start, filters, limit):
    """(decoded size, end of the raw data) of the stream whose data begins
    at `start`; the size is only exact up to `limit`."""
    if filters[:1] == [b"FlateDecode"]:
        data, size, end = _inflate(view, start, limit, keep=len(filters) > 1)
        if end is None:  # no zlib data there: the reader will fail on it, cheaply
            return 0, start
        filters = filters[1:]
    else:
        stop = _END.search(view.obj, start)
        end = stop.start() if stop else len(view)
        data = bytes(view[start:end])
        size = len(data)
    for index, name in enumerate(filters):
        if size > limit:
            break
        if name == b"FlateDecode":
            more = index + 1 < len(filters)
            data, size, _end = _inflate(memoryview(data), 0, limit, keep=more)
        elif name == b"ASCII85Decode":
            data = _a85(data)
        elif name == b"ASCIIHexDecode":
            data = _hex(data)
        else:  # images and the like: the reader keeps them as they are
            break
        size = max(size, len(data))
    return size, end


def _inflate(view, start, limit, keep):
    """(the first `limit` + 1 inflated bytes when `keep`, else nothing; how
    many bytes inflate in all up to where counting stopped; end of the zlib
    data) of zlib data at `start`; end is None when no zlib data starts
    there."""
    inflater = zlib.decompressobj()
    kept, size, fed = [], 0, start
    try:
        while fed < len(view) and size <= limit:
            pending, at = view[fed : fed + _CHUNK], fed  # input given, and where it starts
            fed += len(pending)
            while True:
                out = inflater.decompress(pending, _CHUNK)
                if keep and size <= limit:
                    kept.append(out[: limit + 1 - size])
                size += len(out)
                if inflater.eof:  # (unconsumed_tail is not emptied then)
                    return b"".join(kept), size, at + len(pending) - len(inflater.unused_data)
                tail = inflater.unconsumed_tail
                if not tail or size > limit:
                    break
                at, pending = at + len(pending) - len(tail), tail
    except zlib.error:
        if size == 0:
            return b"", 0, None
    return b"".join(kept), size, fed


def _a85(data):
    body = data.split(b"~>", 1)[0].translate(None, _WHITE).removeprefix(b"<~")
    try:
        return base64.a85decode(body)
    except ValueError:
        return body


def _hex(data):
    body = data.split(b">", 1)[0].translate(None, _WHITE)
    try:
        return bytes.fromhex((body + b"0" * (len(body) % 2)).decode("ascii"))
    except ValueError:
        return body


@contextlib.contextmanager
def pdfium_document(data: bytes):
    """PDFium's document of the PDF `data`, or None when PDFium cannot open
    it (damaged, empty or protected by a password); used and closed while
    this process's PDFium lock is held."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            yield None
            return
        try:
            yield document
        finally:
            document.close()


def page_count(data: bytes) -> int | None:
    """Pages of a PDF as PDFium (the parser pdfplumber renders with) counts
    them: a millisecond for thousands of pages, where pdfminer needs
    seconds for one long list of pages. None when PDFium cannot open the
    file (damaged, empty or protected by a password)."""
    with pdfium_document(data) as document:
        return None if document is None else len(document)


def fits_quick_read(data: bytes) -> bool:
    """Whether a file may be read while someone waits on a page: a PDF of at
    most QUICK_BYTES and QUICK_PAGES whose streams decode to at most
    QUICK_DECODED. Images wait for OCR in the reading job anyway."""
    if not data or len(data) > QUICK_BYTES or not data.startswith(b"%PDF-"):
        return False
    if not stream_cost(data, QUICK_DECODED).within(QUICK_DECODED):
        return False
    pages = page_count(data)
    return pages is not None and 0 < pages <= QUICK_PAGES
