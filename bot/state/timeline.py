"""The timeline order of announcements (fold.py's `timeline_key`), mostly without building
the keys.

A key has seventeen fields and formats a time; most comparisons are decided by its first
fields (the time, then the event, certainty and outlet), so these are compared first and
whole keys are built only on a tie. Every function here gives exactly what comparing or
sorting by the whole keys gives (tests/state/test_fold_step.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from bot.models import Announcement
from bot.state.fold import _EARLIEST, _EVENT_ORDER, timeline_key, utc

__all__ = ["before", "first_before", "first_key", "in_first_order", "insort"]


def before(item: Announcement, other: Announcement) -> bool:
    """timeline_key(item) < timeline_key(other)."""
    mine, theirs = item.source.published, other.source.published
    if mine is not None and theirs is not None:
        if mine.tzinfo is not UTC or theirs.tzinfo is not UTC:  # rare: see fold.utc
            mine, theirs = utc(mine), utc(theirs)
        if mine != theirs:
            return mine < theirs
    elif mine is not None or theirs is not None:
        return mine is None  # undated before dated
    # The same time: the key's next fields, then the whole keys.
    rank, other_rank = item.certainty.rank, other.certainty.rank
    order, other_order = _EVENT_ORDER[item.event], _EVENT_ORDER[other.event]
    if order != other_order:
        return order < other_order
    if rank != other_rank:
        return rank < other_rank
    if item.source.outlet != other.source.outlet:
        return item.source.outlet < other.source.outlet
    return timeline_key(item) < timeline_key(other)


def first_key(item: Announcement) -> tuple[bool, tuple[Any, ...]]:
    """The order of "earliest": dated announcements first (fold.py, "Time")."""
    return (item.source.published is None, timeline_key(item))


def first_before(item: Announcement, other: Announcement) -> bool:
    """first_key(item) < first_key(other)."""
    undated = item.source.published is None
    if undated != (other.source.published is None):
        return not undated
    return before(item, other)


def _first_time(item: Announcement) -> tuple[bool, datetime]:
    # The first fields of `first_key`: whether undated, and the time.
    published = item.source.published
    return (True, _EARLIEST) if published is None else (False, utc(published))


def in_first_order(items: Iterable[Announcement]) -> list[Announcement]:
    """sorted(items, key=first_key)."""
    timed = sorted(((_first_time(item), item) for item in items), key=lambda pair: pair[0])
    ordered: list[Announcement] = []
    for tied in _ties(timed):
        ordered.extend(tied if len(tied) == 1 else _same_time_order(tied))
    return ordered


def _same_time_order(items: list[Announcement]) -> list[Announcement]:
    """sorted(items, key=first_key) for items of one time: by the key's next fields (the
    event, certainty and outlet), whole keys built only on a tie of those too."""
    heads = sorted(((_head(item), item) for item in items), key=lambda pair: pair[0])
    ordered: list[Announcement] = []
    for tied in _ties(heads):
        ordered.extend(tied if len(tied) == 1 else sorted(tied, key=first_key))
    return ordered


def _head(item: Announcement) -> tuple[int, int, str]:
    # The fields of `timeline_key` after the time, in its order.
    return _EVENT_ORDER[item.event], item.certainty.rank, item.source.outlet


def _ties(pairs: list[tuple[Any, Announcement]]) -> Iterator[list[Announcement]]:
    """The items of (key, item) pairs sorted by key, in runs of equal keys."""
    start = 0
    while start < len(pairs):
        end = start + 1
        while end < len(pairs) and pairs[end][0] == pairs[start][0]:
            end += 1
        yield [item for _, item in pairs[start:end]]
        start = end


def insort(items: list[Announcement], item: Announcement) -> None:
    """bisect.insort(items, item, key=timeline_key), `items` being in that order."""
    low, high = 0, len(items)
    while low < high:
        middle = (low + high) // 2
        if before(item, items[middle]):
            high = middle
        else:
            low = middle + 1
    items.insert(low, item)
