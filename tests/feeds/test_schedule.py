from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.feeds.decide import PollPolicy
from bot.feeds.fetch import FeedFetcher
from bot.feeds.poller import Poller
from bot.feeds.schedule import SYNC_JOB, FeedSchedule, job_id, poll_offset
from bot.records import FeedRecord
from db.store import Store
from tests.feeds.conftest import RecordingSink
from tests.feeds.feed_server import FeedServer, fixture

INTERVAL = timedelta(minutes=10)


@pytest.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    """A started scheduler that runs no job: the tests call what the jobs would."""
    started = AsyncIOScheduler(timezone=UTC)
    started.start(paused=True)
    yield started
    started.shutdown(wait=False)


def schedule_for(
    scheduler: AsyncIOScheduler, store: Store, fetcher: FeedFetcher, sink: RecordingSink
) -> FeedSchedule:
    poller = Poller(store, fetcher, sink, PollPolicy(interval=INTERVAL))
    return FeedSchedule(scheduler, poller, store, interval=INTERVAL)


async def add(store: Store, url: str) -> FeedRecord:
    async with store.transaction() as tx:
        return await tx.feeds.add(url)


def test_offsets_are_stable_and_inside_the_interval() -> None:
    urls = [f"https://outlet{n}.example/feed/" for n in range(200)]
    offsets = [poll_offset(url, INTERVAL) for url in urls]
    assert offsets == [poll_offset(url, INTERVAL) for url in urls]
    assert all(timedelta(0) <= offset < INTERVAL for offset in offsets)
    assert len({offset.seconds // 60 for offset in offsets}) == 10  # every minute gets some


async def test_jobs_are_built_from_the_store(
    sqlite_store: Store, scheduler: AsyncIOScheduler, fetcher: FeedFetcher, sink: RecordingSink
) -> None:
    one = await add(sqlite_store, "https://one.example/feed/")
    two = await add(sqlite_store, "https://two.example/feed/")
    off = await add(sqlite_store, "https://off.example/feed/")
    async with sqlite_store.transaction() as tx:
        await tx.feeds.set_enabled(off.url, False)
    schedule = schedule_for(scheduler, sqlite_store, fetcher, sink)
    assert await schedule.start() == 2
    assert schedule.scheduled() == {one.id, two.id}
    job = scheduler.get_job(job_id(one.id))
    assert job is not None
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == INTERVAL
    # The next run falls on the feed's offset within the interval, whenever we started.
    since_epoch = job.next_run_time - datetime(2024, 1, 1, tzinfo=UTC)
    assert since_epoch % INTERVAL == poll_offset(one.url, INTERVAL)
    assert timedelta(0) < job.next_run_time - datetime.now(UTC) <= INTERVAL
    assert scheduler.get_job(SYNC_JOB) is not None
    await schedule.shutdown()


async def test_adding_removing_and_syncing(
    sqlite_store: Store, scheduler: AsyncIOScheduler, fetcher: FeedFetcher, sink: RecordingSink
) -> None:
    schedule = schedule_for(scheduler, sqlite_store, fetcher, sink)
    await schedule.start()
    assert schedule.scheduled() == set()
    feed = await add(sqlite_store, "https://one.example/feed/")
    schedule.add(feed)
    assert schedule.scheduled() == {feed.id}
    schedule.remove(feed.id)
    schedule.remove(feed.id)  # removing twice is fine
    assert schedule.scheduled() == set()
    # Feeds added or removed elsewhere (the CLI) are picked up by the sync.
    other = await add(sqlite_store, "https://two.example/feed/")
    await schedule.sync()
    assert schedule.scheduled() == {feed.id, other.id}
    async with sqlite_store.transaction() as tx:
        await tx.feeds.remove(feed.url)
        await tx.feeds.set_enabled(other.url, False)
    await schedule.sync()
    assert schedule.scheduled() == set()
    await schedule.shutdown()


async def test_shutdown_lets_polls_under_way_finish(
    sqlite_store: Store,
    scheduler: AsyncIOScheduler,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
) -> None:
    feed_server.slow("/slow", fixture("wordpress.xml"), delay=0.2)
    feed = await add(sqlite_store, feed_server.url("/slow"))
    schedule = schedule_for(scheduler, sqlite_store, fetcher, sink)
    await schedule.start()
    schedule.poll_soon(feed.id)
    await feed_server.arrival("/slow")  # the request is under way
    await schedule.shutdown(grace=10)
    assert schedule.scheduled() == set()
    assert scheduler.get_job(SYNC_JOB) is None
    async with sqlite_store.read() as tx:
        assert (await tx.feeds.get(feed.id)).initialised
        assert len(await tx.feeds.entries(feed.id)) == 3
    assert len(sink.calls) == 1


async def test_shutdown_abandons_polls_past_the_grace_period(
    sqlite_store: Store,
    scheduler: AsyncIOScheduler,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
) -> None:
    feed_server.slow("/slow", fixture("wordpress.xml"), delay=5)
    feed = await add(sqlite_store, feed_server.url("/slow"))
    schedule = schedule_for(scheduler, sqlite_store, fetcher, sink)
    await schedule.start()
    schedule.poll_soon(feed.id)
    await feed_server.arrival("/slow")
    await schedule.shutdown(grace=0.05)
    # The fetch was abandoned before anything was written: the feed is as it was.
    async with sqlite_store.read() as tx:
        stored = await tx.feeds.get(feed.id)
        assert stored.last_polled_at is None and not stored.initialised
        assert await tx.feeds.entries(feed.id) == []
    schedule.poll_soon(feed.id)  # ignored once shut down
    assert sink.calls == []


async def test_a_feed_job_polls_its_feed(
    sqlite_store: Store,
    scheduler: AsyncIOScheduler,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
) -> None:
    feed_server.feed("/feed", fixture("rdf.xml"))
    feed = await add(sqlite_store, feed_server.url("/feed"))
    schedule = schedule_for(scheduler, sqlite_store, fetcher, sink)
    await schedule.start()
    job = scheduler.get_job(job_id(feed.id))
    assert job is not None
    await job.func(*job.args)  # what the scheduler runs at the feed's slot
    assert [len(call.entries) for call in sink.calls] == [2]
    await schedule.shutdown()
    await job.func(*job.args)  # a run that was already due when shutting down does nothing
    assert len(feed_server.requests_to("/feed")) == 1
