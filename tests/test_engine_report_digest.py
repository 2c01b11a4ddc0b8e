"""The scheduled report by email: sent once per period, and its workbook."""

import io
from datetime import date, timedelta

import openpyxl
from coi_engine import report_digest
from coi_engine.vocabulary import ReportFrequency

MONDAY = date(2026, 6, 15)


def sent_by_daily_runs(frequency, weekday, first, days, skip=()):
    """The days a daily job sends, keeping the last day sent as the model does."""
    last, sent = None, []
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day in skip:
            continue
        if report_digest.is_due(last, day, frequency, weekday):
            sent.append(day)
            last = day
        # A rerun the same day sends nothing.
        assert not report_digest.is_due(last, day, frequency, weekday) or last != day
    return sent


def test_daily_sends_every_day_once():
    sent = sent_by_daily_runs(ReportFrequency.DAILY, 0, MONDAY, 5)
    assert sent == [MONDAY + timedelta(days=i) for i in range(5)]


def test_weekly_sends_on_its_weekday_only():
    # Wednesday is 2: June 17 and June 24.
    sent = sent_by_daily_runs(ReportFrequency.WEEKLY, "2", MONDAY, 14)
    assert sent == [date(2026, 6, 17), date(2026, 6, 24)]


def test_weekly_missed_day_caught_up_once():
    sent = sent_by_daily_runs(
        ReportFrequency.WEEKLY, "2", MONDAY, 14, skip={date(2026, 6, 24), date(2026, 6, 25)}
    )
    assert sent == [date(2026, 6, 17), date(2026, 6, 26)]


def test_new_weekly_subscription_waits_for_its_day():
    assert not report_digest.is_due(None, MONDAY, ReportFrequency.WEEKLY, "4")
    assert report_digest.is_due(None, MONDAY, ReportFrequency.WEEKLY, "0")
    assert report_digest.period_start(date(2026, 6, 21), ReportFrequency.WEEKLY, "4") == date(
        2026, 6, 19
    )


def test_workbook_sheets_rows_and_dates():
    content = report_digest.workbook(
        [
            ("Expiring", ["Vendor", "Expiration", "Days"], [["Roof Co", date(2026, 7, 1), 16]]),
            ("Expired", ["Vendor"], []),
        ]
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Expiring", "Expired"]
    rows = list(book["Expiring"].iter_rows(values_only=True))
    assert rows[0] == ("Vendor", "Expiration", "Days")
    assert rows[1][0] == "Roof Co"
    assert rows[1][1].date() == date(2026, 7, 1)
    assert rows[1][2] == 16
    assert list(book["Expired"].iter_rows(values_only=True)) == [("Vendor",)]
