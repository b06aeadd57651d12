"""The date range a premiere window stands for: "late 2024", "fall 2025", "this summer",
"the 2024-25 season", "next month", read from a window pattern's match (`_windows`).

Ranges: early = January-April, mid = May-August, late = September-December; spring =
March-May, summer = June-August, fall = September-November, winter YEAR = December of the
year before to the end of February. A relative window ("this summer", "next week") is
counted from the publication date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from bot.recognition._dates import month_number

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


def window_range(
    name: str, match: re.Match[str], published: date | None
) -> tuple[date, date] | None:
    """The dates a window pattern's match (`_windows._PATTERNS`, by name) stands for,
    from its groups; relative ones ("this summer", "next month") from `published`, and
    None without it."""
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
