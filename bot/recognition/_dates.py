"""Exact calendar dates as outlets write them: "February 20", "Thursday, Jan. 9",
"March 13, 2025", "13 March 2025", "2025-03-13", and "tonight" / "tomorrow".

A date without a year takes the publication year, rolling to the next year when it would
otherwise fall before the publication date ("premieres January 9" written in December).
Numeric dates ("10/27", "11/07/2025") are read month first unless that cannot be a date;
when both orders are possible, the one nearest after the publication date is taken, since an
announced premiere is almost always weeks or months away. A bare weekday ("returns
Wednesday") is the next such day on or after publication, and "the same night" repeats the
date before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.case_blind import lower_reads_alike

_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Month names are matched case-sensitively so "may" (the verb) and "march" (the verb) are
# not months; abbreviations take an optional full stop.
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_WEEKDAY = (
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?)"
)
# The first three letters of every month's name, spelled out or abbreviated.
MONTH_STARTS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
# "July 5 this year", "March 3 next year": the year said in words belongs to the date.
_THIS_YEAR = r",?\s+(?P<said>this|next)\s+year\b"

_MONTH_DAY = re.compile(
    rf"(?:\b{_WEEKDAY},?\s+)?\b(?P<month>{MONTH})\s+(?P<day>{_DAY})\b(?!\s*(?:-|–)\s*\d)"
    rf"(?:(?:,\s*|\s+)(?P<year>{_YEAR})\b|{_THIS_YEAR})?"
)
_DAY_MONTH = re.compile(
    rf"(?:\b{_WEEKDAY},?\s+)?\b(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{MONTH})\b"
    rf"(?:,?\s+(?P<year>{_YEAR})\b|{_THIS_YEAR})?"
)
_ISO = re.compile(r"\b(?P<year>20\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_RELATIVE = re.compile(r"\b(?P<word>tonight|today|tomorrow)\b", re.IGNORECASE)
# "9/8c" is a time slot, "24/7" a phrase, "2025/26" a sports season: none is a date.
_NUMERIC = re.compile(
    r"(?<![\w/.])(?P<a>[01]?\d|[23]\d)/(?P<b>[0-3]?\d)(?:/(?P<year>(?:19|20)\d{2}|\d{2}))?"
    r"(?![\w/%])"
)
_BARE_WEEKDAY = re.compile(
    r"\b(?P<day>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b(?!'s|s\b|,?\s+(?:night|morning))"
)
# A weekday right after a verb of saying is when the news broke, not when the show airs.
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|announced|announces|confirmed|confirms|revealed|reveals|told|unveiled"
    r"|shared|noted|added|released|dropped|teased)\s+(?:on\s+)?$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_SAME_DAY = re.compile(r"\bthe\s+same\s+(?:night|day|date|evening)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateRef:
    """An exact date found in a text."""

    value: date
    start: int
    end: int
    text: str
    relative: bool = False  # "tonight", "tomorrow": only meaningful next to a premiere verb


def month_number(word: str) -> int:
    """The month number for a month name or abbreviation ("Sept." -> 9)."""
    return MONTHS[word.rstrip(".").lower()]


def resolve_year(month: int, day: int, published: date | None) -> date | None:
    """The date of a yearless "month day": the publication year, or the next one when the
    date would otherwise be before the publication date. None without a publication date."""
    if published is None:
        return None
    candidate = _safe_date(published.year, month, day)
    if candidate is None:
        return None
    if candidate < published:
        return _safe_date(published.year + 1, month, day)
    return candidate


def find_dates(text: str, published: date | None) -> list[DateRef]:
    """Exact dates in `text`, left to right."""
    found: list[DateRef] = []
    taken: list[tuple[int, int]] = []

    def keep(ref: DateRef | None) -> None:
        if ref is None or any(ref.start < e and s < ref.end for s, e in taken):
            return
        found.append(ref)
        taken.append((ref.start, ref.end))

    # Cheap tests first: every written or numeric date has a digit, an ISO one a hyphen, a
    # numeric one a slash, so most sentences skip those scans.
    digits = _DIGIT.search(text) is not None
    if digits and "-" in text:
        for match in _ISO.finditer(text):
            value = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
            if value is not None:
                keep(DateRef(value, match.start(), match.end(), match.group()))
    # A written date names a month, and every month's name starts with its three letters.
    if digits and any(map(text.__contains__, MONTH_STARTS)):
        for pattern in (_MONTH_DAY, _DAY_MONTH):
            for match in pattern.finditer(text):
                keep(_written_date(match, published))
    if digits and "/" in text:
        for match in _NUMERIC.finditer(text):
            keep(_numeric_date(match, published))
    if published is not None and "day" in text:
        for match in _BARE_WEEKDAY.finditer(text):
            if _SAID_BEFORE.search(text, max(0, match.start() - 20), match.start()):
                continue
            weekday = _WEEKDAYS[match["day"][:3].lower()]
            value = published + timedelta(days=(weekday - published.weekday()) % 7)
            keep(DateRef(value, match.start(), match.end(), match.group(), relative=True))
    lower = text.lower()
    if published is not None and _may_say_relative(text, lower):
        for match in _RELATIVE.finditer(text):
            offset = 1 if match["word"].lower() == "tomorrow" else 0
            value = published + timedelta(days=offset)
            keep(DateRef(value, match.start(), match.end(), match.group(), relative=True))
    found.sort(key=lambda r: r.start)
    for match in _SAME_DAY.finditer(text) if "same" in lower else ():
        earlier = [r for r in found if r.end <= match.start()]
        if earlier:
            keep(DateRef(earlier[-1].value, match.start(), match.end(), match.group(), True))
    return sorted(found, key=lambda r: r.start)


def _may_say_relative(text: str, lower: str) -> bool:
    """Whether `_RELATIVE` may match: the lower-case text holds "tonight", "today" or
    "tomorrow" where it reads as the text does (`lower_reads_alike`), else at least "to"."""
    if not lower_reads_alike(text, lower):
        return "to" in lower
    return "today" in lower or "tonight" in lower or "tomorrow" in lower


def _numeric_date(match: re.Match[str], published: date | None) -> DateRef | None:
    first, second = int(match["a"]), int(match["b"])
    raw_year = match["year"]
    year = None if raw_year is None else int(raw_year) + (2000 if len(raw_year) == 2 else 0)
    if raw_year is None and published is None:
        return None
    candidates = []
    for month, day in ((first, second), (second, first)):
        if year is not None:
            value = _safe_date(year, month, day)
        else:
            value = resolve_year(month, day, published)
        if value is not None and value not in candidates:
            candidates.append(value)
    if not candidates:
        return None
    value = candidates[0]
    if len(candidates) == 2 and published is not None:
        upcoming = [c for c in candidates if c >= published]
        if upcoming:
            value = min(upcoming)
    return DateRef(value, match.start(), match.end(), match.group())


def _written_date(match: re.Match[str], published: date | None) -> DateRef | None:
    month = month_number(match["month"])
    day = int(re.sub(r"\D", "", match["day"]))
    year = match["year"]
    said = match["said"]
    if said and published is not None:
        year = str(published.year + (said == "next"))
    value = _safe_date(int(year), month, day) if year else resolve_year(month, day, published)
    if value is None:
        return None
    return DateRef(value, match.start(), match.end(), match.group())


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
