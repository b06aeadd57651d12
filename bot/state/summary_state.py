"""The state a fold summary (bot/state/fold_step.py) gives: the rules of `fold_season`
(bot/state/fold.py) read off the summarised walks instead of a walk over every
announcement."""

from __future__ import annotations

from typing import Any

from bot.models import Announcement, Certainty, Event, SeasonState, Status
from bot.state.fold import _Premiere, timeline_key
from bot.state.fold_step import FoldSummary
from bot.state.fold_walk import _STOPPING, _status_value, _Walk
from bot.state.timeline import before, in_first_order

__all__ = ["summary_state"]


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
