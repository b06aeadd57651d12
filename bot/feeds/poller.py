"""Polling feeds: fetch → parse → decide → record, one feed at a time, never raising.

For each feed: read it, skip it if disabled or still waiting (backoff, Retry-After,
max-age), fetch it (no transaction open meanwhile), parse a changed body in a worker
thread, decide its new state, then in ONE write transaction: lock the feed row, write the
state, upsert the entries and hand the new or retitled ones to the sink (recognition, show
state, alerts). An entry is therefore recorded if and only if the sink processed it; if
the sink or the store fails, the transaction rolls back, the failure is recorded on the
feed, and the same entries come back at the next poll. A feed that a poll disables is
reported in the same transaction to every server's admin log (bot/admin_log.py).

CPU-heavy work stays off the event loop and out of the write transaction, so that commands
answer while a big poll cycle runs and the write lock is held only for the writes: a sink
that can read ahead (`ReadingSink`, such as recognition) gets the feed's new or retitled
entries, found against the titles stored before the write (or, after a first poll, against
the items of the last one it recorded), normalised and read in a worker thread (after a
first poll, in the parse's own job, which reads in full only those items: see
bot/feeds/reading.py); the transaction then only writes. A sink that cannot read ahead
gets them found the same way in the transaction: after a feed's first poll by this poller,
without a query. The upsert stays the judge of what is new (an entry another poll stored
meanwhile is not handed over twice), and the sink reads in the transaction whatever it was
not given ahead. At most `cpu_threads` such jobs run at once.

The write transaction runs shielded from cancellation: a shutdown that cancels a poll
abandons its network work but lets a started write finish (`Poller.drain` waits for it).

Another process may hold SQLite's write lock (a `poll --once` beside the running bot): the
write then waits its turn, a few times the store's busy timeout in all. If it still cannot
write, nothing of the poll is recorded and the feed is not blamed: its entries come back
at the next poll.
"""

from __future__ import annotations

import asyncio
import logging
from array import array
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from bot.admin_log import log_feed_disabled
from bot.clock import Clock, utc_now
from bot.feeds.decide import (
    DISABLED,
    PollPolicy,
    alertable,
    decide,
    failed,
    fresh_items,
    is_due,
    needs_parse,
)
from bot.feeds.fetch import FeedFetcher, FetchResult
from bot.feeds.normalise import Item
from bot.feeds.parse import ParsedFeed, parse_feed
from bot.feeds.poll_result import PollResult
from bot.feeds.reading import (
    EntrySink,
    ReadAhead,
    ReadingSink,
    parse_and_read,
    read_entries,
    recorded_in,
)
from bot.models import Announcement
from bot.records import FeedRecord, FeedUpdate
from db.errors import FeedNotFoundError, StoreBusyError
from db.store import Store, Tx

log = logging.getLogger(__name__)

# Tries at recording a poll while another process writes, each waiting the busy timeout.
BUSY_ATTEMPTS = 3

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Work:
    """What a poll found, carried into its write transaction."""

    feed: FeedRecord
    fetch: FetchResult
    parsed: ParsedFeed | Exception | None
    now: datetime
    state: FeedUpdate
    ahead: ReadAhead | None = None


class Poller:
    """Polls feeds into the store and the sink. One poll per feed at a time."""

    def __init__(
        self,
        store: Store,
        fetcher: FeedFetcher,
        sink: EntrySink,
        policy: PollPolicy,
        *,
        clock: Clock = utc_now,
        concurrency: int = 20,
        cpu_threads: int = 2,
        on_logged: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.on_logged = on_logged  # an admin log message was queued: wake its sender
        self.fetcher = fetcher
        self.sink = sink
        self._reader = sink if isinstance(sink, ReadingSink) else None
        self.policy = policy
        self.clock = clock
        self.concurrency = concurrency
        self._polling: set[int] = set()
        # A write outlives a cancelled poll (it is shielded): by feed, until it ends.
        self._writes: dict[int, asyncio.Future[PollResult]] = {}
        # SQLite has one writer at a time; queueing here is cheaper than its busy timeout.
        self._write_lock = asyncio.Lock() if store.dialect == "sqlite" else None
        # Parsing and reading in worker threads, a few at a time: more threads would only
        # fight the event loop for the GIL.
        self._cpu = asyncio.Semaphore(cpu_threads)
        # To find the new or retitled items without a query: by feed, the hashes of (key,
        # title) of the items of its last poll this poller recorded (~0.5 KB a feed).
        self._seen: dict[int, array[int]] = {}
        self.last_polled_at: datetime | None = None  # the last fetch this poller made

    async def poll_feed(
        self,
        feed_id: int,
        *,
        force: bool = False,
        feed: FeedRecord | None = None,
        early: timedelta | None = None,
    ) -> PollResult:
        """Poll one feed if it is due (or `force`), never raising for the feed's or the
        sink's failures: they are recorded on the feed and in the result. `feed` may pass
        the record just read, to save reading it again; `early` is how early a wait may
        end (see decide.is_due)."""
        if feed_id in self._polling or feed_id in self._writes:
            return PollResult(feed_id, feed.url if feed else "", "skipped", error="already polling")
        self._polling.add(feed_id)
        try:
            return await self._poll(feed_id, force, feed, early)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug or the database: log it, keep the other feeds going
            log.exception("polling feed %s failed", feed_id)
            return PollResult(feed_id, feed.url if feed else "", "failed", error=repr(exc)[:300])
        finally:
            self._polling.discard(feed_id)

    async def poll_all(self, *, force: bool = True) -> list[PollResult]:
        """Poll every enabled feed now (see `poll_each`; waits end half an interval early, as
        for scheduled runs); the results once every feed is done."""
        return [result async for result in self.poll_each(force=force, early=None)]

    async def poll_each(
        self, *, force: bool = False, early: timedelta | None = timedelta(0)
    ) -> AsyncIterator[PollResult]:
        """Poll every enabled feed now, `concurrency` at a time (per-host limits apply in
        the fetcher), giving each result as soon as its feed is done. Without `force`, a
        feed still waiting (backoff, Retry-After, max-age) is skipped; by default until the
        very time it asked for, so that runs by hand never wear a feed out."""
        async with self.store.read() as tx:
            feeds = [feed for feed in await tx.feeds.list() if feed.status != DISABLED]
        slots = asyncio.Semaphore(self.concurrency)

        async def one(feed: FeedRecord) -> PollResult:
            async with slots:
                return await self.poll_feed(feed.id, force=force, feed=feed, early=early)

        polls = [asyncio.ensure_future(one(feed)) for feed in feeds]
        try:
            for finished in asyncio.as_completed(polls):
                yield await finished
        finally:
            for poll in polls:
                poll.cancel()

    async def drain(self) -> None:
        """Wait for the write transactions under way (call at shutdown, after cancelling
        the polls and before closing the store)."""
        while self._writes:
            await asyncio.gather(*self._writes.values(), return_exceptions=True)

    async def _poll(
        self, feed_id: int, force: bool, feed: FeedRecord | None, early: timedelta | None
    ) -> PollResult:
        if feed is None:
            try:
                async with self.store.read() as tx:
                    feed = await tx.feeds.get(feed_id)
            except FeedNotFoundError:
                return PollResult(feed_id, "", "removed")
        if feed.status == DISABLED:
            return PollResult(feed_id, feed.url, "disabled", DISABLED, error=feed.disabled_reason)
        if not force and not is_due(feed, self.clock(), self.policy, early=early):
            return PollResult(
                feed_id, feed.url, "skipped", feed.status, next_poll_at=feed.next_poll_at
            )
        fetch = await self.fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        parsed: ParsedFeed | Exception | None = None
        ahead = None
        if needs_parse(feed, fetch):
            parsed, ahead = await self._parse(feed, fetch)
        now = self.last_polled_at = self.clock()
        state = decide(feed, fetch, parsed, now, self.policy)
        work = _Work(feed, fetch, parsed, now, state, ahead)
        write = asyncio.ensure_future(self._record(work))
        self._writes[feed.id] = write
        write.add_done_callback(lambda _: self._writes.pop(feed.id, None))
        return await asyncio.shield(write)

    def _unrecorded(self, feed_id: int, items: Sequence[Item]) -> list[Item] | None:
        """The items unlike those of the feed's last poll this poller recorded (new keys,
        or new titles), without a query; None before it recorded one (ask the store)."""
        seen = self._seen.get(feed_id)
        if seen is None:
            return None
        recorded = recorded_in(seen)
        return [item for item in items if not recorded(item.key, item.title)]

    async def _in_thread(self, job: Callable[[], _T]) -> _T:
        async with self._cpu:
            return await asyncio.to_thread(job)

    async def _parse(
        self, feed: FeedRecord, fetch: FetchResult
    ) -> tuple[ParsedFeed | Exception, ReadAhead | None]:
        """The body parsed in a worker thread (or what parsing raised: NotAFeedError, or a
        reader's bug on hostile bytes) and, for a sink that reads ahead, the new or
        retitled entries read (None when that failed: the write then does it all)."""
        assert fetch.body is not None
        seen = self._seen.get(feed.id)
        # What its last recorded poll had need not be read in full.
        recorded = None if seen is None else recorded_in(seen)
        parse = partial(
            parse_feed,
            fetch.body,
            fetch.url,
            outlet=feed.outlet or feed.title,
            content_type=fetch.content_type,
            skip=recorded,
        )
        try:
            if recorded is not None and self._reader is not None:
                # The unrecorded items are known without a query: read them in the same
                # job (each hop to a worker thread costs the event loop a wake-up).
                reading = self._reader.read_ahead()
                job = partial(parse_and_read, parse, recorded, reading, self._reader, feed.url)
                return await self._in_thread(job)
            parsed = await self._in_thread(parse)
        except Exception as exc:
            return exc, None
        if self._reader is None:
            return parsed, None
        return parsed, await self._read_ahead(feed, parsed, self._reader)

    async def _read_ahead(
        self, feed: FeedRecord, parsed: ParsedFeed, sink: ReadingSink
    ) -> ReadAhead | None:
        """The new or retitled entries, normalised and read by the sink in a worker thread;
        None when that failed (the write transaction then does it all, and fails the same
        way if the fault is the feed's)."""
        try:
            items = self._unrecorded(feed.id, parsed.items)
            if items is None:
                async with self.store.read() as tx:
                    items = await _stored_fresh(tx, feed.id, parsed.items)
        except Exception:
            log.debug("reading %s ahead failed; its write reads it", feed.url, exc_info=True)
            return None
        return await self._in_thread(
            partial(read_entries, items, sink.read_ahead(), sink, feed.url)
        )

    async def _record(self, work: _Work) -> PollResult:
        if self._write_lock is None:
            return await self._record_unlocked(work)
        async with self._write_lock:
            return await self._record_unlocked(work)

    async def _record_unlocked(self, work: _Work) -> PollResult:
        for attempt in range(1, BUSY_ATTEMPTS + 1):
            try:
                return await self._write(work)
            except StoreBusyError as exc:
                busy = exc
                log.warning(
                    "%s; recording the poll of %s waits its turn (try %d of %d)",
                    exc,
                    work.feed.url,
                    attempt,
                    BUSY_ATTEMPTS,
                )
            except Exception as exc:
                return await self._record_failure(work, exc)
        # Nothing was written and the feed did nothing wrong: the next poll reads it again.
        return PollResult(work.feed.id, work.feed.url, "failed", work.feed.status, error=str(busy))

    async def _record_failure(self, work: _Work, exc: Exception) -> PollResult:
        log.exception(
            "recording a poll of %s failed; its entries come back next time", work.feed.url
        )
        error = f"processing failed: {exc!r}"[:300]
        state = failed(work.feed, error, work.now, self.policy, may_disable=False)
        try:
            async with self.store.transaction() as tx:
                await tx.feeds.record_poll(work.feed.id, state)
        except StoreBusyError as busy:
            return PollResult(work.feed.id, work.feed.url, "failed", error=f"{error}; {busy}")
        return PollResult(
            work.feed.id,
            work.feed.url,
            "failed",
            state.status,
            error=error,
            next_poll_at=state.next_poll_at,
        )

    async def _write(self, work: _Work) -> PollResult:
        feed, state, parsed = work.feed, work.state, work.parsed
        async with self.store.transaction() as tx:
            recorded = await tx.feeds.record_poll(feed.id, state)
            if recorded is None:
                return PollResult(
                    feed.id, feed.url, "skipped", error="removed or disabled meanwhile"
                )
            moved_to = recorded.url if recorded.url != feed.url else None
            newly_disabled = recorded.status == DISABLED and feed.status != DISABLED
            if newly_disabled and await log_feed_disabled(tx, recorded, now=work.now):
                tx.after_commit(self.on_logged)
            if not isinstance(parsed, ParsedFeed):
                outcome = "failed" if recorded.status != "ok" else _quiet_outcome(work.fetch)
                if recorded.status == DISABLED:
                    outcome = "disabled"
                return PollResult(
                    feed.id,
                    feed.url,
                    outcome,
                    recorded.status,
                    error=recorded.last_error,
                    next_poll_at=recorded.next_poll_at,
                    moved_to=moved_to,
                )
            sink = self.sink
            if work.ahead is not None:
                entries, sink = work.ahead.entries, work.ahead.sink
            else:
                items = self._unrecorded(feed.id, parsed.items)
                if items is None:
                    items = await _stored_fresh(tx, feed.id, parsed.items)
                # Only the new or retitled items are normalised in full: a changed feed
                # usually brings a few new entries among dozens already recorded.
                entries = [item.entry() for item in items]
            changes = await tx.feeds.upsert_entries(feed.id, entries, work.now)
            may_alert = alertable(feed, changes, work.now, self.policy)
            announcements: Sequence[Announcement] = ()
            if changes.stored:
                announcements = await sink(tx, recorded, changes.stored, may_alert)
        self._seen[feed.id] = array("q", sorted({hash((i.key, i.title)) for i in parsed.items}))
        return PollResult(
            feed.id,
            feed.url,
            "updated",
            recorded.status,
            entries=len(parsed.items),
            new=len(changes.inserted),
            changed=len(changes.stored) - len(changes.inserted),
            alertable=len(may_alert),
            announcements=tuple(announcements),
            next_poll_at=recorded.next_poll_at,
            moved_to=moved_to,
        )


def _quiet_outcome(fetch: FetchResult) -> str:
    return "not_modified" if fetch.status == 304 else "unchanged"


async def _stored_fresh(tx: Tx, feed_id: int, items: Sequence[Item]) -> list[Item]:
    """The items whose key, or title under that key, the store has not recorded for the
    feed (what `Poller._unrecorded` answers without a query once a poll is recorded)."""
    return fresh_items(items, await tx.feeds.known_titles(feed_id, [i.key for i in items]))
