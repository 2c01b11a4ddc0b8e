"""The scheduled report by email: when one is due, and its workbook.

Plain Python, no Odoo import. A subscription is sent once per period: every
day (daily) or once a week on its weekday (weekly). A weekly report whose
day was missed (the server was down) goes out once on the next run; a new
weekly subscription waits for its day.
"""

import io
from datetime import date, timedelta

import xlsxwriter

from .vocabulary import ReportFrequency


def period_start(today, frequency, weekday=0):
    """The first day of the period `today` falls in."""
    if frequency == ReportFrequency.WEEKLY:
        return today - timedelta(days=(today.weekday() - int(weekday)) % 7)
    return today


def is_due(last_sent, today, frequency, weekday=0):
    """Whether a subscription last sent on `last_sent` (None: never) sends on
    `today`."""
    start = period_start(today, frequency, weekday)
    if last_sent is None:
        return start == today
    return last_sent < start


def workbook(sheets):
    """An .xlsx file (bytes) with one sheet per `(title, headers, rows)`;
    dates become real dates, numbers stay numbers."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for title, headers, rows in sheets:
        sheet = book.add_worksheet(title[:31])
        widths = [len(header) for header in headers]
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, bold)
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(row_index, col, value, day)
                    width = 10
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(row_index, col, value)
                    width = len(str(value))
                elif value:
                    sheet.write_string(row_index, col, str(value))
                    width = len(str(value))
                else:
                    continue
                widths[col] = max(widths[col], min(width, 60))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width + 2)
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
