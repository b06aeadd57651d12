"""Fold a season's announcements into its state: status, premiere, certainty, sources.

A pure function of a *set* of announcements: no I/O, no clock, and the order the
announcements arrive in never matters (they are sorted by a total key first). The rules:

Time
    Announcements are put on one timeline by published time. One without a time counts as
    older than any dated one when deciding which is newer (it cannot prove it is news), and
    is never chosen as "first reported" over a dated one (it cannot prove it came first
    either). Equal times are ordered by the rest of the announcement, so the fold is total.

Which claim wins
    Status and premiere are each decided by walking the timeline: a claim replaces the
    current one when its certainty is at least the current one's. So official beats
    reported beats speculation, and among equal certainty the newest wins: a newer official
    date replaces an older one (a delay is news), a renewal after a cancellation (a revival)
    replaces it, and a cancellation after a renewal replaces the renewal. A less certain
    claim never replaces a more certain one, however new it is.

Status
    Renewed and ending ("final season") are one side, cancelled the other. When the renewal
    side wins, the status is ENDING if the surest "final season" claim is at least as
    certain as the surest renewal (speculation about a final season never turns an official
    renewal into an ending), else RENEWED. At exactly the same time and certainty, ending
    beats renewed beats cancelled (one article saying both is usually a save or a
    final-season deal).

Premiere
    The best date and the best window are found separately, as above. The date is shown
    (``premiere_date``) when it is at least as certain as the window, unless the window is
    as certain, newer, and does not contain the date: then the date was delayed without a
    new one and the window is shown instead. A shown date keeps the window alongside only
    when the window contains it (same fact, less precise: "spring 2025"). When the window is
    shown, ``premiere_date`` is None: a less certain date is never presented as known.
    ``premiere_certainty`` and ``premiere_first_*`` describe the date when there is one,
    else the window. Cards should prefer ``premiere_date`` and fall back to the window.

First reported
    ``*_first_reported`` / ``*_first_source`` are the earliest announcement supporting the
    winning value since that value last took over (so a revival is first reported when the
    revival was, not when the show was first renewed years ago, while an outlet's report
    before the official confirmation still counts). Speculation counts only when the value
    itself is speculation.

Listings
    A premiere date from a listings database (TVmaze) is folded as an official premiere-date
    claim published when that date was first listed: it confirms a news date it agrees
    with, corrects an older or less certain one, and is corrected in turn by newer official
    news. ``listed_date`` keeps the listed date and ``news_date`` / ``news_certainty`` the
    date the news alone gives, so a disagreement can be shown rather than hidden. A season
    only the listing knows has the listing as its one source.

Sources, network, updated
    One source per outlet (outlet names compared without case), the earliest from that
    outlet, oldest first (undated last). The network is the one stated with the highest
    certainty, then most often, then most recently. ``updated`` is the newest published
    time.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.models import (
    Announcement,
    Certainty,
    Event,
    SeasonState,
    Source,
    Status,
    Window,
)
from bot.shows.names import name_key

__all__ = ["fold_season", "timeline_key", "utc"]

_EARLIEST = datetime.min.replace(tzinfo=UTC)

# At the very same time, the later in this order wins a tie of certainty (see module doc).
_EVENT_ORDER = {
    Event.CANCELLED: 0,
    Event.RENEWED: 1,
    Event.ENDING: 2,
    Event.PREMIERE_DATE: 3,
    Event.PREMIERE_WINDOW: 4,
}
_GOING_ON = "going on"
_STOPPING = "stopping"


def utc(moment: datetime) -> datetime:
    """`moment` in UTC, for comparing times."""
    # Models promise aware UTC; a naive time is read as UTC rather than crash a comparison.
    zone = moment.tzinfo
    if zone is UTC:  # what astimezone(UTC) gives back as is; the usual case, checked first
        return moment
    return moment.replace(tzinfo=UTC) if zone is None else moment.astimezone(UTC)


def _optional(text: str | None) -> tuple[bool, str]:
    return (text is not None, text or "")


def timeline_key(item: Announcement) -> tuple[Any, ...]:
    """The total order announcements are folded in: oldest first (undated before dated),
    then every other field, so equal-looking announcements still sort the same way."""
    published = item.source.published
    window = item.window
    return (
        published is not None,
        utc(published) if published is not None else _EARLIEST,
        _EVENT_ORDER[item.event],
        item.certainty.rank,
        item.source.outlet,
        _optional(item.source.link),
        item.source.title,
        published.isoformat() if published is not None else "",
        item.date is not None,
        item.date.toordinal() if item.date is not None else 0,
        window is not None,
        (window.start.toordinal(), window.end.toordinal(), window.text) if window else (),
        _optional(item.network),
        item.evidence,
        item.show,
        item.season is not None,
        item.season if item.season is not None else 0,
    )


@dataclass(frozen=True, slots=True)
class _Claim:
    position: int  # index on the sorted timeline
    item: Announcement
    value: Hashable  # what is claimed: a side of the status, a date, a window range


@dataclass(frozen=True, slots=True)
class _Outcome:
    winner: _Claim
    episode: tuple[_Claim, ...]  # claims of the winning value since it last took over


def _walk(claims: Sequence[_Claim]) -> _Outcome | None:
    """Replay claims in timeline order: a claim at least as certain as the current winner
    replaces it. Returns the winner and the claims backing its value since that value took
    over, including earlier, weaker reports of it that were waiting for confirmation."""
    winner: _Claim | None = None
    established = -1  # position where the winning value took over
    episode_start = -1  # claims of the winning value after this position back it
    for claim in claims:
        if winner is not None and claim.item.certainty.rank < winner.item.certainty.rank:
            continue
        if winner is None or claim.value != winner.value:
            episode_start, established = established, claim.position
        winner = claim
    if winner is None:
        return None
    value = winner.value
    episode = tuple(c for c in claims if c.value == value and c.position > episode_start)
    return _Outcome(winner, episode)


def _earliest(claims: Iterable[_Claim]) -> _Claim | None:
    """The earliest claim, preferring dated ones (see "Time" in the module doc)."""
    ordered = sorted(claims, key=lambda c: (c.item.source.published is None, c.position))
    return ordered[0] if ordered else None


def _first_report(backing: Iterable[_Claim], certainty: Certainty) -> _Claim | None:
    # Speculation is not a report unless speculation is all there is.
    floor = min(certainty.rank, Certainty.REPORTED.rank)
    return _earliest(c for c in backing if c.item.certainty.rank >= floor)


def _status(
    timeline: Sequence[Announcement],
) -> tuple[Status, Certainty | None, Announcement | None]:
    claims = [
        _Claim(i, a, _STOPPING if a.event is Event.CANCELLED else _GOING_ON)
        for i, a in enumerate(timeline)
        if a.event in (Event.RENEWED, Event.CANCELLED, Event.ENDING)
    ]
    outcome = _walk(claims)
    if outcome is None:
        return Status.UNKNOWN, None, None
    certainty = outcome.winner.item.certainty
    if outcome.winner.value == _STOPPING:
        status, backing = Status.CANCELLED, list(outcome.episode)
    else:
        endings = [c for c in outcome.episode if c.item.event is Event.ENDING]
        renewals = [c for c in outcome.episode if c.item.event is Event.RENEWED]
        surest_ending = max((c.item.certainty.rank for c in endings), default=-1)
        surest_renewal = max((c.item.certainty.rank for c in renewals), default=-1)
        if surest_ending >= surest_renewal:
            status, backing = Status.ENDING, endings
        else:
            status, backing = Status.RENEWED, renewals
    first = _first_report(backing, certainty)
    return status, certainty, first.item if first else None


@dataclass(frozen=True, slots=True)
class _Premiere:
    date: Announcement | None = None
    window: Window | None = None
    certainty: Certainty | None = None
    first: Announcement | None = None


def _premiere(timeline: Sequence[Announcement]) -> _Premiere:
    dates = _walk(
        [
            _Claim(i, a, a.date)
            for i, a in enumerate(timeline)
            if a.event is Event.PREMIERE_DATE and a.date is not None
        ]
    )
    windows = _walk(
        [
            _Claim(i, a, (a.window.start, a.window.end))
            for i, a in enumerate(timeline)
            if a.event is Event.PREMIERE_WINDOW and a.window is not None
        ]
    )
    window = windows.winner.item.window if windows else None
    if dates is not None:
        day = dates.winner.item.date
        assert day is not None  # only dated claims were walked
        contains = window is not None and window.start <= day <= window.end
        show_date = True
        if windows is not None:
            date_rank = dates.winner.item.certainty.rank
            window_rank = windows.winner.item.certainty.rank
            delayed = (
                window_rank == date_rank
                and windows.winner.position > dates.winner.position
                and not contains
            )
            show_date = window_rank <= date_rank and not delayed
        if show_date:
            certainty = dates.winner.item.certainty
            first = _first_report(dates.episode, certainty)
            return _Premiere(
                date=dates.winner.item,
                window=window if contains else None,
                certainty=certainty,
                first=first.item if first else None,
            )
    if windows is None:
        return _Premiere()
    certainty = windows.winner.item.certainty
    first = _first_report(windows.episode, certainty)
    return _Premiere(window=window, certainty=certainty, first=first.item if first else None)


def _sources(timeline: Sequence[Announcement]) -> tuple[Source, ...]:
    earliest: dict[str, tuple[tuple[bool, int], Source]] = {}
    for position, item in enumerate(timeline):
        outlet = item.source.outlet.strip().casefold()
        rank = (item.source.published is None, position)
        if outlet not in earliest or rank < earliest[outlet][0]:
            earliest[outlet] = (rank, item.source)
    return tuple(source for _, source in sorted(earliest.values(), key=lambda pair: pair[0]))


def _network(timeline: Sequence[Announcement]) -> str | None:
    # per folded network name: (surest certainty, how often, latest position), spelling
    tally: dict[str, tuple[tuple[int, int, int], str]] = {}
    for position, item in enumerate(timeline):
        if not item.network or not item.network.strip():
            continue
        key = item.network.strip().casefold()
        (rank, count, _), spelling = tally.get(key, ((-1, 0, -1), item.network))
        if item.certainty.rank >= rank:
            spelling = item.network  # the surest, then latest, spelling
        tally[key] = ((max(rank, item.certainty.rank), count + 1, position), spelling)
    if not tally:
        return None
    return max(tally.values(), key=lambda entry: entry[0])[1]


def _updated(timeline: Sequence[Announcement]) -> datetime | None:
    dated = [a.source.published for a in timeline if a.source.published is not None]
    return max(dated, key=utc) if dated else None


def _published(item: Announcement | None) -> datetime | None:
    return item.source.published if item is not None else None


def fold_season(
    announcements: Iterable[Announcement], *, listing: Announcement | None = None
) -> SeasonState:
    """Fold every announcement about one season of one show into its state (rules in the
    module docstring), with the season's `listing` (a premiere date a listings source gives,
    as an official premiere-date announcement) when there is one. The show name is the
    smallest spelling among the announcements.

    Raises ValueError when there is nothing to fold, or when it is about more than one
    show (by name key) or season, or when the listing is not a dated premiere.
    """
    news = sorted(announcements, key=timeline_key)
    if listing is not None and (listing.event is not Event.PREMIERE_DATE or listing.date is None):
        raise ValueError("a listing is a premiere date")
    timeline = news if listing is None else sorted([*news, listing], key=timeline_key)
    if not timeline:
        raise ValueError("fold_season needs at least one announcement")
    if len({(name_key(a.show), a.season) for a in timeline}) > 1:
        raise ValueError("fold_season folds one season of one show at a time")
    status, status_certainty, status_first = _status(timeline)
    premiere = _premiere(timeline)
    return SeasonState(
        show=min(a.show for a in timeline),
        season=timeline[0].season,
        status=status,
        status_certainty=status_certainty,
        status_first_reported=_published(status_first),
        status_first_source=status_first.source if status_first else None,
        premiere_date=premiere.date.date if premiere.date else None,
        premiere_window=premiere.window,
        premiere_certainty=premiere.certainty,
        premiere_first_reported=_published(premiere.first),
        premiere_first_source=premiere.first.source if premiere.first else None,
        network=_network(timeline),
        sources=_sources(timeline),
        updated=_updated(timeline),
        **_beside_the_news(news, listing),
    )


def _beside_the_news(news: Sequence[Announcement], listing: Announcement | None) -> dict[str, Any]:
    """The listed date and the date the news alone gives (only when there is a listing)."""
    if listing is None:
        return {}
    alone = _premiere(news)
    day = alone.date.date if alone.date is not None else None
    return {
        "listed_date": listing.date,
        "news_date": day,
        "news_certainty": alone.certainty if day is not None else None,
    }
