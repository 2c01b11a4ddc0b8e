"""Reading certificates of insurance (ACORD 25) into plain data.

`extract(data)` takes the bytes of a PDF (or a PNG/JPEG/TIFF image, every
page of a TIFF) and
returns an `Extraction`. Most reliable source first: AcroForm and XFA form
values, then the page's text layer together with FreeText annotations, then
OCR for pages without text. It never raises on bad input: the reason is in
`Extraction.error` and the warnings.

Each source fails alone: a damaged annotation costs the FreeText source
of that page (a warning names it), not the certificate.

Every page of a packet is classified and kept (`Extraction.pages`); the
endorsement pages are read into `Extraction.endorsements` (form number and
edition, what they do, blanket or the names scheduled, policy number) and
declarations pages into `Extraction.declarations` (policy number, period,
limits).

The work is split by job: `reader` (the door: sniffing, pages, sources in
turn), `acroform` (form fields), `layout` (the text layer of a page), `ocr`
(pages and multi-page TIFF faxes set upright and level from the form's
rules, the rules removed, then Tesseract; the rule mask is kept), `grid` (a
scan's cells from its rules: the hard cells read again on their own, check
boxes from their pixels), `classify` (what kind of page),
`endorsements` and `declarations` (those pages), `values` (amounts, dates,
marks), `plausible` (values checked as a reviewer would: an implausible one
keeps its place with a low confidence), `model`
(the plain data read), `listing` (the values read, one by one, each with
its label, confidence and the region it was read from, for the review
screen), `budget` (what a file may cost to read, told without
reading it) and `isolated` (reading in a child process with capped memory
and time, for the reading job).
"""

from . import budget
from .isolated import extract_isolated
from .listing import ValueRead, confidence_level, values_read
from .model import Coverage, DeclarationsPage, EndorsementForm, Extraction, OverBudget, Page
from .reader import extract, sniff

__all__ = [
    "Coverage",
    "DeclarationsPage",
    "EndorsementForm",
    "Extraction",
    "OverBudget",
    "Page",
    "ValueRead",
    "budget",
    "confidence_level",
    "extract",
    "extract_isolated",
    "sniff",
    "values_read",
]
