"""A sink that reads ahead (bot.feeds.reading.ReadingSink): its reading runs in a worker
thread before the write transaction, on the new or retitled entries only, and nothing is
lost or handed over twice when the reading fails or another poll stores entries meanwhile."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from bot.feeds.fetch import FeedFetcher
from bot.feeds.poller import Poller
from bot.feeds.reading import EntrySink
from bot.ingest import AnnouncementSink
from bot.models import Announcement, Entry, Show
from bot.recognition import Reading
from bot.records import FeedRecord, StoredEntry
from bot.shows.known import KnownShows
from db.store import Store, Tx
from tests.feeds.conftest import ManualClock, RecordingSink
from tests.feeds.feed_server import FeedServer, fixture
from tests.feeds.test_poller import POLICY, add, entry_titles, item, rss


@dataclass
class ReadingAheadSink(RecordingSink):
    """A RecordingSink that reads ahead: it notes the thread and the titles each reading
    got, and which entries the transaction's call had been given read."""

    read_threads: list[int] = field(default_factory=list)
    read_titles: list[list[str]] = field(default_factory=list)
    given_read: list[list[str]] = field(default_factory=list)
    fail_reading: bool = False
    hold: threading.Event | None = None  # the reading waits for it
    reading: threading.Event = field(default_factory=threading.Event)

    def read_ahead(self) -> Callable[[Sequence[Entry]], EntrySink]:
        def read(entries: Sequence[Entry]) -> EntrySink:
            self.reading.set()
            if self.hold is not None:
                self.hold.wait(timeout=10)
            self.read_threads.append(threading.get_ident())
            self.read_titles.append([entry.title for entry in entries])
            if self.fail_reading:
                raise RuntimeError("reading exploded")
            read_keys = {entry.key for entry in entries}

            async def sink(
                tx: Tx, feed: FeedRecord, stored: Sequence[StoredEntry], alertable: frozenset[int]
            ) -> Sequence[Announcement]:
                self.given_read.append([s.entry.title for s in stored if s.entry.key in read_keys])
                return await self(tx, feed, stored, alertable)

            return sink

        return read


async def test_new_entries_are_read_in_a_worker_thread_before_the_write(
    store: Store, feed_server: FeedServer, fetcher: FeedFetcher, clock: ManualClock
) -> None:
    sink = ReadingAheadSink()
    feed_server.feed("/f", rss(item("a", "One"), item("b", "Two")))
    feed = await add(store, feed_server.url("/f"))
    polls = Poller(store, fetcher, sink, POLICY, clock=clock)

    first = await polls.poll_feed(feed.id)
    assert (first.outcome, first.new) == ("updated", 2)
    assert sink.read_threads and threading.get_ident() not in sink.read_threads
    assert sink.read_titles == [["One", "Two"]]
    assert sink.given_read == [["One", "Two"]] and sink.titles() == [["One", "Two"]]

    # Only what is new or retitled is read, then stored and handed over once.
    feed_server.feed("/f", rss(item("c", "Three"), item("a", "One, fixed"), item("b", "Two")))
    clock.advance(timedelta(minutes=10))
    second = await polls.poll_feed(feed.id)
    assert (second.new, second.changed, second.alertable) == (1, 1, 1)
    assert sink.read_titles[-1] == ["Three", "One, fixed"]
    assert sink.given_read[-1] == sink.titles()[-1] == ["Three", "One, fixed"]
    assert await entry_titles(store, feed.id) == ["One, fixed", "Three", "Two"]

    # After a first poll the reading goes with the parse, in one job: when it fails, the
    # write hands the new entry over unread all the same.
    sink.fail_reading = True
    feed_server.feed("/f", rss(item("d", "Four"), item("c", "Three"), item("b", "Two")))
    clock.advance(timedelta(minutes=10))
    third = await polls.poll_feed(feed.id)
    assert (third.outcome, third.new) == ("updated", 1)
    assert sink.read_titles[-1] == ["Four"] and sink.titles()[-1] == ["Four"]
    assert sink.given_read[-1] == ["Three", "One, fixed"]  # nothing given read this time


async def test_a_failed_reading_is_done_again_in_the_write_and_loses_nothing(
    store: Store, feed_server: FeedServer, fetcher: FeedFetcher, clock: ManualClock
) -> None:
    sink = ReadingAheadSink(fail_reading=True)
    feed_server.feed("/wp", fixture("wordpress.xml"))
    feed = await add(store, feed_server.url("/wp"))
    polls = Poller(store, fetcher, sink, POLICY, clock=clock)

    # The reading failed: the write hands the entries to the sink unread.
    result = await polls.poll_feed(feed.id)
    assert (result.outcome, result.new) == ("updated", 3)
    assert sink.given_read == [] and len(sink.calls[0].entries) == 3

    # The sink fails in the write too: one line, nothing stored, all back next time.
    other = await add(store, feed_server.url("/other"))
    feed_server.feed("/other", rss(item("x", "Ex")))
    sink.fail = True
    failed = await polls.poll_feed(other.id)
    assert failed.outcome == "failed" and "recognition exploded" in (failed.error or "")
    assert "\n" not in (failed.error or "")
    assert await entry_titles(store, other.id) == []
    sink.fail = sink.fail_reading = False
    clock.advance(timedelta(minutes=20))
    retry = await polls.poll_feed(other.id)
    assert (retry.outcome, retry.new) == ("updated", 1)
    assert sink.given_read[-1] == ["Ex"]


async def test_an_entry_stored_meanwhile_is_not_handed_over_twice(
    store: Store, feed_server: FeedServer, fetcher: FeedFetcher, clock: ManualClock
) -> None:
    sink = ReadingAheadSink(hold=threading.Event())
    feed_server.feed("/f", rss(item("a", "One"), item("b", "Two")))
    feed = await add(store, feed_server.url("/f"))
    polls = Poller(store, fetcher, sink, POLICY, clock=clock)
    poll = asyncio.ensure_future(polls.poll_feed(feed.id))
    assert await asyncio.to_thread(sink.reading.wait, 10)
    # Another poller stores one of the entries while this one reads.
    async with store.transaction() as tx:
        await tx.feeds.upsert_entries(feed.id, [Entry(key="a", title="One")], clock())
    assert sink.hold is not None
    sink.hold.set()
    result = await poll
    assert (result.outcome, result.new) == ("updated", 1)
    assert sink.titles() == [["Two"]]
    assert await entry_titles(store, feed.id) == ["One", "Two"]


async def test_a_show_learned_after_the_reading_is_read_again(
    store: Store, feed_server: FeedServer, fetcher: FeedFetcher, clock: ManualClock
) -> None:
    known = await KnownShows.load(store, seed=False)
    sink = AnnouncementSink(known, clock=clock)
    feed_server.feed("/wp", fixture("wordpress.xml"))
    feed = await add(store, feed_server.url("/wp"))
    polls = Poller(store, fetcher, sink, POLICY, clock=clock)
    assert await polls.poll_feed(feed.id)  # the backlog
    headline = "Quiet Meadow Renewed for Season 2 at Streamline"
    entries = [Entry(key="q", title=headline, summary=headline)]

    read = sink.read_ahead()(entries)  # read before the show is known
    async with store.transaction() as tx:
        await known.learn(tx, Show("Quiet Meadow"), origin="test")
        (stored,) = (await tx.feeds.upsert_entries(feed.id, entries, clock())).stored
        found = await read(tx, feed, [stored], frozenset())
        again = await sink.read_ahead()(entries)(tx, feed, [stored], frozenset())
    assert [(a.show, a.season) for a in found] == [("Quiet Meadow", 2)]
    assert found == again


class CountingSink(AnnouncementSink):
    """The real sink, counting the entries it reads."""

    read_count = 0

    def _read_all(self, entries: Sequence[Entry]) -> dict[str, tuple[Entry, Reading]]:
        self.read_count += len(entries)
        return super()._read_all(entries)


async def test_a_show_learned_after_the_reading_only_rereads_entries_naming_it(
    store: Store, clock: ManualClock
) -> None:
    known = await KnownShows.load(store, seed=False)
    sink = CountingSink(known, clock=clock)
    async with store.transaction() as tx:
        feed = await tx.feeds.add("https://tv.example.com/feed")
    headlines = ["Quiet Meadow Renewed for Season 2", "Loud River Cancelled After One Season"]
    entries = [Entry(key=h, title=h, summary=h) for h in headlines]
    read = sink.read_ahead()(entries)
    assert sink.read_count == 2
    async with store.transaction() as tx:
        await known.learn(tx, Show("Loud River", aliases=("The River",)), origin="test")
        stored = (await tx.feeds.upsert_entries(feed.id, entries, clock())).stored
        found = await read(tx, feed, stored, frozenset())
    assert sink.read_count == 3  # only the Loud River story was read again
    assert {a.show for a in found} >= {"Loud River"}


async def test_a_name_only_tvmaze_knows_is_looked_up_in_the_write_and_read_again(
    store: Store, clock: ManualClock
) -> None:
    async with store.transaction() as tx:
        feed = await tx.feeds.add("https://tv.example.com/feed")
        await tx.shows.ensure_many([Show("Glasshouse Keepers")], origin="tvmaze")
    known = await KnownShows.load(store, seed=False)
    assert known.catalogue.get_own("Glasshouse Keepers") is None  # not read in running text
    sink = CountingSink(known, clock=clock)
    headline = "Netflix Renews 'Glass-House Keepers' for Season 4"
    entries = [Entry(key="g", title=headline, summary=headline)]
    read = sink.read_ahead()(entries)  # in a worker thread: the store is not at hand there
    async with store.transaction() as tx:
        stored = (await tx.feeds.upsert_entries(feed.id, entries, clock())).stored
        found = await read(tx, feed, stored, frozenset())
    assert [(a.show, a.season) for a in found] == [("Glasshouse Keepers", 4)]
    assert sink.read_count == 2  # read ahead as written, then again with TVmaze's name
