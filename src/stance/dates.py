"""Dates with their precision: found in text, URLs, metadata and tables, never invented."""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(st|nd|rd|th)?"
TEXT_DATE_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # January 27, 2014
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.I),  # 27 January 2014
    re.compile(r"\b(?P<year>(19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2014-01-27
]
URL_DATE = re.compile(r"/(?P<year>(19|20)\d\d)/(?P<mnum>[01]?\d)(/(?P<day>[0-3]?\d))?/")


class DateError(ValueError):
    """A date that names no real day (31/02/2014, year 10000)."""


def iso(year: int, month: int | None = None, day: int | None = None) -> tuple[str, str]:
    """Validate and format; returns (date string, precision)."""
    if not 1 <= year <= 9999 or year < 1800 or year > 2200:
        raise DateError(f"year {year} is out of range")
    if month is None:
        return f"{year:04d}", "year"
    if not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist")
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    try:
        dt.date(year, month, day)
    except ValueError as err:
        raise DateError(f"{year:04d}-{month:02d}-{day:02d} is not a real day ({err})") from None
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


def _from_match(m: re.Match) -> tuple[str, str]:
    g = m.groupdict()
    month = MONTHS[g["month"].lower().rstrip(".")] if g.get("month") else int(g["mnum"]) if g.get("mnum") else None
    day = int(g["day"]) if g.get("day") else None
    return iso(int(g["year"]), month, day)


def find_text_date(text: str) -> tuple[str, str] | None:
    """The first full date written in ``text`` (e.g. a date line), or None."""
    best = None
    for pattern in TEXT_DATE_PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best.start()):
            try:
                _from_match(m)
            except DateError:
                continue
            best = m
    return _from_match(best) if best else None


def find_url_date(url: str) -> tuple[str, str] | None:
    m = URL_DATE.search(url or "")
    if not m:
        return None
    try:
        return _from_match(m)
    except DateError:
        return None


_NUMERIC = re.compile(r"^\s*(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,5})\s*$")
_YEAR_ONLY = re.compile(r"^\s*(?P<year>\d{4,5})\s*$")
_YEAR_MONTH = re.compile(r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})\s*$")


def _missing(value: object) -> bool:
    """NaN and pandas' NaT (a datetime subclass) are missing values, unequal to themselves."""
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # arrays compare element-wise
        return False


def parse_date_value(value: object, *, dayfirst: bool = False) -> tuple[str, str]:
    """Parse a metadata or table date value. Returns ("", "none") for empty values.

    Accepts ISO dates (``2014-01-27``, ``2014-01``, ``2014``), ``M/D/YYYY`` (``D/M/YYYY`` with
    ``dayfirst``), ISO timestamps and written dates. Raises DateError for impossible dates.
    """
    if value is None or _missing(value):
        return "", "none"
    if isinstance(value, dt.datetime | dt.date):
        return iso(value.year, value.month, value.day)
    text = str(value).strip()
    if not text or text.lower() in ("nan", "nat", "none", "null", "undated"):
        return "", "none"
    if text.replace(".", "", 1).isdigit() and "." in text and float(text).is_integer():
        text = str(int(float(text)))  # 2011.0 from a numeric column
    m = _YEAR_ONLY.match(text)
    if m:
        return iso(int(m["year"]))
    m = _YEAR_MONTH.match(text)
    if m:
        return iso(int(m["year"]), int(m["month"]))
    m = re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})([T ].*)?$", text)
    if m:
        return iso(int(m[1]), int(m[2]), int(m[3]))
    m = _NUMERIC.match(text)
    if m:
        a, b, c = int(m["a"]), int(m["b"]), int(m["c"])
        if len(m["a"]) == 4:  # YYYY/MM/DD
            return iso(a, b, c)
        month, day = (b, a) if dayfirst else (a, b)
        if not dayfirst and month > 12 and day <= 12:
            month, day = day, month  # 27/01/2014 in a month-first column is unambiguous
        return iso(c, month, day)
    found = find_text_date(text)
    if found:
        return found
    m = re.match(rf"^\s*{_MONTH}\s+{_YEAR}\s*$", text, re.I)
    if m:
        return iso(int(m["year"]), MONTHS[m["month"].lower().rstrip(".")])
    raise DateError(f"cannot read a date from {text!r}")
