"""Dates as articles write them, turned into ISO dates only when they are unambiguous.

A date without a year ("Feb 17") or an all-numeric one that could be day-first or
month-first ("03/04/2025") is not a date we can state: the loader never invents one.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
DAY_MONTH_YEAR = re.compile(r"\b" + _WEEKDAY + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I)
MONTH_DAY_YEAR = re.compile(r"\b" + _WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I)
ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-][0-2]\d:?[0-5]\d)?)?\b")


# A line that is only a date, as pages print one by the headline ("Published 17 February 2025,
# 10:04 GMT"); longer lines are sentences that mention a date.
DATE_LINE = re.compile(
    r"^(?:(?:published|updated|posted|first published|last updated|last modified)(?:\s+on)?\s*:?\s*)?(?P<date>.{6,60})$",
    re.I,
)
MAX_DATE_LINE_WORDS = 8


def date_line(text: str) -> str | None:
    """The date of a line that is only a date, or None."""
    match = DATE_LINE.match(text.strip())
    if not match or len(text.split()) > MAX_DATE_LINE_WORDS:
        return None
    return parse_date(match["date"])


def parse_date(text: str) -> str | None:
    """The first unambiguous date in ``text`` as ``YYYY-MM-DD``, or None."""
    if not text:
        return None
    iso = ISO_DATE.search(text)
    if iso:
        return _valid(int(iso["y"]), int(iso["m"]), int(iso["d"]))
    found = [m for m in (DAY_MONTH_YEAR.search(text), MONTH_DAY_YEAR.search(text)) if m]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return _valid(int(first["year"]), MONTHS[first["month"].lower()], int(first["day"]))


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
