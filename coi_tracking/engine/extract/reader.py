"""The reader: a file's bytes to an `Extraction`, page by page, each source
in turn (the order is told in the package's docstring)."""

from __future__ import annotations

import functools
import io
import logging
import time

from . import acroform, declarations, endorsements, layout, ocr, pdfium_chars, plausible
from .classify import classify
from .model import FAIR, GOOD, Extraction, OverBudget, Page

_logger = logging.getLogger(__name__)

MAX_PAGES_READ = 60  # pages classified in a packet; the rest are listed as "other"
MAX_OCR_PAGES = 8  # a scanned packet: certificate, endorsements, declarations
OCR_RESOLUTION = ocr.DPI
WHITE = ((1,), (1, 1, 1), (0, 0, 0, 0), [1], [1, 1, 1], [0, 0, 0, 0])


def sniff(data: bytes) -> str | None:
    """The real type of a file, by how it starts: pdf, png, jpeg, tiff or None.
    A PDF starts with "%PDF-": leading bytes some viewers skip are not taken
    (a web page that holds a PDF further down is a web page)."""
    head = data[:1024] if data else b""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    return None


def extract(
    data: bytes,
    *,
    use_ocr: bool = True,
    seconds: float | None = None,
    cpu_seconds: float | None = None,
) -> Extraction:
    """Read a file. With `seconds` (wall time) or `cpu_seconds` (processor
    time of the calling thread: a worker that waits for the processor on a
    busy machine does not spend it), the reading stops with `OverBudget`
    when that time has run out (checked between pages and reading
    strategies); MemoryError is not turned into a reading error either: the
    caller decides (the reading job reads in a capped child process)."""
    kind = sniff(data)
    if kind is None:
        return Extraction(error="The file is not a PDF or an image (PNG, JPEG, TIFF).")
    reading = _Reading(
        time.monotonic() + seconds if seconds is not None else None,
        time.thread_time() + cpu_seconds if cpu_seconds is not None else None,
    )
    try:
        if kind == "pdf":
            return _extract_pdf(data, use_ocr, reading)
        return _extract_image(data, use_ocr, reading)
    except (MemoryError, OverBudget):
        raise
    except Exception as error:
        _raise_if_out_of_memory(error)
        _logger.info("certificate could not be read: %s", error, exc_info=True)
        return Extraction(error=f"The file could not be read ({type(error).__name__}).")


def _raise_if_out_of_memory(error):
    """pdfplumber wraps what pdfminer raises, MemoryError included: unwrap it."""
    for _depth in range(8):
        if error is None:
            return
        if isinstance(error, MemoryError):
            raise error
        cause = error.args[0] if error.args else None
        error = error.__cause__ or error.__context__
        error = error or (cause if isinstance(cause, BaseException) else None)


class _Reading:
    """One reading: its deadline, and the strategies that failed on it. Each
    way of reading (AcroForm fields, XFA data, FreeText annotations, the
    text layout, OCR) fails alone: a warning names it, the others run."""

    def __init__(self, deadline, cpu_deadline=None):
        self.deadline = deadline  # time.monotonic()
        self.cpu_deadline = cpu_deadline  # time.thread_time()
        self.failed = {}  # strategy -> name of the exception

    def check_time(self):
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OverBudget("the time to read this file here ran out")
        if self.cpu_deadline is not None and time.thread_time() > self.cpu_deadline:
            raise OverBudget("the processor time to read this file here ran out")

    def attempt(self, strategy, function, *args, default=None):
        self.check_time()
        try:
            return function(*args)
        except (MemoryError, OverBudget):
            raise
        except Exception as error:
            _raise_if_out_of_memory(error)
            _logger.info("reading the %s failed: %s", strategy, error, exc_info=True)
            self.failed.setdefault(strategy, type(error).__name__)
            return default

    def report(self, result):
        for strategy, error in self.failed.items():
            result.warnings.append(
                f"The {strategy} could not be read ({error}); the rest of the file was read."
            )
        if self.failed and not result.is_certificate and not result.text.strip():
            strategies = ", ".join(f"{s} ({e})" for s, e in self.failed.items())
            result.error = f"The file could not be read: {strategies}."
        return result


def _extract_image(data, use_ocr, reading):
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return Extraction(error="The image is damaged or in an unknown format.")
    result = Extraction()
    frames = getattr(image, "n_frames", 1)  # a multi-page TIFF: a fax
    for number in range(1, frames + 1):
        if number > MAX_OCR_PAGES:
            result.warnings.append(
                f"Only the first {MAX_OCR_PAGES} of {frames} pages of the image were read."
            )
            break
        reading.check_time()
        if frames > 1:
            image.seek(number - 1)
        _ocr_page(image.copy(), number, result, use_ocr, reading)
    return _finish(reading.report(result))


def _extract_pdf(data, use_ocr, reading):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # noqa: B018 - parses the page tree: damaged files fail here
    except Exception as error:  # pdfplumber wraps pdfminer's errors
        _raise_if_out_of_memory(error)
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect) or "password" in repr(error).lower():
            return Extraction(error="The PDF is protected by a password.")
        return Extraction(error="The PDF is damaged or incomplete.")
    with pdf:
        if getattr(pdf.doc, "encryption", None) and _is_locked(pdf):
            return Extraction(error="The PDF is protected by a password.")
        pages = pdf.pages
        if not pages:
            return Extraction(error="The PDF has no pages.")
        result = Extraction()
        form = _read_form(pdf.doc, reading)
        if form is not None:
            result = form
            result.certificate_page = 1
        ocr_done = 0
        for number, page in enumerate(pages, start=1):
            if number > MAX_PAGES_READ:
                result.pages.append(Page(number, "other", "not read"))
                continue
            reading.check_time()
            words = reading.attempt("text layout", _text_words, page, data, default=[])
            annotated, freetext = reading.attempt(
                "FreeText annotations", _annotation_words, page, default=([], False)
            )
            words = words + annotated
            text = "\n".join(line.text for line in layout.group_lines(words))
            page_kind = _continued(result, classify(text), text)
            result.add_text(text)
            method = "freetext" if freetext else "text"
            if page_kind == "needs_ocr" and use_ocr and ocr_done >= MAX_OCR_PAGES:
                result.warnings.append(
                    f"Page {number} is an image and was not read: OCR reads at most "
                    f"{MAX_OCR_PAGES} pages of a file."
                )
            if page_kind == "needs_ocr" and use_ocr and ocr_done < MAX_OCR_PAGES:
                ocr_done += 1
                image = reading.attempt("page image (OCR)", _page_image, data, number - 1)
                if image is not None:
                    _ocr_page(image, number, result, use_ocr, reading)
                else:
                    result.pages.append(Page(number, "needs_ocr", ""))
                page.close()
                continue
            result.pages.append(Page(number, page_kind, method if words else ""))
            _read_supporting(result, page_kind, words, number, method, reading)
            if page_kind == "certificate" and result.certificate_page is None:
                result.certificate_page = number
                result.method = method
                reading.attempt("text layout", layout.read_page, words, result, GOOD)
            elif page_kind == "certificate" and form is not None and number == 1:
                reading.attempt("text layout", _fill_gaps, result, words)
            page.close()
        if len(pages) > MAX_PAGES_READ:
            result.warnings.append(
                f"Only the first {MAX_PAGES_READ} of {len(pages)} pages were read."
            )
    return _finish(reading.report(result))


def _read_form(doc, reading):
    """The form's values (AcroForm fields, XFA data filling the fields left
    empty) as an Extraction, or None when the file has no filled form."""
    values = reading.attempt("AcroForm fields", acroform.read_fields, doc, default={})
    xfa = reading.attempt("XFA data", acroform.read_xfa_fields, doc, default={})
    for name, value in xfa.items():
        values.setdefault(name, value)
    if not values:
        return None
    return reading.attempt("AcroForm fields", acroform.to_extraction, values)


def _page_image(data, index):
    """The page rendered by PDFium in grayscale at the resolution OCR reads."""
    import pypdfium2 as pdfium

    from .budget import _PDFIUM

    with _PDFIUM:
        document = pdfium.PdfDocument(data)
        try:
            page = document[index]
            bitmap = page.render(scale=OCR_RESOLUTION / 72, grayscale=True)
            image = bitmap.to_pil().convert("L")
            image.info["dpi"] = (OCR_RESOLUTION, OCR_RESOLUTION)
            return image
        finally:
            document.close()


def _is_locked(pdf):
    try:
        return not pdf.pages or pdf.pages[0].chars is None
    except Exception:
        return True


def _ocr_page(image, number, result, use_ocr, reading):
    if not (use_ocr and ocr.available()):
        result.pages.append(Page(number, "needs_ocr", ""))
        result.warnings.append(f"Page {number} is an image; OCR is not available to read it.")
        return
    scan = reading.attempt("page image (OCR)", _scan, image, reading.deadline)
    words, mean = (scan.words, scan.confidence) if scan is not None else ([], 0.0)
    text = "\n".join(line.text for line in layout.group_lines(words))
    result.add_text(text)
    page_kind = _continued(result, classify(text), text)
    if page_kind == "needs_ocr":
        page_kind = "other"
    result.pages.append(Page(number, page_kind, "ocr"))
    _read_supporting(result, page_kind, words, number, "ocr", reading, min(FAIR, round(mean, 2)))
    if page_kind in ("endorsement", "policy_page"):
        result.warnings.append(
            f"Page {number} ({page_kind.replace('_', ' ')}) was read by OCR: check what was read."
        )
    if page_kind == "certificate" and result.certificate_page is None:
        result.certificate_page = number
        result.method = "ocr"
        # Each value is as sure as OCR was of its words (`layout.level`): a
        # scan read cleanly is accepted like a text layer, a doubtful word
        # sends its value to a person.
        reading.attempt("page image (OCR)", layout.read_page, words, result, GOOD)
        reading.attempt("page image (OCR)", _snippets, result, scan, number)
        result.warnings.append(f"Page {number} was read by OCR (mean word confidence {mean:.0%}).")


def _scan(image, deadline):
    return ocr.scan(image, deadline=deadline)


SNIPPET_MARGIN = 4  # points around a value's words in its snippet


def _snippets(result, scan, number):
    """The image of each value's region as OCR read it (PNG, base64), for
    the reviewer to compare with what was read."""
    import base64

    from PIL import Image

    if scan is None or scan.image is None:
        return
    image = Image.fromarray(scan.image)
    per_point = image.width / ocr.LETTER_WIDTH
    for key, (page, x0, top, x1, bottom) in result.regions.items():
        if page != number or key in result.snippets:
            continue
        box = (
            max(0, round((x0 - SNIPPET_MARGIN) * per_point)),
            max(0, round((top - SNIPPET_MARGIN) * per_point)),
            min(image.width, round((x1 + SNIPPET_MARGIN) * per_point)),
            min(image.height, round((bottom + SNIPPET_MARGIN) * per_point)),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        buffer = io.BytesIO()
        image.crop(box).save(buffer, format="PNG", optimize=True)
        result.snippets[key] = base64.b64encode(buffer.getvalue()).decode("ascii")


def _continued(result, kind, text):
    """A page that prints the form number of the endorsement read on the
    page before is its next page, whatever its words suggest."""
    previous = result.endorsements[-1] if result.endorsements else None
    if kind not in ("policy_page", "other") or previous is None or not previous.form:
        return kind
    if result.pages and result.pages[-1].number != previous.pages[-1]:
        return kind
    form, _edition = endorsements.printed_form(text.splitlines(), own_only=True)
    return "endorsement" if form == previous.form else kind


def _read_supporting(result, kind, words, number, method, reading, confidence=None):
    """What an endorsement or a declarations page says; a further page of
    the same endorsement is merged into it."""
    if kind == "endorsement":
        page = reading.attempt(
            "endorsement page", endorsements.read_page, words, number, method, confidence
        )
        if page is None:
            return
        previous = result.endorsements[-1] if result.endorsements else None
        if previous is not None and endorsements.continues(previous, page):
            endorsements.merge(previous, page)
        else:
            result.endorsements.append(page)
    elif kind == "policy_page":
        page = reading.attempt(
            "declarations page", declarations.read_page, words, number, method, confidence
        )
        if page is not None and declarations.is_declarations(page):
            result.declarations.append(page)


def _fill_gaps(result, words):
    """Form values win; the text layer fills what the form left empty."""
    from_text = layout.read_page(words, Extraction(), FAIR)
    for key in ("certificate_number", "certificate_date", "form"):
        if not getattr(result, key) and getattr(from_text, key):
            setattr(result, key, getattr(from_text, key))


def _text_words(page, data=None):
    """Visible words of the text layer. A character drawn in white is hidden;
    where two characters overlap, the one drawn last (on top) wins. The
    characters come from PDFium where it places them as pdfminer does
    (`pdfium_chars`), else from pdfminer."""
    from pdfplumber.utils import extract_words

    chars = _pdfium_page_chars(page, data) if data is not None else None
    if chars is None:
        chars = _page_chars(page)
    chars = [c for c in chars if c["non_stroking_color"] not in WHITE]
    chars = _drop_overprinted(chars)
    if not chars:
        return []
    return [
        layout.Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
        for w in extract_words(chars, keep_blank_chars=False, x_tolerance=1.5, y_tolerance=2)
    ]


def _pdfium_page_chars(page, data):
    """The page's characters by PDFium, or None (a rotated page)."""
    geometry = (
        page.mediabox[0],
        page.mediabox[1],
        page.height,
        page.initial_doctop,
        *page.page_obj.mediabox[:2],
    )
    return pdfium_chars.page_chars(data, page.page_number - 1, geometry)


def _page_chars(page):
    """The characters of a page as pdfplumber places them (`page.chars`),
    with only what the words need. `page.chars` keeps every object of the
    page (an ACORD form draws hundreds of rules and boxes) as a pdfminer
    object, then as a dict of every attribute, resolved: most of the time
    of reading a text layer. Here pdfminer's interpreter runs with a device
    that keeps the characters only, placed as pdfminer places them."""
    from pdfminer.pdfinterp import PDFPageInterpreter

    device = _char_collector()(page.pdf.rsrcmgr)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    x_shift, y_shift = page.mediabox[0], page.mediabox[1]
    height, doctop = page.height, page.initial_doctop
    chars = []
    for text, x0, y0, x1, y1, upright, color in device.chars:
        top = height - y1 + y_shift
        chars.append(
            {
                "text": text,
                "x0": x0 + x_shift,
                "x1": x1 + x_shift,
                "top": top,
                "bottom": height - y0 + y_shift,
                "doctop": doctop + top,
                "upright": upright,
                "non_stroking_color": color if isinstance(color, tuple) else (color,),
            }
        )
    return chars


@functools.cache
def _char_collector():
    """pdfminer's layout device keeping the characters only, as tuples:
    their box computed as `LTChar` computes it, nothing kept of the rules,
    boxes and images."""
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class CharCollector(PDFLayoutAnalyzer):
        def __init__(self, rsrcmgr):
            super().__init__(rsrcmgr)
            self.chars = []

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = self.handle_undefined_char(font, cid)
            adv = font.char_width(cid) * fontsize * scaling
            if font.is_vertical():
                vx, vy = font.char_disp(cid)
                vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
                vy = (1000 - vy) * fontsize * 0.001
                box = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
            else:
                descent = font.get_descent() * fontsize
                box = (0, descent + rise, adv, descent + rise + fontsize)
            a, b, c, d, _e, _f = matrix
            x0, y0, x1, y1 = apply_matrix_rect(matrix, box)
            self.chars.append(
                (
                    text,
                    min(x0, x1),
                    min(y0, y1),
                    max(x0, x1),
                    max(y0, y1),
                    a * d * scaling > 0 and b * c <= 0,
                    graphicstate.ncolor,
                )
            )
            return adv

        def paint_path(self, *args, **kwargs):
            pass

        def render_image(self, *args, **kwargs):
            pass

        def receive_layout(self, ltpage):
            pass

    return CharCollector


def _drop_overprinted(chars):
    """A character partly covered (more than a quarter of its box) by one
    drawn later is superseded. Characters are put in cells of 6 points by
    their top left corner (a cell's key: column * _ROW + row); a later one
    is compared with those of its cell and the eight around it (the test
    inlined: a page has thousands)."""
    grid: dict[int, list[tuple]] = {}
    hidden = set()
    for index, char in enumerate(chars):
        if char["text"].isspace():
            continue
        x0, x1, top, bottom = char["x0"], char["x1"], char["top"], char["bottom"]
        key = int(x0 // 6) * _ROW + int(top // 6)
        for offset in _NEIGHBOURS:
            bucket = grid.get(key + offset)
            if bucket:
                _cover(bucket, x0, x1, top, bottom, hidden)
        area = (x1 - x0) * (bottom - top)
        entry = (x0, x1, top, bottom, 0.25 * (area if area > 1e-6 else 1e-6), index)
        bucket = grid.get(key)
        if bucket is None:
            grid[key] = [entry]
        else:
            bucket.append(entry)
    return [c for i, c in enumerate(chars) if i not in hidden] if hidden else list(chars)


_ROW = 1 << 20  # more rows of 6 points than any page has
# A cell and the eight around it, as offsets of its key.
_NEIGHBOURS = tuple(column * _ROW + row for column in (-1, 0, 1) for row in (-1, 0, 1))


def _cover(bucket, x0, x1, top, bottom, hidden):
    """Mark hidden each character of `bucket` (drawn earlier) of which more
    than a quarter lies under x0, x1, top, bottom."""
    for left, right, upper, lower, quarter, earlier in bucket:
        width = (right if right < x1 else x1) - (left if left > x0 else x0)
        if width <= 0:
            continue
        height = (lower if lower < bottom else bottom) - (upper if upper > top else top)
        if height > 0 and width * height > quarter:
            hidden.add(earlier)


def _is_freetext(annot):
    subtype = annot.get("data", {}).get("Subtype")
    return str(subtype).strip("/'\" ").endswith("FreeText")


def _annotation_words(page):
    """(words, whether the page has FreeText annotations): some agency
    systems write values only there."""
    from pdfminer.utils import decode_text

    words, found = [], False
    for annot in page.annots or ():
        if not _is_freetext(annot):
            continue
        found = True
        contents = annot.get("data", {}).get("Contents")
        if isinstance(contents, bytes):
            contents = decode_text(contents)
        if not contents or not str(contents).strip():
            continue
        lines = [line for line in str(contents).splitlines() if line.strip()]
        height = (annot["bottom"] - annot["top"]) / max(len(lines), 1)
        for row, line in enumerate(lines):
            top = annot["top"] + row * height
            x = annot["x0"]
            for token in line.split():
                width = max(len(token) * 4.5, 4)
                words.append(layout.Word(token, x, x + width, top, top + min(height, 10)))
                x += width + 2.5
    return words, found


def _finish(result):
    supporting = result.endorsements or result.declarations
    if result.certificate_page is None and not result.error and not supporting:
        kinds = {p.kind for p in result.pages}
        if kinds == {"needs_ocr"}:
            result.warnings.append("No page has text, and OCR could not read it.")
        result.warnings.append("No certificate of insurance was found in the file.")
    if result.certificate_page is not None and not result.coverages:
        result.warnings.append("No coverage could be read from the certificate.")
    if not result.error:
        plausible.check(result)
    return result
