"""Polling on a schedule: one APScheduler job per feed, spread over the interval.

Each feed's job runs every POLL_INTERVAL_MINUTES at an offset inside the interval taken
from a hash of its URL, so that 500 feeds do not all start at once and a feed keeps its
slot across restarts. Jobs coalesce missed runs and never overlap (`max_instances=1`).

The scheduler itself is created, started and shut down by the bot's wiring; this module
only adds and removes jobs on it. `FeedSchedule.start` builds the jobs from the store and
adds a job that reconciles them with the store every interval (feeds added or removed by
the CLI in another process, enabled or disabled). Slash commands that add or remove a feed
call `add`/`remove` so the change applies at once.

Shutdown: `await schedule.shutdown()` removes the jobs, waits up to a grace period for
polls under way, cancels what is left (abandoning fetches; a started write transaction
still finishes) and waits for the writes. Then shut the scheduler down and close the
fetcher and the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.feeds.decide import DISABLED
from bot.feeds.poller import Poller
from bot.records import FeedRecord
from db.store import Store

log = logging.getLogger(__name__)

# Offsets count from a fixed instant, so a feed's slot does not move with restarts.
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_JOB_PREFIX = "feed:"
SYNC_JOB = "feeds:sync"


def poll_offset(url: str, interval: timedelta) -> timedelta:
    """The feed's stable offset inside the interval, from a hash of its URL."""
    seconds = max(1, int(interval.total_seconds()))
    digest = hashlib.sha256(url.encode()).digest()
    return timedelta(seconds=int.from_bytes(digest[:8], "big") % seconds)


def job_id(feed_id: int) -> str:
    """The scheduler job id of a feed's polls."""
    return f"{_JOB_PREFIX}{feed_id}"


class FeedSchedule:
    """Keeps one polling job per enabled feed on an APScheduler (AsyncIOScheduler)."""

    def __init__(
        self,
        scheduler: BaseScheduler,
        poller: Poller,
        store: Store,
        *,
        interval: timedelta,
        jobstore: str = "default",
    ) -> None:
        self.scheduler = scheduler
        self.poller = poller
        self.store = store
        self.interval = interval
        self.jobstore = jobstore  # must be a memory store: jobs hold bound methods
        self._tasks: set[asyncio.Future[Any]] = set()
        self._closing = False

    async def start(self) -> int:
        """Build the jobs from the store (replacing any) and the reconciling job; returns
        the number of feeds scheduled."""
        count = await self.sync()
        self.scheduler.add_job(
            self._sync_job,
            IntervalTrigger(seconds=self.interval.total_seconds(), timezone=UTC),
            id=SYNC_JOB,
            name="reconcile feed jobs with the store",
            jobstore=self.jobstore,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
        return count

    def add(self, feed: FeedRecord) -> None:
        """Schedule (or reschedule) a feed's polls; a disabled feed is unscheduled."""
        if feed.status == DISABLED:
            self.remove(feed.id)
            return
        seconds = self.interval.total_seconds()
        self.scheduler.add_job(
            self._poll_job,
            IntervalTrigger(
                seconds=seconds,
                start_date=_EPOCH + poll_offset(feed.url, self.interval),
                timezone=UTC,
            ),
            args=(feed.id,),
            id=job_id(feed.id),
            name=f"poll {feed.url}",
            jobstore=self.jobstore,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(seconds // 2)),
            replace_existing=True,
        )

    def remove(self, feed_id: int) -> None:
        """Stop polling a feed (no error if it had no job)."""
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id(feed_id), jobstore=self.jobstore)

    def poll_soon(self, feed_id: int) -> None:
        """Poll a feed now, outside its slot (e.g. just after it was added), so that its
        first entries are recorded without waiting for the interval."""
        if not self._closing:
            self._track(asyncio.ensure_future(self.poller.poll_feed(feed_id, force=True)))

    def scheduled(self) -> set[int]:
        """The ids of the feeds that have a job."""
        return {
            int(job.id.removeprefix(_JOB_PREFIX))
            for job in self.scheduler.get_jobs(jobstore=self.jobstore)
            if job.id.startswith(_JOB_PREFIX)
        }

    async def sync(self) -> int:
        """Make the jobs match the store: a job for every enabled feed (rescheduled when its
        URL changed), none for removed or disabled ones. Returns the number scheduled."""
        async with self.store.read() as tx:
            feeds = await tx.feeds.list()
        wanted = {feed.id: feed for feed in feeds if feed.status != DISABLED}
        jobs = {
            job.id: job
            for job in self.scheduler.get_jobs(jobstore=self.jobstore)
            if job.id.startswith(_JOB_PREFIX)
        }
        for feed_id in self.scheduled() - wanted.keys():
            self.remove(feed_id)
        for feed in wanted.values():
            job = jobs.get(job_id(feed.id))
            if job is None or job.name != f"poll {feed.url}":
                self.add(feed)
        return len(wanted)

    async def shutdown(self, grace: float = 10.0) -> None:
        """Stop scheduling polls, let the ones under way finish for up to `grace` seconds,
        cancel the rest, and wait until no write transaction is open."""
        self._closing = True
        for feed_id in self.scheduled():
            self.remove(feed_id)
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(SYNC_JOB, jobstore=self.jobstore)
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
        await self.poller.drain()

    def _track(self, task: asyncio.Future[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _poll_job(self, feed_id: int) -> None:
        if self._closing:
            return
        # The poll runs in a task of its own that shutdown can wait for or cancel.
        poll = asyncio.ensure_future(self.poller.poll_feed(feed_id))
        self._track(poll)
        try:
            await poll
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if not self._closing or (current is not None and current.cancelling()):
                raise  # cancelled from outside, not by our shutdown

    async def _sync_job(self) -> None:
        if self._closing:
            return
        try:
            await self.sync()
        except Exception:
            log.exception("reconciling feed jobs with the store failed")
