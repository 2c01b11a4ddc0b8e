"""The characters of a PDF page's text layer as PDFium reads them, placed
as pdfminer places them (`reader._page_chars`): the same boxes within a
fraction of a point, in the order they were drawn. PDFium does in C what
pdfminer's interpreter does in Python: on an ACORD 25 page of about 3,000
characters, a few milliseconds instead of tens to hundreds.

pdfminer's box of a character is its advance wide and its font size high,
from the font's descent below the baseline; PDFium's loose box has the
same sides and bottom, and its top at the font's ascent: the top is taken
from the bottom and the font size here. PDFium orders a line's pieces by
position; the order they were drawn in (which of two overprinted
characters is on top) is the order of their text objects on the page."""

from __future__ import annotations

import ctypes

from .budget import pdfium_document

_SKIPPED = frozenset("\r\n\x00\ufffe\uffff")
_HYPHEN_MARKS = frozenset("\x02\ufffe")
_PROTOTYPES = {}


def _by_address(raw, name, *argtypes, restype=ctypes.c_void_p):
    """PDFium's function `name` taking and answering page objects as their
    addresses (ints), where pypdfium2's answers pointers that would have to
    be cast, one character at a time."""
    function = _PROTOTYPES.get(name)
    if function is None:
        address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
        function = ctypes.CFUNCTYPE(restype, *argtypes)(address)
        _PROTOTYPES[name] = function
    return function


def page_chars(data: bytes, index: int, geometry) -> list[dict] | None:
    """The characters of page `index` (from 0) of the PDF `data`, as
    `reader._page_chars` gives them, or None where PDFium cannot say it the
    same way (a rotated page, a file PDFium cannot open): the caller reads
    that page with pdfminer. `geometry` is (x_shift, y_shift, height,
    doctop, mediabox x0, mediabox y0) of pdfplumber's page."""
    with pdfium_document(data) as document:
        if document is None:
            return None
        page = document[index]
        try:
            if page.get_rotation():
                return None
            return _chars(page, geometry)
        finally:
            page.close()


def _chars(page, geometry):
    import pypdfium2.raw as raw

    x_shift, y_shift, height, doctop, mb_x0, mb_y0 = geometry
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        if count <= 0:
            return []
        text = _text(raw, handle, count)
        order = _drawing_order(raw, page.raw)
        text_object = _by_address(raw, "FPDFText_GetTextObject", ctypes.c_void_p, ctypes.c_int)
        rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
        objects = {}
        placed = []
        for i, char in enumerate(text):
            if char in _HYPHEN_MARKS and raw.FPDFText_IsHyphen(handle, i) == 1:
                char = "-"  # a hyphen that ends a line, marked by PDFium
            elif char in _SKIPPED:
                continue
            if char.isspace() and raw.FPDFText_IsGenerated(handle, i) == 1:
                continue  # a space PDFium adds between words: pdfminer has none
            obj = text_object(handle, i)
            style = objects.get(obj)
            if style is None:
                raw.FPDFText_GetMatrix(handle, i, matrix)
                raw.FPDFText_GetFillColor(handle, i, red, green, blue, alpha)
                upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0
                straight = upright and matrix.b == 0 and matrix.c == 0
                style = objects[obj] = (
                    order.get(obj, len(order)),
                    # A turned character: PDFium's box as it is.
                    raw.FPDFText_GetFontSize(handle, i) * abs(matrix.d) if straight else None,
                    upright,
                    (red.value / 255, green.value / 255, blue.value / 255),
                )
            raw.FPDFText_GetLooseCharBox(handle, i, rect)
            # pdfminer's space: from the mediabox's lower left corner.
            y0 = rect.bottom - mb_y0
            y1 = y0 + style[1] if style[1] is not None else rect.top - mb_y0
            top = height - y1 + y_shift
            placed.append(
                (
                    style[0],
                    i,
                    {
                        "text": char,
                        "x0": rect.left - mb_x0 + x_shift,
                        "x1": rect.right - mb_x0 + x_shift,
                        "top": top,
                        "bottom": height - y0 + y_shift,
                        "doctop": doctop + top,
                        "upright": style[2],
                        "non_stroking_color": style[3],
                    },
                )
            )
    finally:
        textpage.close()
    placed.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in placed]


def _text(raw, handle, count):
    """Every character of the text page, one per index (UTF-16 units)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer)
    text = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) != count:  # a character outside the BMP: one by one
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    return text


def _drawing_order(raw, page_handle):
    """{page object: its rank in the content}, form XObjects' objects where
    the form is drawn."""
    order = {}
    page_object = _by_address(raw, "FPDFPage_GetObject", ctypes.c_void_p, ctypes.c_int)
    form_object = _by_address(raw, "FPDFFormObj_GetObject", ctypes.c_void_p, ctypes.c_ulong)
    form_count = _by_address(raw, "FPDFFormObj_CountObjects", ctypes.c_void_p, restype=ctypes.c_int)
    object_type = _by_address(raw, "FPDFPageObj_GetType", ctypes.c_void_p, restype=ctypes.c_int)
    form_type = raw.FPDF_PAGEOBJ_FORM

    def walk(count, get):
        for k in range(count):
            obj = get(k)
            order[obj] = len(order)
            if object_type(obj) == form_type:
                walk(form_count(obj), lambda j, form=obj: form_object(form, j))

    walk(raw.FPDFPage_CountObjects(page_handle), lambda j: page_object(page_handle, j))
    return order
