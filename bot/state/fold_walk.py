"""One walk of a season's fold (`_walk` in bot/state/fold.py), summarised for a fold
summary (bot/state/fold_step.py).

What a walk needs (see `_walk` in fold.py): the claim that wins is the newest of the surest;
the "episode" backing it is every claim of the winning value after the point where the
*previous* winning value took over. So each walk keeps the winner, where the current value
took over (``start``) and where the previous one did (``previous_start``), the newest claim
(``tail``), what backs the winning value since ``previous_start`` and, per other value, what
claimed it since ``start`` (what would back it, should it take over next). "What backs" is
per event: the surest certainty, the earliest claim, and the earliest that is not speculation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.models import Announcement, Certainty, Event
from bot.state.timeline import before, first_before

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
