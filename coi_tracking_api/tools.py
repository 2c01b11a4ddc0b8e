# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Dates as the API's document says: ISO 8601 dates (four-digit years) and
RFC 3339 date-times in UTC."""


def iso_date(day):
    return day.isoformat() if day else None


def iso_datetime(moment):
    """A stored (naive, UTC) datetime."""
    return moment.replace(microsecond=0).isoformat() + "Z" if moment else None
