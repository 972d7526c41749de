"""Dates and periods in the Extended Date/Time Format (EDTF, ISO 8601-2).

A claim or a source is dated by a day (``2022-06-21``), a month (``2022-04``),
a year (``2022``) or a period (``2022-06-22/2022-12-31``, open-ended
``2021-02/..`` or ``../2022-03``; an empty end, as in ``2022-06-22/``, is
open too). Each becomes its earliest and latest possible day (none at an open
end) and the precision of the narrowest day, month or year that holds it all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class DateSpec:
    """A parsed date or period.

    Attributes:
        text: The EDTF string as written.
        earliest: The first possible day, or None when open at the start.
        latest: The last possible day, or None when open at the end.
        precision: "day", "month" or "year": the narrowest calendar unit that
            holds the whole date or period; None when no single one does.
    """

    text: str
    earliest: dt.date | None
    latest: dt.date | None
    precision: str | None

    @property
    def point(self) -> str | None:
        """The day, month or year that holds the whole date, as ISO text (e.g. ``2022-06``)."""
        if self.earliest is None or self.precision is None:
            return None
        return self.earliest.isoformat()[: {"day": 10, "month": 7, "year": 4}[self.precision]]


def _day(value: object) -> dt.date | None:
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None  # open or unknown bound (edtf returns +/-inf)


def _bounds(parsed: object) -> tuple[dt.date | None, dt.date | None]:
    """The first and last possible day of a parsed EDTF value; None for an open or unknown end.

    A period's end written empty (``2022-06-22/``, ``/2022-03``: unknown in EDTF) is open like ``..``:
    the edtf package would put it ten years from the other end, a bound no source gives.
    """
    from edtf.parser.parser_classes import UnspecifiedIntervalSection  # as late as edtf itself (below)

    lower, upper = getattr(parsed, "lower", None), getattr(parsed, "upper", None)
    if lower is None or upper is None:  # a single date, or an EDTF form without two ends
        return _day(parsed.lower_strict()), _day(parsed.upper_strict())  # type: ignore[attr-defined]
    return (
        None if isinstance(lower, UnspecifiedIntervalSection) else _day(lower.lower_strict()),
        None if isinstance(upper, UnspecifiedIntervalSection) else _day(upper.upper_strict()),
    )


_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _plain(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a plain ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None for any other form."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            first = dt.date(year, int(month), 1)
            return first, first.replace(day=calendar.monthrange(year, first.month)[1])
        only = dt.date(year, int(month), int(day))
        return only, only
    except ValueError:  # year 0, month 13, 30 February: the edtf package says what is wrong
        return None


def _fast_bounds(text: str) -> tuple[dt.date | None, dt.date | None] | None:
    """The bounds of a plain date or a period of plain dates (an end may be ``..`` or empty), without the edtf
    package's grammar (30 ms a date; issue 16); None for every other form, which the package parses."""
    if "/" not in text:
        days = _plain(text)
        return None if days is None else days
    start, _, end = text.partition("/")
    first, last = _plain(start), _plain(end)
    if first is None and last is None:
        return None
    if (first is None and start not in ("", "..")) or (last is None and end not in ("", "..")):
        return None
    return (first[0] if first else None), (last[1] if last else None)


@lru_cache(maxsize=65536)
def parse_date(text: str) -> DateSpec:
    """Parse an EDTF date or period.

    Args:
        text: e.g. ``2022``, ``2022-04``, ``2022-06-21``, ``2021-02/..``.

    Returns:
        The parsed :class:`DateSpec`.

    Raises:
        ValueError: With a message saying what is wrong (an impossible day, a
            period that ends before it starts, a form that is not EDTF).
    """
    text = text.strip()
    fast = _fast_bounds(text)
    try:
        if fast is None:
            # Imported only for a date the fast path leaves to it: its grammar takes 0.13 s to import (a
            # third of a small build's start), and nearly every date is a plain one (issue 16).
            import edtf

            fast = _bounds(edtf.parse_edtf(text))
        earliest, latest = fast
    except Exception as exc:  # edtf raises its own and ValueError/OverflowError on bad days
        raise ValueError(
            f"'{text}' is not a valid date: write YYYY, YYYY-MM, YYYY-MM-DD, or a period START/END "
            "(END may be '..' when open), with a real day of a real month"
        ) from exc
    if earliest and latest and latest < earliest:
        raise ValueError(f"the period '{text}' ends before it starts")
    if earliest is None and latest is None:
        raise ValueError(f"'{text}' is open at both ends; give at least one bound")
    precision = None
    if earliest and latest:
        if earliest == latest:
            precision = "day"
        elif (earliest.year, earliest.month) == (latest.year, latest.month):
            precision = "month"
        elif earliest.year == latest.year:
            precision = "year"
    return DateSpec(text, earliest, latest, precision)
