"""Premiere windows: a stretch of time rather than a day — "late 2024", "fall 2025",
"early 2026", "March 2025", "this summer", "later this year", "2027", "the end of July",
"late spring", "this weekend", "early in the year" — normalised to a date range. Two
windows joined by "or", "to", "and" ("late 2024 or even early 2025") become one window
spanning both.

Ranges: early = January-April, mid = May-August, late = September-December; spring =
March-May, summer = June-August, fall = September-November, winter YEAR = December of the
year before to the end of February.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from bot.case_blind import in_lower, lower_reads_alike
from bot.recognition._dates import MONTH, MONTH_STARTS, month_number


class WindowKind(Enum):
    """How specific a window's words are, which decides how much context it needs."""

    SPECIFIC = "specific"  # "late 2024", "fall 2025", "March 2025", "this summer"
    YEAR = "year"  # a bare year: only a window right next to a premiere verb
    MONTH = "month"  # a month without a year ("in March"): only next to a premiere verb


@dataclass(frozen=True, slots=True)
class WindowRef:
    """A premiere window found in a text."""

    start_date: date
    end_date: date
    start: int
    end: int
    text: str
    kind: WindowKind


_YEAR = r"(?P<year>20\d{2})(?![\d-])"
_PART = (
    r"(?P<part>early|mid|late|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of"
    r"|the\s+start\s+of|start\s+of|the\s+first\s+half\s+of|first\s+half\s+of"
    r"|the\s+second\s+half\s+of|second\s+half\s+of|the\s+middle\s+of|middle\s+of)"
)
_SEASON = r"(?P<season>spring|summer|fall|autumn|winter)"
_RELATIVE_SEASON = (
    r"(?P<rel>this|next|later\s+this|early\s+next|late\s+next|late\s+this|early\s+this"
    r"|later\s+next)\s+(?P<what>spring|summer|fall|autumn|winter|year|month|week)"
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "month_range",
        re.compile(rf"\b(?P<m1>{MONTH})\s*(?:-|–|to|through|or)\s*(?P<m2>{MONTH})(?:,)?\s+{_YEAR}"),
    ),
    ("part_year", re.compile(rf"\b{_PART}[\s-]+(?:of\s+)?{_YEAR}", re.IGNORECASE)),
    ("season_year", re.compile(rf"\b{_SEASON}(?:\s+of|,)?\s+{_YEAR}", re.IGNORECASE)),
    (
        "tv_season",
        re.compile(
            r"\b(?P<y1>20\d{2})\s*[-–/]\s*(?P<y2>(?:20)?\d{2})(?!\d)\s+(?:tv\s+|television\s+"
            r"|broadcast\s+|network\s+)?season\b",
            re.IGNORECASE,
        ),
    ),
    ("quarter", re.compile(rf"\bQ(?P<q>[1-4])\s+{_YEAR}")),
    ("month_year", re.compile(rf"\b(?P<month>{MONTH})(?:\s+of)?,?\s+{_YEAR}")),
    ("relative", re.compile(rf"\b{_RELATIVE_SEASON}\b", re.IGNORECASE)),
    (
        "new_year",
        re.compile(r"\b(?:in|after|early\s+in)\s+(?P<w>the\s+new\s+year)\b", re.IGNORECASE),
    ),
    (
        "year_end",
        re.compile(
            r"\b(?:by|before)\s+(?P<w>the\s+end\s+of\s+(?:the|this)\s+year)\b", re.IGNORECASE
        ),
    ),
    ("the_season", re.compile(rf"\b(?:in\s+(?P<w>the)|this)\s+{_SEASON}\b", re.IGNORECASE)),
    # A season of the year naming a schedule: "fall premiere dates", "its spring lineup",
    # "returning for fall".
    (
        "the_season",
        re.compile(
            r"\b(?:for|until|come|this\s+coming)\s+(?P<w>spring|summer|fall|autumn|winter)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "the_season",
        re.compile(
            r"\b(?P<w>spring|summer|fall|autumn|winter)(?=\s+(?:premieres?|return|debuts?|launch"
            r"|schedule|line-?ups?|slate|run)\b)",
            re.IGNORECASE,
        ),
    ),
    # The networks' midseason: their January-March premieres ("a midseason debut").
    (
        "midseason",
        re.compile(
            r"\b(?P<w>(?:(?P<year>20\d{2})\s+)?mid-?season)\b(?!\s+(?:finale|break|hiatus"
            r"|premiere\s+of\s+season))",
            re.IGNORECASE,
        ),
    ),
    (
        "bare_year",
        re.compile(
            r"\b(?:in|until|till|by|for|before|during(?:\s+the)?|from|sometime\s+in|some\s+time\s+in)\s+"
            rf"(?P<w>{_YEAR})",
            re.IGNORECASE,
        ),
    ),
    (
        "bare_year",
        re.compile(
            rf"\b(?P<w>{_YEAR})(?=\s+(?:premiere|return|release|debut|launch|arrival|bow"
            r"|schedule|line-?up|slate"
            r"|at\s+the\s+(?:earliest|latest))\b)",
            re.IGNORECASE,
        ),
    ),
    # Part of a month without a year: "at the end of July", "the beginning of March".
    (
        "month_part",
        re.compile(
            r"\b(?P<w>(?i:the\s+)?(?i:end|beginning|start|middle)\s+of\s+"
            rf"(?P<month>{MONTH}))\b(?!\s*\d)"
        ),
    ),
    # Part of a season of the year without a year: "late spring", "early summer".
    (
        "season_part",
        re.compile(
            r"\b(?P<w>(?P<part>early|late|mid)[\s-]?(?P<season>spring|summer|fall|autumn|winter)"
            r"|midsummer)\b(?!,?\s+(?:of\s+)?20\d\d)",
            re.IGNORECASE,
        ),
    ),
    ("weekend", re.compile(r"\b(?P<rel>this|next)\s+weekend\b", re.IGNORECASE)),
    (
        "in_the_year",
        re.compile(r"\b(?P<w>(?P<rel>early|later|late)\s+in\s+the\s+year)\b", re.IGNORECASE),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:in|this|next|until|by|on)\s+(?P<w>(?:(?:early|late|mid)[\s-]+)?{MONTH})\b"
            r"(?!\s*\d)"
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?P<w>(?:(?:[Ee]arly|[Ll]ate|[Mm]id)[\s-]+)?{MONTH})(?=\s+(?i:premiere|debut"
            r"|return|release|launch|bow)\b)"
        ),
    ),
)
# Whether a text has any of: a year, a month, a season of the year, "year", "month", "week"
# or "midseason". Each alternative starts with a plain character (a month's three letters
# stand for the whole name), so a search skips at C speed the characters none starts with.
_HINT = re.compile(
    r"20\d\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Spring|spring|Summer|summer"
    r"|Fall|fall|Autumn|autumn|Winter|winter|Year|year|Month|month|Week|week"
    r"|m(?i:id-?season)|M(?i:id-?season)"
)
# What each of `_PATTERNS` cannot match without (a year's digits, a capitalised month's
# first three letters, a season of the year, ...): a sentence without it skips the pattern.
_NEEDS = (
    "year", "year", "year", "year", "year", "year", "this_next", "year_word", "year_word",
    "season_word", "season_word", "season_word", "season", "year", "year", "month",
    "season_word", "this_next", "year_word", "month", "month",
)  # fmt: skip
# Each case-blind pattern without IGNORECASE, for lower-case text (`in_lower`).
_SIGHTED = tuple(in_lower(pattern) for _, pattern in _PATTERNS)
_YEAR_DIGITS = re.compile(r"20\d\d")
_SEASON_WORDS = ("spring", "summer", "fall", "autumn", "winter")
_JOIN = re.compile(
    r"\s*(?:,\s*)?(?:or\s+(?:even|maybe|possibly|perhaps)|or|to|and|through|into|-|–|/|"
    r"if\s+not(?:\s+even)?)\s*$",
    re.IGNORECASE,
)
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}
_PART_MONTHS = {
    "early": (1, 4),
    "beginning": (1, 4),
    "start": (1, 4),
    "mid": (5, 8),
    "middle": (5, 8),
    "late": (9, 12),
    "end": (9, 12),
    "first half": (1, 6),
    "second half": (7, 12),
}


def find_windows(text: str, published: date | None) -> list[WindowRef]:
    """Premiere-window expressions in `text`, left to right, adjacent ones merged."""
    found: list[WindowRef] = []
    taken: list[tuple[int, int]] = []
    if _HINT.search(text) is None:
        return found  # no year, month, season of the year or "this/next ..." at all
    lower = text.lower()
    present = {
        "year": _YEAR_DIGITS.search(text) is not None,
        "month": any(map(text.__contains__, MONTH_STARTS)),
        "season_word": any(map(lower.__contains__, _SEASON_WORDS)),
        "this_next": "this" in lower or "next" in lower,
        "year_word": "year" in lower,
        "season": "season" in lower,
    }
    # The case-blind patterns read the lower-case text where that is exact.
    fast = lower_reads_alike(text, lower)
    for (name, pattern), sighted, needs in zip(_PATTERNS, _SIGHTED, _NEEDS, strict=True):
        if not present[needs]:
            continue
        searched = text
        if fast and sighted is not None:
            pattern, searched = sighted, lower
        for match in pattern.finditer(searched):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            span = _range(name, match, published)
            if span is None:
                continue
            kind = (
                WindowKind.YEAR
                if name == "bare_year"
                else WindowKind.MONTH
                if name in ("month", "month_part")
                else WindowKind.SPECIFIC
            )
            words_start = _words_start(match)
            found.append(WindowRef(span[0], span[1], words_start, end, text[words_start:end], kind))
            taken.append((start, end))
    found.sort(key=lambda w: w.start)
    return _merge(text, found)


def _words_start(match: re.Match[str]) -> int:
    # Keep the window's own words, not the preposition that introduced it.
    return match.start("w") if match.groupdict().get("w") is not None else match.start()


def _merge(text: str, windows: list[WindowRef]) -> list[WindowRef]:
    merged: list[WindowRef] = []
    for window in windows:
        if merged:
            previous = merged[-1]
            gap = text[previous.end : window.start]
            if len(gap) <= 14 and _JOIN.match(gap) and window.kind is previous.kind:
                merged[-1] = WindowRef(
                    min(previous.start_date, window.start_date),
                    max(previous.end_date, window.end_date),
                    previous.start,
                    window.end,
                    text[previous.start : window.end],
                    previous.kind,
                )
                continue
        merged.append(window)
    return merged


def _range(name: str, match: re.Match[str], published: date | None) -> tuple[date, date] | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if name == "month_range" and year is not None:
        first, last = month_number(groups["m1"]), month_number(groups["m2"])
        if last < first:
            return None
        return date(year, first, 1), _month_end(year, last)
    if name == "part_year" and year is not None:
        part = " ".join(groups["part"].lower().split()).removeprefix("the ").removesuffix(" of")
        first, last = _PART_MONTHS[part]
        return date(year, first, 1), _month_end(year, last)
    if name == "season_year" and year is not None:
        return _season_range(groups["season"].lower(), year)
    if name == "quarter" and year is not None:
        quarter = int(groups["q"])
        return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    if name == "month_year" and year is not None:
        month = month_number(groups["month"])
        return date(year, month, 1), _month_end(year, month)
    if name == "bare_year" and year is not None:
        return date(year, 1, 1), date(year, 12, 31)
    if name == "tv_season":
        first = int(groups["y1"])
        if int(groups["y2"]) % 100 != (first + 1) % 100:
            return None
        # An American television season runs from September to May.
        return date(first, 9, 1), _month_end(first + 1, 5)
    if name == "midseason":
        if year is None:
            if published is None:
                return None
            year = published.year if published.month <= 3 else published.year + 1
        return date(year, 1, 1), _month_end(year, 3)
    if published is None:
        return None
    if name == "relative":
        return _relative_range(groups["rel"].lower(), groups["what"].lower(), published)
    if name == "the_season":
        return _coming_season((groups.get("season") or groups["w"]).lower(), published)
    if name == "new_year":
        year = published.year if published.month <= 2 else published.year + 1
        return date(year, 1, 1), _month_end(year, 3)
    if name == "year_end":
        return published, date(published.year, 12, 31)
    if name == "season_part":
        season = (groups.get("season") or "summer").lower()
        return _coming_season(season, published, (groups.get("part") or "mid").lower())
    if name == "weekend":
        saturday = published + timedelta(days=(5 - published.weekday()) % 7)
        if groups["rel"].lower() == "next":
            saturday += timedelta(days=7)
        return saturday, saturday + timedelta(days=1)
    if name == "in_the_year":
        rel = groups["rel"].lower()
        this = _relative_range("later this" if rel == "later" else f"{rel} this", "year", published)
        if this is not None and this[1] < published:  # early in the year, written in June
            return _relative_range(f"{rel} next", "year", published)
        return this
    if name in ("month", "month_part"):
        month = month_number(groups.get("month") or groups["w"].split()[-1].split("-")[-1])
        month_year = published.year if month >= published.month else published.year + 1
        return date(month_year, month, 1), _month_end(month_year, month)
    return None


def _coming_season(season: str, published: date, part: str | None = None) -> tuple[date, date]:
    """This year's season of the year (or its early, mid or late `part`), or next year's
    when that one is over by `published`."""

    def of_year(this: bool) -> tuple[date, date]:
        span = _season_range(season, _coming_season_year(season, published, this=this))
        return span if part is None else _season_part(span, part)

    span = of_year(this=True)
    return span if span[1] >= published else of_year(this=False)


def _season_part(span: tuple[date, date], part: str) -> tuple[date, date]:
    """The first, middle or last month of a season of the year."""
    first = span[0]
    months = [(first.year * 12 + first.month - 1 + k) for k in range(3)]
    pick = {"early": 0, "mid": 1, "late": 2}[part]
    year, month = divmod(months[pick], 12)
    return date(year, month + 1, 1), _month_end(year, month + 1)


def _relative_range(rel: str, what: str, published: date) -> tuple[date, date] | None:
    rel = " ".join(rel.split())
    if what == "week":
        if rel not in ("this", "next"):
            return None
        monday = published - timedelta(days=published.weekday())
        if rel == "this":
            return published, monday + timedelta(days=6)
        return monday + timedelta(days=7), monday + timedelta(days=13)
    if what == "month":
        month_index = published.month - 1 + (0 if rel.endswith("this") or rel == "this" else 1)
        year, month = published.year + month_index // 12, month_index % 12 + 1
        start = published if rel in ("this", "later this", "late this") else date(year, month, 1)
        return start, _month_end(year, month)
    if what == "year":
        year = (
            published.year
            if rel in ("this", "later this", "early this", "late this")
            else (published.year + 1)
        )
        if rel == "later this":
            return published, date(year, 12, 31)
        if rel.startswith("early"):
            return date(year, 1, 1), date(year, 4, 30)
        if rel.startswith("late"):
            return date(year, 9, 1), date(year, 12, 31)
        return date(year, 1, 1), date(year, 12, 31)
    this = rel in ("this", "later this", "early this", "late this")
    return _season_range(what, _coming_season_year(what, published, this=this))


def _coming_season_year(season: str, published: date, *, this: bool) -> int:
    if season == "winter":
        # "this winter" in November is the coming December-February.
        year = published.year if published.month <= 2 else published.year + 1
        return year if this else year + 1
    first = _SEASON_MONTHS[season][0]
    if this:
        return published.year
    # "next summer" written in March is this coming summer; written in July, next year's.
    return published.year if published.month < first else published.year + 1


def _season_range(season: str, year: int) -> tuple[date, date]:
    if season == "winter":
        return date(year - 1, 12, 1), _month_end(year, 2)
    first, last = _SEASON_MONTHS[season]
    return date(year, first, 1), _month_end(year, last)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
