"""A poll whose write finds another process writing to SQLite waits its turn; if it never
gets it, it records nothing and blames no feed."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.feeds.fetch import FeedFetcher
from bot.feeds.poller import BUSY_ATTEMPTS
from db.store import Store
from tests.conftest import sqlite_write_lock_held
from tests.feeds.conftest import ManualClock, RecordingSink
from tests.feeds.feed_server import FeedServer, fixture
from tests.feeds.test_poller import add, get, poller


class _WaitingTurn(logging.Handler):
    """Sets `seen` when the poller logs that a write waits its turn."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "waits its turn" in record.getMessage():
            self.seen.set()


async def test_a_poll_waits_its_turn_while_another_process_writes(
    tmp_path: Path,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    path = tmp_path / "shared.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}", busy_timeout=0.1)
    try:
        feed_server.feed("/wp", fixture("wordpress.xml"))
        feed = await add(store, feed_server.url("/wp"))
        waiting = _WaitingTurn()
        logging.getLogger("bot.feeds.poller").addHandler(waiting)
        try:
            with sqlite_write_lock_held(path) as holder:
                polling = asyncio.create_task(
                    poller(store, fetcher, sink, clock).poll_feed(feed.id)
                )
                await asyncio.wait_for(waiting.seen.wait(), 10)
                holder.execute("ROLLBACK")  # the other process is done
                result = await polling
        finally:
            logging.getLogger("bot.feeds.poller").removeHandler(waiting)
        assert (result.outcome, result.new) == ("updated", 3)
        assert (await get(store, feed.id)).failures == 0
    finally:
        await store.close()


async def test_a_poll_that_never_gets_the_lock_loses_nothing_and_blames_no_feed(
    tmp_path: Path,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "shared.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}", busy_timeout=0.1)
    try:
        feed_server.feed("/wp", fixture("wordpress.xml"))
        feed = await add(store, feed_server.url("/wp"))
        polls = poller(store, fetcher, sink, clock)
        with sqlite_write_lock_held(path):
            result = await polls.poll_feed(feed.id)
        assert result.outcome == "failed"
        assert result.error is not None and result.error.startswith("the database is busy: ")
        assert sum("waits its turn" in r.getMessage() for r in caplog.records) == BUSY_ATTEMPTS
        stored = await get(store, feed.id)
        assert (stored.status, stored.failures, stored.initialised) == ("ok", 0, False)
        again = await polls.poll_feed(feed.id)  # the same entries, recorded this time
        assert (again.outcome, again.new) == ("updated", 3)
    finally:
        await store.close()
