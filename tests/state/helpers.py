"""Builders for announcements and states in the show-state tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from bot.models import Announcement, Certainty, Event, SeasonState, Source, Window
from bot.shows.names import name_key
from bot.state import fold_season

__all__ = [
    "CANCELLED",
    "DATE",
    "ENDING",
    "OFFICIAL",
    "RENEWED",
    "REPORTED",
    "SPECULATION",
    "WINDOW",
    "Window",
    "ann",
    "at",
    "fold_by_season",
    "source",
]

OFFICIAL = Certainty.OFFICIAL
REPORTED = Certainty.REPORTED
SPECULATION = Certainty.SPECULATION
RENEWED = Event.RENEWED
CANCELLED = Event.CANCELLED
ENDING = Event.ENDING
DATE = Event.PREMIERE_DATE
WINDOW = Event.PREMIERE_WINDOW


def at(month: int, day: int = 1, year: int = 2025) -> datetime:
    """A UTC noon on a calendar day."""
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def source(outlet: str, when: datetime | None, slug: str = "") -> Source:
    """A source with a link derived from the outlet (and slug)."""
    link = f"https://{outlet.lower().replace(' ', '')}.example/{slug or 'story'}"
    return Source(outlet=outlet, link=link, published=when, title=f"{outlet} {slug}".strip())


def ann(
    event: Event,
    certainty: Certainty = OFFICIAL,
    *,
    outlet: str = "Deadline",
    when: datetime | None = None,
    show: str = "Citadel",
    season: int | None = 2,
    day: date | None = None,
    window: Window | None = None,
    network: str | None = None,
    slug: str = "",
) -> Announcement:
    """One announcement, with sensible defaults."""
    return Announcement(
        show=show,
        event=event,
        certainty=certainty,
        evidence=event.value,
        source=source(outlet, when, slug or event.value),
        season=season,
        date=day,
        window=window,
        network=network,
    )


def fold_by_season(announcements: Iterable[Announcement]) -> list[SeasonState]:
    """Fold announcements into one state per show and season (as the store keeps them),
    ordered by show name key, then season (an unstated season first)."""
    groups: dict[tuple[str, int | None], list[Announcement]] = {}
    for item in announcements:
        groups.setdefault((name_key(item.show), item.season), []).append(item)

    def order(group: tuple[str, int | None]) -> tuple[str, bool, int]:
        key, season = group
        return (key, season is not None, season if season is not None else 0)

    return [fold_season(groups[group]) for group in sorted(groups, key=order)]
