"""What the poller hands a feed's new or retitled entries to (`EntrySink`), and reading
them ahead of the write transaction in a worker thread for a sink that can
(`ReadingSink`, such as recognition): see bot/feeds/poller.py."""

from __future__ import annotations

import logging
from array import array
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.feeds.normalise import Item
from bot.feeds.parse import ParsedFeed
from bot.models import Announcement, Entry
from bot.records import FeedRecord, StoredEntry
from db.store import Tx

log = logging.getLogger(__name__)

EntrySink = Callable[
    [Tx, FeedRecord, Sequence[StoredEntry], frozenset[int]], Awaitable[Sequence[Announcement]]
]
"""Processes a feed's new or retitled entries inside the transaction that records them.

Arguments: the transaction; the feed (its state after this poll); the entries that are new
(key never seen in this feed) or whose title changed, in feed order; the ids of those that
may raise alerts (none on a feed's first poll; later only entries first seen now and
published within the recent window, an undated entry counting as published now). Returns
the announcements it recognised. Raising rolls the whole poll back.
"""

Reading = Callable[[Sequence[Entry]], EntrySink]  # what ReadingSink.read_ahead returns


@runtime_checkable
class ReadingSink(Protocol):
    """An `EntrySink` whose pure, CPU-heavy part can run before the write transaction."""

    async def __call__(
        self, tx: Tx, feed: FeedRecord, entries: Sequence[StoredEntry], alertable: frozenset[int]
    ) -> Sequence[Announcement]:
        """As `EntrySink`."""

    def read_ahead(self) -> Reading:
        """Called on the event loop; returns the reading to run in a worker thread (it must
        not touch the store or the loop), which gives the sink to call in the transaction
        in place of this one. That sink reads itself any entry it was not given."""


@dataclass(frozen=True, slots=True)
class ReadAhead:
    """A feed's new or retitled entries (as of the titles stored before the write),
    normalised, and the sink that has already read them."""

    entries: list[Entry]
    sink: EntrySink


def recorded_in(seen: array[int]) -> Callable[[str, str], bool]:
    """Whether an item (by key and title) was among those whose hashes of (key, title)
    `seen` holds (see Poller._seen)."""
    hashes = set(seen)
    return lambda key, title: hash((key, title)) in hashes


def parse_and_read(
    parse: Callable[[], ParsedFeed],
    recorded: Callable[[str, str], bool],
    reading: Reading,
    sink: ReadingSink,
    url: str,
) -> tuple[ParsedFeed, ReadAhead | None]:
    """In a worker thread: parse, then read ahead the items not `recorded`."""
    parsed = parse()
    items = [item for item in parsed.items if not recorded(item.key, item.title)]
    return parsed, read_entries(items, reading, sink, url)


def read_entries(
    items: Sequence[Item], reading: Reading, sink: ReadingSink, url: str
) -> ReadAhead | None:
    """In a worker thread: the items normalised and read (`reading`: the sink's, taken on
    the event loop); None when that failed (the write transaction then does it all, and
    fails the same way if the fault is the feed's)."""
    try:
        entries = [item.entry() for item in items]
        return ReadAhead(entries, reading(entries) if entries else sink)
    except Exception:
        log.debug("reading %s ahead failed; its write reads it", url, exc_info=True)
        return None
