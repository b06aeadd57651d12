"""Continue a season's fold from a compact summary: one more announcement in O(1).

`fold_season` (bot/state/fold.py) is the reference: it sorts every announcement of a season
and walks them. This module keeps what those walks need to go on, so that a new
announcement updates the state from the stored summary plus that announcement, with the
same `SeasonState` a full refold would give (tests/state/test_fold_step.py checks it for any
order of announcements).

Each walk is summarised by a `_Walk` (bot/state/fold_walk.py: the winner, where the
current and previous values took over, and what backs each value). Sources, network, the
newest time and the show's spelling are plain aggregates, kept per outlet and per network.

The newest few announcements (`RECENT`) are kept whole and folded in when the state is
read, so news that arrives a little out of order (outlets polled at different times) is
simply placed among them. An older one is applied to the walks directly when it provably
cannot change which claims took over; otherwise (an old report of a reversal arriving late)
`fold_step` returns None and the caller refolds the season from its announcements. A
season that lost announcements, or whose listing changed, is refolded too.

The summary is stored beside the state as JSON (bot/state/fold_codec.py); its size grows
with the outlets, networks and contested values of a season, not with its history. The
state a summary gives is read by `summary_state` (bot/state/summary_state.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.models import Announcement, Event
from bot.shows.names import name_key
from bot.state.fold import timeline_key, utc
from bot.state.fold_walk import _date_value, _status_value, _Walk, _window_value
from bot.state.timeline import before, first_before, insort

__all__ = ["RECENT", "FoldSummary", "fold_step", "summarise"]

RECENT = 8  # how many of a season's newest announcements a summary keeps whole


def _newer(item: Announcement, than: Announcement) -> bool:
    # fold.py's `_updated`: the latest time; of equal instants, the first on the timeline.
    assert item.source.published is not None and than.source.published is not None
    mine, theirs = utc(item.source.published), utc(than.source.published)
    return mine > theirs or (mine == theirs and before(item, than))


@dataclass(frozen=True, slots=True)
class _Tally:
    """One network as stated: surest certainty, how often, the newest statement, and the
    newest of the surest (whose spelling is shown)."""

    top: int
    count: int
    latest: Announcement
    spelling: Announcement


@dataclass(slots=True)
class FoldSummary:
    """What continuing a season's fold needs (see the module docstring)."""

    show: str  # the smallest spelling
    season: int | None
    count: int  # news announcements folded
    listing: Announcement | None
    status: _Walk = field(default_factory=_Walk)
    dates: _Walk = field(default_factory=_Walk)  # with the listing
    news_dates: _Walk | None = None  # without it (only kept when there is a listing)
    windows: _Walk = field(default_factory=_Walk)
    sources: dict[str, Announcement] = field(default_factory=dict)  # earliest per outlet
    networks: dict[str, _Tally] = field(default_factory=dict)
    updated: Announcement | None = None  # the newest dated announcement
    # The newest `keep` announcements are kept whole, not yet folded into the fields above,
    # so that news arriving a little out of order is placed among them, never a refold.
    keep: int = 8
    recent: list[Announcement] = field(default_factory=list)  # in timeline order
    tail: Announcement | None = None  # the newest announcement folded into the fields
    # The JSON each announcement was read from (bot/state/fold_codec.py), by id() with the
    # announcement itself (so that the id cannot be reused): written back as read.
    read_from: dict[int, tuple[Announcement, list[Any]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def copy(self) -> FoldSummary:
        return FoldSummary(
            show=self.show,
            season=self.season,
            count=self.count,
            listing=self.listing,
            status=self.status.copy(),
            dates=self.dates.copy(),
            news_dates=self.news_dates.copy() if self.news_dates is not None else None,
            windows=self.windows.copy(),
            sources=dict(self.sources),
            networks=dict(self.networks),
            updated=self.updated,
            keep=self.keep,
            recent=list(self.recent),
            tail=self.tail,
            read_from=self.read_from,
        )

    def _take(self, item: Announcement, *, news: bool = True) -> bool:
        """Take one more announcement (False: only a refold can place it)."""
        if item.season != self.season or name_key(item.show) != name_key(self.show):
            raise ValueError("a fold summary folds one season of one show")
        self.show = min(self.show, item.show)
        self.count += news
        if self.tail is not None and before(item, self.tail):
            return self._fold(item, news=news)  # older than all that is kept whole
        insort(self.recent, item)
        while len(self.recent) > self.keep:
            oldest = self.recent.pop(0)
            # It is newer than all folded so far: appended, never a refold.
            folded = self._fold(oldest, news=oldest is not self.listing)
            assert folded
        return True

    def _whole(self) -> FoldSummary:
        """The summary with the announcements kept whole folded in too."""
        if not self.recent:
            return self
        whole = self.copy()
        for item in self.recent:
            folded = whole._fold(item, news=item is not self.listing)
            assert folded
        whole.recent = []
        return whole

    def _fold(self, item: Announcement, *, news: bool) -> bool:
        if self.tail is None or not before(item, self.tail):
            self.tail = item
        outlet = item.source.outlet.strip().casefold()
        earliest = self.sources.get(outlet)
        if earliest is None or first_before(item, earliest):
            self.sources[outlet] = item
        self._tally(item)
        if item.source.published is not None and (
            self.updated is None or _newer(item, self.updated)
        ):
            self.updated = item
        applied = True
        if _status_value(item) is not None:
            applied = self.status.add(item, _status_value)
        elif _date_value(item) is not None:
            applied = self.dates.add(item, _date_value)
            if news and self.news_dates is not None:
                applied = self.news_dates.add(item, _date_value) and applied
        elif _window_value(item) is not None:
            applied = self.windows.add(item, _window_value)
        return applied

    def _tally(self, item: Announcement) -> None:
        if not item.network or not item.network.strip():
            return
        key = item.network.strip().casefold()
        old = self.networks.get(key)
        rank = item.certainty.rank
        if old is None:
            self.networks[key] = _Tally(rank, 1, item, item)
            return
        later = not before(item, old.latest)
        spelling = old.spelling
        if rank > old.top or (rank == old.top and not before(item, spelling)):
            spelling = item
        self.networks[key] = _Tally(
            max(rank, old.top), old.count + 1, item if later else old.latest, spelling
        )


def summarise(
    announcements: Iterable[Announcement],
    *,
    listing: Announcement | None = None,
    keep: int = RECENT,
) -> FoldSummary:
    """The summary of a full fold (the same arguments and errors as `fold_season`),
    keeping the newest `keep` announcements whole."""
    news = list(announcements)
    if listing is not None and (listing.event is not Event.PREMIERE_DATE or listing.date is None):
        raise ValueError("a listing is a premiere date")
    timeline = sorted(news if listing is None else [*news, listing], key=timeline_key)
    if not timeline:
        raise ValueError("summarise needs at least one announcement")
    summary = FoldSummary(
        show=timeline[0].show,
        season=timeline[0].season,
        count=0,
        listing=listing,
        news_dates=_Walk() if listing is not None else None,
        keep=keep,
    )
    for item in timeline:
        # In timeline order every claim is appended: never a refold.
        applied = summary._take(item, news=item is not listing)
        assert applied
    return summary


def fold_step(summary: FoldSummary, items: Sequence[Announcement]) -> FoldSummary | None:
    """The summary with these news announcements folded in too, or None when one of them
    needs a refold from every announcement (see the module docstring). `summary` is left
    as it was. ValueError when an item is about another season or show."""
    stepped = summary.copy()
    for item in items:
        if not stepped._take(item):
            return None
    return stepped
