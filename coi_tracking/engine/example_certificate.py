# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An example of an acceptable certificate, drawn from the requirements and
sent with the notices that ask for one (plain Python: reportlab only).

The page is laid out like a certificate of liability insurance (ACORD 25):
producer and insured on the left, insurers on the right, the coverages
table (INSR LTR, TYPE OF INSURANCE, ADDL INSD, SUBR WVD, POLICY NUMBER,
dates, LIMITS), the description of operations and the certificate holder.
It is drawn here at run time with the project's own wording; nothing of
ACORD's form is copied. What the vendor's requirements decide (coverages,
minimum limits, the ADDL INSD / SUBR WVD marks, the description wording, the
holder) is printed in blue; what the agent fills in is a grey placeholder
with a short orange note. Every text is fitted into its cell (smaller, then
wrapped), so nothing overlaps, and the suite's own reader reads the page
back as a certificate.
"""

import io
from dataclasses import dataclass

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

PAGE_W, PAGE_H = letter
LEFT, RIGHT, MID = 18.0, 594.0, 306.0

FONT, BOLD = "Helvetica", "Helvetica-Bold"
ITALIC, BOLD_ITALIC = "Helvetica-Oblique", "Helvetica-BoldOblique"
BLACK = HexColor("#111111")
REQUIRED = HexColor("#0b4f8a")  # what the requirements decide
PLACEHOLDER = HexColor("#6b7280")  # what the agent fills in
NOTE = HexColor("#b4410c")  # the callouts
NOTE_FILL = HexColor("#fff4e8")

# Columns of the coverages table (x of their left edges; the last ends at RIGHT).
COL_LTR, COL_TYPE, COL_INSD, COL_WVD = 18.0, 36.0, 176.4, 194.4
COL_NUMBER, COL_EFF, COL_EXP, COL_LIMITS, COL_AMOUNT = 212.4, 331.2, 378.0, 424.8, 514.8
# Coverages in the order a certificate lists them; the others come last.
ROW_ORDER = ("GL", "AUTO", "UMBRELLA", "EXCESS", "WC_EL")
PAD = 2.5
HOLDER_HEIGHT = 86

# The notes to the reader of the example (the callouts, the placeholders of
# what the agent fills in, the explanations), in English: the caller may
# give them in the reader's language (`notes` of `example_certificate_pdf`).
# The form's own labels stay those of the certificate the agent issues.
NOTES = {
    "intro": (
        "This is an example, not a certificate. Please give it to your insurance agent or "
        "broker: the certificate they issue for {vendor} must show at least what is printed "
        "here in blue (the coverages we require, their minimum limits, the X marks, and the "
        "certificate holder exactly as written). Grey text and orange notes show what your "
        "agent fills in."
    ),
    "your_company": "your company",
    "example_only": "An example only: it grants no insurance.",
    "date_of_issue": "date of issue",
    "producer": "Your insurance agency or broker",
    "producer_address": "address, city, state, ZIP",
    "agent_fills_this": "your agent fills this",
    "your_address": "your address",
    "legal_name": "your exact legal name",
    "agent_fills_contact": "your agent fills the contact, insurers and NAIC numbers",
    "insurer": "insurer of the policy",
    "insurer_rating": "each insurer rated at least {rating} by AM Best",
    "in_force": (
        "Each policy below must be in force on the days you work for us. Amounts in blue are "
        "our minimums: higher limits are welcome."
    ),
    "no_coverage": "no coverage required",
    "policy_number": "policy number",
    "start": "start",
    "end": "end",
    "agent_fills_these": "your agent fills these",
    "no_minimum": "no minimum limit",
    "wording": "this wording, or the endorsements that say it, attached",
    "nothing_required": "nothing is required here",
    "exact_holder": "exactly this name and address",
    "cancellation": (
        "If a policy shown here is cancelled before it ends, we ask the insurer or your agent "
        "to tell us beforehand, as the policy provides."
    ),
    "agent_signs": "your agent signs",
}


@dataclass(frozen=True)
class ExampleCoverage:
    """One required coverage as the example shows it: its name, the minimum
    limits as (label, amount written out), its code (GL, AUTO, UMBRELLA,
    EXCESS, WC_EL or another) and what the requirement asks to be marked."""

    coverage: str
    limits: tuple[tuple[str, str], ...] = ()
    code: str = ""
    additional_insured: bool = False
    waiver_of_subrogation: bool = False
    primary_noncontributory: bool = False
    per_statute: bool = False


def example_certificate_pdf(vendor_name, holder_lines, coverages, insurer_rating=None, notes=None):
    """PDF bytes of a one-page example certificate for `vendor_name` meeting
    `coverages` (ExampleCoverage), made out to the holder (its name, then
    its address, as lines of text). `insurer_rating`: the lowest AM Best
    rating the insurers may have, when the requirements set one. `notes`:
    some of `NOTES` in the reader's language (same keys and placeholders)."""
    holder_lines = [line for line in holder_lines or () if line and line.strip()]
    coverages = sorted(
        coverages or (),
        key=lambda c: ROW_ORDER.index(c.code) if c.code in ROW_ORDER else len(ROW_ORDER),
    )
    buffer = io.BytesIO()
    sheet = _Sheet(buffer, {**NOTES, **(notes or {})})
    top = _heading(sheet, vendor_name)
    top = _parties(sheet, top + 6, vendor_name, insurer_rating)
    description = description_of_operations(holder_lines, coverages)
    description_height = _description_height(sheet, description)
    holder = _holder_lines(sheet, holder_lines)
    holder_height = max(HOLDER_HEIGHT, 22 + sum(size * 1.25 for _text, size, _font in holder))
    # The table may grow down to where the description and the holder still fit.
    room = PAGE_H - 30 - holder_height - description_height - 12
    table_bottom = _coverages(sheet, top + 8, room, coverages)
    holder_top = table_bottom + 10 + description_height
    _description(sheet, table_bottom + 10, holder_top, description)
    _holder(sheet, holder_top, holder_top + holder_height, holder)
    sheet.text(
        RIGHT,
        holder_top + holder_height + 5,
        sheet.notes["example_only"],
        6,
        ITALIC,
        PLACEHOLDER,
        align="R",
    )
    return sheet.finish()


def description_of_operations(holder_lines, coverages):
    """The wording the requirements ask for in the description of
    operations (additional insured, waiver, primary and non-contributory),
    or "" when they ask for none."""
    holder = holder_lines[0] if holder_lines else "The certificate holder"
    sentences = []
    for attribute, sentence in (
        (
            "additional_insured",
            "{holder} is included as additional insured on the {names} policies.",
        ),
        (
            "waiver_of_subrogation",
            "Waiver of subrogation in favor of {holder} on the {names} policies.",
        ),
        (
            "primary_noncontributory",
            "The {names} coverage is primary and non-contributory to any insurance of {holder}.",
        ),
    ):
        names = [c.coverage for c in coverages if getattr(c, attribute)]
        if names:
            sentences.append(sentence.format(holder=holder, names=_and(names)))
    return " ".join(sentences)


def _and(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class _Sheet:
    """A reportlab canvas addressed top-down (as pdfplumber reports words)."""

    def __init__(self, buffer, notes=None):
        self.buffer = buffer
        self.notes = notes or NOTES
        self.canvas = canvas.Canvas(buffer, pagesize=letter, pageCompression=1, invariant=1)
        self.canvas.setTitle("Example certificate of insurance")
        self.canvas.setAuthor("COI tracking")

    def finish(self):
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()

    def text(self, x, top, text, size, font=FONT, color=BLACK, align="L"):
        """One line whose top (pdfplumber's `top`) is `top`; x is its left
        edge, centre or right edge for align L, C or R."""
        c = self.canvas
        c.setFillColor(color)
        c.setFont(font, size)
        baseline = PAGE_H - top - 0.79 * size
        if align == "C":
            c.drawCentredString(x, baseline, text)
        elif align == "R":
            c.drawRightString(x, baseline, text)
        else:
            c.drawString(x, baseline, text)

    def rule(self, x0, top0, x1, top1, width=0.4):
        c = self.canvas
        c.setStrokeColor(BLACK)
        c.setLineWidth(width)
        c.line(x0, PAGE_H - top0, x1, PAGE_H - top1)

    def box(self, x0, top0, x1, top1, width=0.8, fill=None, stroke=BLACK, radius=0):
        c = self.canvas
        c.setLineWidth(width)
        c.setStrokeColor(stroke)
        if fill is not None:
            c.setFillColor(fill)
        args = (x0, PAGE_H - top1, x1 - x0, top1 - top0)
        if radius:
            c.roundRect(*args, radius, stroke=1 if width else 0, fill=fill is not None)
        else:
            c.rect(*args, stroke=1 if width else 0, fill=fill is not None)

    def fit(self, text, width, size, font=FONT, min_size=5.0, max_lines=3):
        """(lines, size): the text on one line at `size`, else wrapped on at
        most `max_lines` lines, else the same at a smaller size, down to
        `min_size` (then as many lines as it takes)."""
        size = float(size)
        while True:
            lines = _wrap(text, font, size, width)
            if len(lines) <= max_lines or size - 0.25 < min_size:
                return lines, size
            size -= 0.25

    def paragraph(self, x, top, text, width, size, font=FONT, color=BLACK, leading=1.2):
        lines = _wrap(text, font, size, width)
        for index, line in enumerate(lines):
            self.text(x, top + index * size * leading, line, size, font, color)
        return len(lines) * size * leading

    def note(self, x, top, text, size=6.2, align="L"):
        """A callout: an orange pointer and a short note; returns its width."""
        width = stringWidth(text, BOLD_ITALIC, size) + size + 2
        x0 = x - width if align == "R" else x
        c = self.canvas
        c.setFillColor(NOTE)
        path = c.beginPath()
        mid = PAGE_H - top - size * 0.42
        path.moveTo(x0, mid)
        path.lineTo(x0 + size * 0.75, mid + size * 0.38)
        path.lineTo(x0 + size * 0.75, mid - size * 0.38)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
        self.text(x0 + size + 1, top, text, size, BOLD_ITALIC, NOTE)
        return width


def _wrap(text, font, size, width):
    """simpleSplit, with words longer than the width cut so no line is wider."""
    lines = []
    for line in simpleSplit(text, font, size, width) or [""]:
        while stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


# ---- the page, top down -------------------------------------------------------


def _heading(sheet, vendor_name):
    sheet.box(LEFT, 18, LEFT + 86, 42, width=0, fill=NOTE, radius=4)
    sheet.text(LEFT + 43, 25, "EXAMPLE", 12, BOLD, white, align="C")
    sheet.text(MID, 23, "CERTIFICATE OF LIABILITY INSURANCE", 13, BOLD, align="C")
    sheet.box(496, 18, RIGHT, 42, width=0.6)
    sheet.text(499, 21, "DATE (MM/DD/YYYY)", 5.5, BOLD)
    sheet.text(499, 31, sheet.notes["date_of_issue"], 7, ITALIC, PLACEHOLDER)
    intro = sheet.notes["intro"].format(vendor=vendor_name or sheet.notes["your_company"])
    lines, size = sheet.fit(intro, RIGHT - LEFT - 12, 7.5, min_size=6, max_lines=4)
    height = len(lines) * size * 1.25 + 8
    sheet.box(LEFT, 48, RIGHT, 48 + height, width=0.6, fill=NOTE_FILL, stroke=NOTE)
    for index, line in enumerate(lines):
        sheet.text(LEFT + 6, 52 + index * size * 1.25, line, size, FONT, BLACK)
    return 48 + height


def _parties(sheet, top, vendor_name, insurer_rating):
    bottom = top + 128
    sheet.box(LEFT, top, RIGHT, bottom, width=0.9)
    sheet.rule(MID, top, MID, bottom, 0.7)
    # Producer (left, upper part).
    sheet.text(LEFT + 3, top + 3, "PRODUCER", 5.9, BOLD)
    for index, line in enumerate((sheet.notes["producer"], sheet.notes["producer_address"])):
        sheet.text(LEFT + 12, top + 14 + index * 10, line, 8, ITALIC, PLACEHOLDER)
    sheet.note(MID - 4, top + 40, sheet.notes["agent_fills_this"], align="R")
    insured_top = top + 54
    sheet.rule(LEFT, insured_top, MID, insured_top)
    sheet.text(LEFT + 3, insured_top + 3, "INSURED", 5.9, BOLD)
    name_lines, size = sheet.fit(vendor_name or "", MID - LEFT - 24, 10, BOLD, 7, 2)
    for index, line in enumerate(name_lines):
        sheet.text(LEFT + 12, insured_top + 14 + index * size * 1.2, line, size, BOLD, REQUIRED)
    address_top = insured_top + 16 + len(name_lines) * size * 1.2
    sheet.text(LEFT + 12, address_top, sheet.notes["your_address"], 8, ITALIC, PLACEHOLDER)
    sheet.note(MID - 4, bottom - 11, sheet.notes["legal_name"], align="R")
    # Contact and insurers (right).
    x = MID + 4
    rows = [top + 2, top + 13, top + 24]
    for row_top, label in zip(rows, ("CONTACT NAME:", "PHONE:", "E-MAIL:"), strict=True):
        sheet.text(x, row_top + 1, label, 5.9, BOLD)
        sheet.rule(MID, row_top + 10, RIGHT, row_top + 10, 0.3)
    sheet.note(x + 60, rows[0] + 1, sheet.notes["agent_fills_contact"])
    head = top + 38
    sheet.text(MID + 70, head, "INSURER(S) AFFORDING COVERAGE", 6, BOLD)
    sheet.text(RIGHT - 4, head, "NAIC #", 6, BOLD, align="R")
    sheet.rule(RIGHT - 44, head - 2, RIGHT - 44, bottom, 0.3)
    for index, letter_ in enumerate("ABCDEF"):
        row_top = head + 9 + index * 13
        sheet.rule(MID, row_top - 1.5, RIGHT, row_top - 1.5, 0.3)
        sheet.text(x, row_top + 2, f"INSURER {letter_} :", 5.9, BOLD)
        if index == 0:
            sheet.text(x + 48, row_top + 1.5, sheet.notes["insurer"], 7.5, ITALIC, PLACEHOLDER)
        elif index == 1 and insurer_rating:
            lines, size = sheet.fit(
                sheet.notes["insurer_rating"].format(rating=insurer_rating), 200, 7.5, BOLD, 6, 1
            )
            sheet.text(x + 48, row_top + 1.5, lines[0], size, BOLD, REQUIRED)
    return bottom


def _coverages(sheet, top, bottom, coverages):
    sheet.text(LEFT + 3, top, "COVERAGES", 8, BOLD)
    sheet.text(170, top, "CERTIFICATE NUMBER:", 8, BOLD)
    sheet.text(430, top, "REVISION NUMBER:", 8, BOLD)
    sheet.text(
        LEFT + 3,
        top + 11,
        sheet.notes["in_force"],
        6.5,
        ITALIC,
        BLACK,
    )
    head_top = top + 26
    rows_top = head_top + 16
    heights, scale = _row_heights(sheet, coverages, bottom - rows_top)
    table_bottom = rows_top + sum(heights)
    sheet.box(LEFT, head_top, RIGHT, table_bottom, width=0.9)
    sheet.rule(LEFT, rows_top, RIGHT, rows_top, 0.6)
    for x in (COL_TYPE, COL_INSD, COL_WVD, COL_NUMBER, COL_EFF, COL_EXP, COL_LIMITS):
        sheet.rule(x, head_top, x, table_bottom, 0.4)
    first, second = head_top + 2.5, head_top + 8.5
    for x0, x1, upper, lower in (
        (COL_LTR, COL_TYPE, "INSR", "LTR"),
        (COL_TYPE, COL_INSD, "", "TYPE OF INSURANCE"),
        (COL_INSD, COL_WVD, "ADDL", "INSD"),
        (COL_WVD, COL_NUMBER, "SUBR", "WVD"),
        (COL_NUMBER, COL_EFF, "", "POLICY NUMBER"),
        (COL_EFF, COL_EXP, "POLICY EFF", "(MM/DD/YYYY)"),
        (COL_EXP, COL_LIMITS, "POLICY EXP", "(MM/DD/YYYY)"),
        (COL_LIMITS, RIGHT, "", "LIMITS"),
    ):
        for row_top, label in ((first, upper), (second, lower)):
            if label:
                lines, size = sheet.fit(label, x1 - x0 - 2, 5.8, BOLD, 4.2, 1)
                sheet.text((x0 + x1) / 2, row_top, lines[0], size, BOLD, align="C")
    row_top = rows_top
    for index, (coverage, height) in enumerate(zip(coverages, heights, strict=True)):
        _coverage_row(sheet, row_top, height, coverage, scale, first=index == 0)
        row_top += height
        if index < len(coverages) - 1:
            sheet.rule(LEFT, row_top, RIGHT, row_top, 0.6)
    if not coverages:
        sheet.text(COL_TYPE + PAD, rows_top + 4, sheet.notes["no_coverage"], 7, ITALIC, PLACEHOLDER)
    return table_bottom


def _limit_lines(sheet, coverage, scale):
    """[(label lines, label size, amount or None)] of a coverage's limit cells."""
    width = COL_AMOUNT - COL_LIMITS - 2 * PAD
    cells = []
    if coverage.per_statute:
        cells.append((["PER STATUTE"], 6 * scale, None))
    for label, amount in coverage.limits:
        lines, size = sheet.fit(label, width, 6 * scale, FONT, 4.5 * scale, 3)
        cells.append((lines, size, amount))
    return cells


def _type_lines(sheet, coverage, scale):
    return sheet.fit(coverage.coverage.upper(), COL_INSD - COL_TYPE - 2 * PAD, 7 * scale, BOLD, 5)


def _cell_height(lines, size, scale):
    return max(12 * scale, len(lines) * size * 1.15 + 5 * scale)


def _row_heights(sheet, coverages, available, scale=1.0):
    """Heights of the coverage rows, made smaller when they would not fit."""
    heights = []
    for coverage in coverages:
        cells = _limit_lines(sheet, coverage, scale) or [(["x"], 6 * scale, None)]
        limits = sum(_cell_height(lines, size, scale) for lines, size, _amount in cells)
        type_lines, type_size = _type_lines(sheet, coverage, scale)
        name = len(type_lines) * type_size * 1.2 + 6 * scale
        heights.append(max(limits, name, 26 * scale))
    if sum(heights) > available and scale > 0.6:
        return _row_heights(sheet, coverages, available, round(scale - 0.05, 2))
    return heights, scale


def _coverage_row(sheet, top, height, coverage, scale, first):
    lines, size = _type_lines(sheet, coverage, scale)
    for index, line in enumerate(lines):
        sheet.text(COL_TYPE + PAD, top + 3 + index * size * 1.2, line, size, BOLD, REQUIRED)
    mark_top = top + 3 * scale
    for flag, x0, x1 in (
        (coverage.additional_insured, COL_INSD, COL_WVD),
        (coverage.waiver_of_subrogation, COL_WVD, COL_NUMBER),
    ):
        if flag:
            sheet.text((x0 + x1) / 2, mark_top, "X", 8 * scale, BOLD, REQUIRED, align="C")
    place = 7 * scale
    sheet.text(COL_NUMBER + PAD, top + 3, sheet.notes["policy_number"], place, ITALIC, PLACEHOLDER)
    for x0, x1, label in (
        (COL_EFF, COL_EXP, sheet.notes["start"]),
        (COL_EXP, COL_LIMITS, sheet.notes["end"]),
    ):
        sheet.text((x0 + x1) / 2, top + 3, label, place, ITALIC, PLACEHOLDER, align="C")
    if first:
        sheet.note(
            COL_NUMBER + PAD, top + 3 + place * 1.5, sheet.notes["agent_fills_these"], 6 * scale
        )
    cell_top = top
    cells = _limit_lines(sheet, coverage, scale)
    if not cells:
        sheet.text(COL_LIMITS + PAD, top + 3, sheet.notes["no_minimum"], 6.5, ITALIC, PLACEHOLDER)
    for index, (label_lines, label_size, amount) in enumerate(cells):
        cell_height = _cell_height(label_lines, label_size, scale)
        if index:
            sheet.rule(COL_LIMITS, cell_top, RIGHT, cell_top, 0.3)
        text_top = cell_top + 2.5 * scale
        if amount is None:  # the "per statute" mark
            sheet.text(COL_LIMITS + PAD, text_top, "X", label_size + 1, BOLD, REQUIRED)
            sheet.text(COL_LIMITS + PAD + 8, text_top, label_lines[0], label_size, BOLD)
        else:
            for number, line in enumerate(label_lines):
                sheet.text(
                    COL_LIMITS + PAD, text_top + number * label_size * 1.15, line, label_size
                )
            amount_lines, amount_size = sheet.fit(
                amount, RIGHT - COL_AMOUNT - 2 * PAD, 7.5 * scale, BOLD, 4.5, 1
            )
            sheet.text(RIGHT - PAD, text_top, amount_lines[0], amount_size, BOLD, REQUIRED, "R")
        cell_top += cell_height
    if cells:
        sheet.rule(COL_AMOUNT, top, COL_AMOUNT, top + height, 0.3)


def _description_height(sheet, description):
    text = description or "x"
    lines, size = sheet.fit(text, RIGHT - LEFT - 10, 7.5, FONT, 6, 5)
    return 16 + len(lines) * size * 1.25 + 6


def _description(sheet, top, bottom, description):
    sheet.box(LEFT, top, RIGHT, bottom - 6, width=0.9)
    sheet.text(LEFT + 3, top + 3, "DESCRIPTION OF OPERATIONS / LOCATIONS / VEHICLES", 5.9, BOLD)
    if description:
        sheet.note(300, top + 3, sheet.notes["wording"])
        lines, size = sheet.fit(description, RIGHT - LEFT - 10, 7.5, FONT, 6, 5)
        for index, line in enumerate(lines):
            sheet.text(LEFT + 5, top + 14 + index * size * 1.25, line, size, FONT, REQUIRED)
    else:
        sheet.text(LEFT + 5, top + 14, sheet.notes["nothing_required"], 7, ITALIC, PLACEHOLDER)


def _holder_lines(sheet, holder_lines):
    """[(text, size, font)]: the holder's name in bold, then its address."""
    out = []
    for index, line in enumerate(holder_lines):
        size, font = (9.5, BOLD) if index == 0 else (8.5, FONT)
        lines, size = sheet.fit(line, MID - LEFT - 20, size, font, 6, 2)
        out += [(part, size, font) for part in lines]
    return out


def _holder(sheet, top, bottom, lines):
    sheet.box(LEFT, top, MID, bottom, width=0.9)
    sheet.box(MID, top, RIGHT, bottom, width=0.9)
    sheet.text(LEFT + 3, top + 3, "CERTIFICATE HOLDER", 5.9, BOLD)
    line_top = top + 16
    for text, size, font in lines:
        sheet.text(LEFT + 12, line_top, text, size, font, REQUIRED)
        line_top += size * 1.25
    sheet.note(MID + 6, top + 4, sheet.notes["exact_holder"])
    sheet.paragraph(
        MID + 6,
        top + 18,
        sheet.notes["cancellation"],
        RIGHT - MID - 12,
        6.5,
        ITALIC,
        BLACK,
    )
    sheet.rule(MID + 6, bottom - 14, RIGHT - 6, bottom - 14, 0.4)
    sheet.text(MID + 6, bottom - 11, "AUTHORIZED REPRESENTATIVE", 5.9, BOLD)
    sheet.note(RIGHT - 6, bottom - 11, sheet.notes["agent_signs"], align="R")
