"""Dates in a sentence, absolute or relative to the article's date, as EDTF with their precision."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from kg.core.dates import DateSpec, parse_date
from kg.extract.rules import Prefilter

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_M = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_D = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("dmy", re.compile(rf"\b(\d{{1,2}})\s+{_M}\s+(\d{{4}})\b")),
    ("mdy", re.compile(rf"\b{_M}\s+(\d{{1,2}}),?\s+(\d{{4}})\b")),
    ("my", re.compile(rf"\b{_M}\s+(?:of\s+)?(\d{{4}})\b")),
    ("m-lastyear", re.compile(rf"\b{_M}\s+(?:of\s+)?last\s+year\b")),
    ("md", re.compile(rf"\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})")),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_M}\b(?!\s+\d{{4}})")),
    ("weekday", re.compile(rf"\b(?i:on|last|this|since|by)\s+{_D}\b")),
    ("following-month", re.compile(r"\b(?:the\s+following|the\s+next|a)\s+month(?:\s+later)?\b", re.IGNORECASE)),
    ("m", re.compile(rf"\b(?i:in|since|by|until|during|early|late|mid-?)\s+{_M}\b(?!\s+\d)")),
    ("lastyear", re.compile(r"\blast\s+year\b", re.IGNORECASE)),
    ("thisyear", re.compile(r"\bthis\s+year\b", re.IGNORECASE)),
    ("y", re.compile(r"\b(?i:in|since|by|during|of)\s+((?:19|20)\d{2})\b")),
]

_PREFILTER = Prefilter.of(regex for _, regex in _FORMS)  # most sentences name no month, weekday or year


def _month(name: str) -> int:
    return MONTHS.index(name.lower()) + 1


def _recent(month: int, anchor: dt.date) -> int:
    """The year of the latest ``month`` not after the anchor's month."""
    return anchor.year if month <= anchor.month else anchor.year - 1


@lru_cache(maxsize=4096)
def _parsed(text: str) -> DateSpec | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _valid(text: str) -> str | None:
    return text if _parsed(text) is not None else None


def find_date(sentence: str, published: DateSpec, previous: str | None) -> str | None:
    """The date a sentence speaks of, as EDTF text, or None when it names none.

    Args:
        sentence: The sentence.
        published: The article's date (relative dates are resolved against it).
        previous: The date of the sentence before (for "the following month").
    """
    anchor = published.earliest or published.latest
    if anchor is None:
        return None
    best: tuple[int, str] | None = None
    for number in _PREFILTER.passing(sentence):
        form, regex = _FORMS[number]
        match = regex.search(sentence)
        if match is None:
            continue
        value = _resolve(form, match, published, anchor, previous)
        if value and (best is None or match.start() < best[0]):
            best = (match.start(), value)
    return _valid(best[1]) if best else None


def _resolve(form: str, m: re.Match[str], published: DateSpec, anchor: dt.date, previous: str | None) -> str | None:
    g = m.groups()
    if form == "dmy":
        return f"{int(g[2]):04d}-{_month(g[1]):02d}-{int(g[0]):02d}"
    if form == "mdy":
        return f"{int(g[2]):04d}-{_month(g[0]):02d}-{int(g[1]):02d}"
    if form == "my":
        return f"{int(g[1]):04d}-{_month(g[0]):02d}"
    if form == "m-lastyear":
        return f"{anchor.year - 1:04d}-{_month(g[0]):02d}"
    if form in ("md", "dm"):
        month, day = (_month(g[0]), int(g[1])) if form == "md" else (_month(g[1]), int(g[0]))
        return f"{_recent(month, anchor):04d}-{month:02d}-{day:02d}"
    if form == "m":
        month = _month(g[0])
        return f"{_recent(month, anchor):04d}-{month:02d}"
    if form == "weekday":
        return _weekday(WEEKDAYS.index(g[0].lower()), published)
    if form == "following-month" and previous:
        spec = _parsed(previous)
        start = spec.earliest if spec else None
        if start is None:
            return None
        year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
        return f"{year:04d}-{month:02d}"
    if form == "lastyear":
        return f"{anchor.year - 1:04d}"
    if form == "thisyear":
        return f"{anchor.year:04d}"
    if form == "y":
        return g[0]
    return None


def _weekday(weekday: int, published: DateSpec) -> str | None:
    """The last such weekday on or before the publication day (a period when that day is not known)."""
    latest = published.latest or published.earliest
    earliest = published.earliest or published.latest
    if latest is None or earliest is None:
        return None
    last = latest - dt.timedelta(days=(latest.weekday() - weekday) % 7)
    first = earliest - dt.timedelta(days=6)
    first += dt.timedelta(days=(weekday - first.weekday()) % 7)
    if first >= last:
        return last.isoformat()
    return f"{first.isoformat()}/{last.isoformat()}"
