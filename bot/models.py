"""The domain's vocabulary: plain, immutable dataclasses shared by feeds, recognition,
show state, alerts and the store. Nothing here talks to Discord, the network or a database.

All datetimes are timezone-aware UTC; dates (premieres, windows) are calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Event(StrEnum):
    """What an announcement says happened to a show's season."""

    RENEWED = "renewed"
    CANCELLED = "cancelled"
    ENDING = "ending"  # final season announced
    PREMIERE_DATE = "premiere_date"
    PREMIERE_WINDOW = "premiere_window"


class Certainty(StrEnum):
    """How sure the source is: official beats reported beats speculation."""

    OFFICIAL = "official"
    REPORTED = "reported"
    SPECULATION = "speculation"

    @property
    def rank(self) -> int:
        """Higher is surer; use to compare certainties."""
        return _CERTAINTY_RANK[self]


_CERTAINTY_RANK = {Certainty.SPECULATION: 0, Certainty.REPORTED: 1, Certainty.OFFICIAL: 2}


class Status(StrEnum):
    """A season's renewal status after folding its announcements."""

    UNKNOWN = "unknown"
    RENEWED = "renewed"
    CANCELLED = "cancelled"
    ENDING = "ending"  # renewed as the final season, or the show ends with this season


STATUS_EVENTS = frozenset({Event.RENEWED.value, Event.CANCELLED.value, Event.ENDING.value})
DATE_EVENTS = frozenset(
    {
        Event.PREMIERE_DATE.value,
        Event.PREMIERE_WINDOW.value,
        "reminder_day_before",
        "reminder_today",
    }
)


class AlertFilter(StrEnum):
    """Which kinds of news a watch alerts on."""

    ALL = "all"
    STATUS = "status"  # renewed, cancelled, final season
    DATES = "dates"  # premiere dates and windows, and premiere reminders

    @property
    def events(self) -> frozenset[str]:
        """The alert events this filter lets through."""
        if self is AlertFilter.STATUS:
            return STATUS_EVENTS
        if self is AlertFilter.DATES:
            return DATE_EVENTS
        return STATUS_EVENTS | DATE_EVENTS


class CertaintyFilter(StrEnum):
    """How sure news must be for a watch to alert on it (speculation never alerts)."""

    OFFICIAL = "official"  # official only
    REPORTED = "reported"  # official and reported

    def admits(self, certainty: Certainty) -> bool:
        """Whether news this sure alerts."""
        if self is CertaintyFilter.OFFICIAL:
            return certainty is Certainty.OFFICIAL
        return certainty in (Certainty.OFFICIAL, Certainty.REPORTED)


class DeliveryMode(StrEnum):
    """Each alert at once, or one digest message a day."""

    INSTANT = "instant"
    DIGEST = "digest"


class TargetKind(StrEnum):
    """Where a watch posts: a text channel, an announcement channel (alerts are published
    to followers), a forum (one post per show) or an existing thread."""

    TEXT = "text"
    ANNOUNCEMENT = "announcement"
    FORUM = "forum"
    THREAD = "thread"


@dataclass(frozen=True, slots=True)
class Entry:
    """One normalised feed entry: plain text, absolute link, UTC times."""

    key: str  # stable identity within its feed: guid, else link, else hash(title + date)
    title: str
    summary: str = ""
    link: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    author: str | None = None
    outlet: str = ""  # human name of the source, e.g. "Deadline"; feed title as fallback


@dataclass(frozen=True, slots=True)
class Window:
    """A premiere window: a date range and the words it was written in."""

    start: date
    end: date
    text: str  # e.g. "late 2024 or early 2025"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact was read: one outlet and its link."""

    outlet: str
    link: str | None
    published: datetime | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class Announcement:
    """One thing an entry says about one season of one show."""

    show: str  # canonical name from the catalogue
    event: Event
    certainty: Certainty
    evidence: str  # the phrase that matched, for humans and debugging
    source: Source
    season: int | None = None
    date: date | None = None  # premiere_date only
    window: Window | None = None  # premiere_window only
    network: str | None = None  # network or streamer, when stated
    # The text sets the name apart (quotes) or the catalogue knows it: only such a name may
    # teach the bot a new show on one outlet's word.
    name_delimited: bool = False


@dataclass(frozen=True, slots=True)
class Show:
    """A catalogue entry: canonical name, aliases, network."""

    name: str
    aliases: tuple[str, ...] = ()
    network: str | None = None
    id: int | None = None  # store id, when loaded from the store


@dataclass(frozen=True, slots=True)
class SeasonState:
    """One season's folded state: status, premiere, certainty and sources."""

    show: str
    season: int | None
    status: Status = Status.UNKNOWN
    status_certainty: Certainty | None = None
    status_first_reported: datetime | None = None
    status_first_source: Source | None = None
    premiere_date: date | None = None
    premiere_window: Window | None = None
    premiere_certainty: Certainty | None = None
    premiere_first_reported: datetime | None = None
    premiere_first_source: Source | None = None
    network: str | None = None
    sources: tuple[Source, ...] = ()  # one per outlet, oldest first
    updated: datetime | None = None
    # A listings source (TVmaze) beside the news: the date it lists, and the date the news
    # alone gives, so a card can show agreement or a disagreement (see bot/state/fold.py).
    listed_date: date | None = None
    news_date: date | None = None
    news_certainty: Certainty | None = None


@dataclass(frozen=True, slots=True)
class AlertChange:
    """An alert-worthy change. `key` is its stable identity, so it is delivered once
    however many outlets report it."""

    show: str
    season: int | None
    event: str  # an Event value, or "reminder_day_before" / "reminder_today"
    value: str  # e.g. the date ISO string, the window text, "" for status events
    certainty: Certainty
    source: Source
    network: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str:
        season = "" if self.season is None else str(self.season)
        return f"{self.show.casefold()}|{season}|{self.event}|{self.value}"
