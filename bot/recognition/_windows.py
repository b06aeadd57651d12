"""Premiere windows: a stretch of time rather than a day — "late 2024", "fall 2025",
"early 2026", "March 2025", "this summer", "later this year", "2027", "the end of July",
"late spring", "this weekend", "early in the year" — normalised to a date range. Two
windows joined by "or", "to", "and" ("late 2024 or even early 2025") become one window
spanning both. The dates each stands for are `_window_ranges`'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from bot.case_blind import in_lower, lower_reads_alike
from bot.recognition._dates import MONTH, MONTH_STARTS
from bot.recognition._window_ranges import window_range


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
            span = window_range(name, match, published)
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
