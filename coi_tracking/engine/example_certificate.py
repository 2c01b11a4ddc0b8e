# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An example of an acceptable certificate, drawn from the requirements and
sent with the notices that ask for one (plain Python: reportlab only)."""

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


@dataclass(frozen=True)
class ExampleCoverage:
    """One required coverage as the example shows it: its name, the minimum
    limits as (label, amount written out) and the endorsements' names."""

    coverage: str
    limits: tuple[tuple[str, str], ...] = ()
    endorsements: tuple[str, ...] = ()


def example_certificate_pdf(vendor_name, holder_lines, coverages):
    """PDF bytes of an example certificate for `vendor_name` meeting
    `coverages` (ExampleCoverage), made out to the holder (its address as
    lines of text)."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=letter, title="Example certificate of insurance", leftMargin=48
    )
    story = [
        Paragraph("EXAMPLE - what an acceptable certificate of insurance shows", styles["Title"]),
        Paragraph(
            f"Insured: <b>{_escape(vendor_name)}</b>. Ask your insurance agent for an ACORD 25 "
            "certificate showing at least the following.",
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]
    rows = [["Coverage", "Minimum limits", "Endorsements"]]
    for coverage in coverages:
        limits = "\n".join(f"{label}: {amount}" for label, amount in coverage.limits)
        rows.append(
            [coverage.coverage, limits or "as required", "\n".join(coverage.endorsements) or "-"]
        )
    table = Table(rows, colWidths=[170, 200, 150], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#175e85")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    story += [table, Spacer(1, 16), Paragraph("<b>CERTIFICATE HOLDER</b>", styles["Normal"])]
    story += [Paragraph(_escape(line), styles["Normal"]) for line in holder_lines]
    document.build(story)
    return buffer.getvalue()


def _escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
