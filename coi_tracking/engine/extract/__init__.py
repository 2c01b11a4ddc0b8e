"""Reading certificates of insurance (ACORD 25) into plain data.

`extract(data)` takes the bytes of a PDF (or a PNG/JPEG/TIFF image) and
returns an `Extraction`. Most reliable source first: AcroForm and XFA form
values, then the page's text layer together with FreeText annotations, then
OCR for pages without text. It never raises on bad input: the reason is in
`Extraction.error` and the warnings.

The work is split by job: `reader` (the door: sniffing, pages, sources in
turn), `acroform` (form fields), `layout` (the text layer of a page), `ocr`,
`classify` (what kind of page), `values` (amounts, dates, marks) and `model`
(the plain data read).
"""

from .model import Coverage, Extraction, Page
from .reader import extract, sniff

__all__ = ["Coverage", "Extraction", "Page", "extract", "sniff"]
