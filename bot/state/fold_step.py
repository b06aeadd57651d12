"""Continue a season's fold from a compact summary: one more announcement in O(1).

`fold_season` (bot/state/fold.py) is the reference: it sorts every announcement of a season
and walks them. This module keeps what those walks need to go on, so that a new
announcement updates the state from the stored summary plus that announcement, with the
same `SeasonState` a full refold would give (tests/state/test_fold_step.py checks it for any
order of announcements).

What a walk needs (see `_walk` in fold.py): the claim that wins is the newest of the surest;
the "episode" backing it is every claim of the winning value after the point where the
*previous* winning value took over. So each walk keeps the winner, where the current value
took over (``start``) and where the previous one did (``previous_start``), the newest claim
(``tail``), what backs the winning value since ``previous_start`` and, per other value, what
claimed it since ``start`` (what would back it, should it take over next). "What backs" is
per event: the surest certainty, the earliest claim, and the earliest that is not
speculation. Sources, network, the newest time and the show's spelling are plain
aggregates, kept per outlet and per network.

The newest few announcements (`RECENT`) are kept whole and folded in when the state is
read, so news that arrives a little out of order (outlets polled at different times) is
simply placed among them. An older one is applied to the walks directly when it provably
cannot change which claims took over; otherwise (an old report of a reversal arriving late)
`fold_step` returns None and the caller refolds the season from its announcements. A
season that lost announcements, or whose listing changed, is refolded too.

The summary is stored beside the state as JSON (bot/state/fold_codec.py); its size grows
with the outlets, networks and contested values of a season, not with its history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.models import Announcement, Certainty, Event, SeasonState, Status
from bot.shows.names import name_key
from bot.state.fold import _Premiere, timeline_key, utc
from bot.state.timeline import before, first_before, in_first_order, insort

__all__ = ["RECENT", "FoldSummary", "fold_step", "summarise", "summary_state"]

RECENT = 8  # how many of a season's newest announcements a summary keeps whole
_SURE = Certainty.REPORTED.rank  # the least certainty that is a report, not speculation
_STATUS_EVENTS = (Event.RENEWED, Event.CANCELLED, Event.ENDING)
_STOPPING = "stopping"
_GOING_ON = "going on"

Value = Callable[[Announcement], str | None]


def _status_value(item: Announcement) -> str | None:
    if item.event is Event.CANCELLED:
        return _STOPPING
    return _GOING_ON if item.event in _STATUS_EVENTS else None


def _date_value(item: Announcement) -> str | None:
    if item.event is Event.PREMIERE_DATE and item.date is not None:
        return item.date.isoformat()
    return None


def _window_value(item: Announcement) -> str | None:
    if item.event is Event.PREMIERE_WINDOW and item.window is not None:
        return f"{item.window.start.isoformat()}/{item.window.end.isoformat()}"
    return None


@dataclass(frozen=True, slots=True)
class _Backing:
    """What backs one value through one event: its surest certainty, its earliest claim
    and its earliest claim that is not speculation."""

    top: int
    first: Announcement
    first_sure: Announcement | None

    def plus(self, item: Announcement) -> _Backing:
        rank = item.certainty.rank
        first = item if first_before(item, self.first) else self.first
        sure = self.first_sure
        if rank >= _SURE and (sure is None or first_before(item, sure)):
            sure = item
        return _Backing(max(self.top, rank), first, sure)

    def first_report(self, certainty: Certainty) -> Announcement | None:
        """The earliest report of it (speculation only when the value is speculation)."""
        return self.first if certainty.rank < _SURE else self.first_sure


def _backed(backing: dict[Event, _Backing], item: Announcement) -> None:
    old = backing.get(item.event)
    rank = item.certainty.rank
    backing[item.event] = (
        _Backing(rank, item, item if rank >= _SURE else None) if old is None else old.plus(item)
    )


@dataclass(slots=True)
class _Walk:
    """One walk of fold.py's `_walk`, summarised (see the module docstring)."""

    winner: Announcement | None = None
    start: Announcement | None = None
    previous_start: Announcement | None = None
    tail: Announcement | None = None
    episode: dict[Event, _Backing] = field(default_factory=dict)
    pending: dict[str, dict[Event, _Backing]] = field(default_factory=dict)

    def copy(self) -> _Walk:
        return _Walk(
            self.winner,
            self.start,
            self.previous_start,
            self.tail,
            dict(self.episode),
            {value: dict(backing) for value, backing in self.pending.items()},
        )

    def add(self, item: Announcement, value: Value) -> bool:
        """Fold in one claim; False when only a refold can tell (nothing is changed then
        that matters: the caller drops this summary)."""
        claimed = value(item)
        assert claimed is not None
        if self.winner is None or self.start is None or self.tail is None:
            self.winner = self.start = self.tail = item
            self.episode = {}
            _backed(self.episode, item)
            return True
        rank = item.certainty.rank
        winning = value(self.winner)
        if not before(item, self.tail):
            return self._append(item, claimed, winning)
        if not before(item, self.start):
            # Inside the winning value's run: a claim of that value never ends the run; a
            # claim of another value that a surer earlier claim outranks never takes over.
            if claimed == winning:
                _backed(self.episode, item)
                self._maybe_win(item)
                return True
            outranked = rank < self.start.certainty.rank or (
                rank < self.winner.certainty.rank and before(self.winner, item)
            )
            if outranked:
                _backed(self.pending.setdefault(claimed, {}), item)
                return True
            return False
        previous = self.previous_start
        if previous is None:
            # Before the first claim: it becomes the first to take over.
            if claimed == winning:
                self.start = item
                _backed(self.episode, item)
                self._maybe_win(item)
                return True
            if rank <= self.start.certainty.rank:  # and the old first takes over from it
                self.previous_start = item
                return True
            return False
        if not before(item, previous):
            if rank < previous.certainty.rank:  # outranked: takes nothing over
                if claimed == winning:
                    _backed(self.episode, item)
                return True
            if claimed == value(previous) and rank <= self.start.certainty.rank:
                return True  # one more claim of the previous value, before it was overtaken
        return False

    def _append(self, item: Announcement, claimed: str, winning: str | None) -> bool:
        assert self.winner is not None
        self.tail = item
        if claimed == winning:
            _backed(self.episode, item)
            if item.certainty.rank >= self.winner.certainty.rank:
                self.winner = item
        elif item.certainty.rank >= self.winner.certainty.rank:
            # Takes over: backed by the claims of its value since the last takeover.
            self.previous_start, self.start, self.winner = self.start, item, item
            self.episode = self.pending.pop(claimed, {})
            _backed(self.episode, item)
            self.pending = {}
        else:
            _backed(self.pending.setdefault(claimed, {}), item)
        return True

    def _maybe_win(self, item: Announcement) -> None:
        assert self.winner is not None
        rank, winning = item.certainty.rank, self.winner.certainty.rank
        if rank > winning or (rank == winning and before(self.winner, item)):
            self.winner = item


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


# -- the state a summary gives ---------------------------------------------------------------


def _status(walk: _Walk) -> tuple[Status, Certainty | None, Announcement | None]:
    winner = walk.winner
    if winner is None:
        return Status.UNKNOWN, None, None
    certainty = winner.certainty
    if _status_value(winner) == _STOPPING:
        status, backing = Status.CANCELLED, walk.episode.get(Event.CANCELLED)
    else:
        endings, renewals = walk.episode.get(Event.ENDING), walk.episode.get(Event.RENEWED)
        surest_ending = endings.top if endings else -1
        surest_renewal = renewals.top if renewals else -1
        if surest_ending >= surest_renewal:
            status, backing = Status.ENDING, endings
        else:
            status, backing = Status.RENEWED, renewals
    first = backing.first_report(certainty) if backing is not None else None
    return status, certainty, first


def _premiere(dates: _Walk, windows: _Walk) -> _Premiere:
    # The rules of fold.py's `_premiere`, on the summarised walks.
    best_window = windows.winner
    window = best_window.window if best_window is not None else None
    best_date = dates.winner
    if best_date is not None:
        day = best_date.date
        assert day is not None
        contains = window is not None and window.start <= day <= window.end
        show_date = True
        if best_window is not None:
            date_rank, window_rank = best_date.certainty.rank, best_window.certainty.rank
            delayed = window_rank == date_rank and before(best_date, best_window) and not contains
            show_date = window_rank <= date_rank and not delayed
        if show_date:
            backing = dates.episode[Event.PREMIERE_DATE]
            return _Premiere(
                date=best_date,
                window=window if contains else None,
                certainty=best_date.certainty,
                first=backing.first_report(best_date.certainty),
            )
    if best_window is None:
        return _Premiere()
    backing = windows.episode[Event.PREMIERE_WINDOW]
    return _Premiere(
        window=window,
        certainty=best_window.certainty,
        first=backing.first_report(best_window.certainty),
    )


def _network(summary: FoldSummary) -> str | None:
    if not summary.networks:
        return None
    # The most certain, then the most often stated; the latest only breaks a tie of both.
    tallies = list(summary.networks.values())
    top = max((tally.top, tally.count) for tally in tallies)
    tied = [tally for tally in tallies if (tally.top, tally.count) == top]
    best = tied[0] if len(tied) == 1 else max(tied, key=lambda t: timeline_key(t.latest))
    return best.spelling.network


def summary_state(summary: FoldSummary) -> SeasonState:
    """The season's state: what `fold_season` gives for the same announcements."""
    summary = summary._whole()
    status, status_certainty, status_first = _status(summary.status)
    premiere = _premiere(summary.dates, summary.windows)
    sources = in_first_order(summary.sources.values())
    beside: dict[str, Any] = {}
    if summary.listing is not None:
        assert summary.news_dates is not None
        alone = _premiere(summary.news_dates, summary.windows)
        day = alone.date.date if alone.date is not None else None
        beside = {
            "listed_date": summary.listing.date,
            "news_date": day,
            "news_certainty": alone.certainty if day is not None else None,
        }
    return SeasonState(
        show=summary.show,
        season=summary.season,
        status=status,
        status_certainty=status_certainty,
        status_first_reported=status_first.source.published if status_first else None,
        status_first_source=status_first.source if status_first else None,
        premiere_date=premiere.date.date if premiere.date else None,
        premiere_window=premiere.window,
        premiere_certainty=premiere.certainty,
        premiere_first_reported=premiere.first.source.published if premiere.first else None,
        premiere_first_source=premiere.first.source if premiere.first else None,
        network=_network(summary),
        sources=tuple(item.source for item in sources),
        updated=summary.updated.source.published if summary.updated else None,
        **beside,
    )
