"""When the TVmaze syncs run inside `python -m bot run`: the index daily, the updates and
the premiere listings hourly (the first updates a minute after start, so a fresh install
fills its mirror without delaying start-up). Jobs never overlap (one sync at a time, see
sync.py), and a sync under way at shutdown is cancelled: each page or batch is its own
transaction, so a cancelled sync loses nothing it had stored and resumes next time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.tvmaze.client import TvmazeError
from bot.tvmaze.sync import CatalogueSync

log = logging.getLogger(__name__)

JOB_IDS = ("tvmaze:index", "tvmaze:updates", "tvmaze:premieres")


class CatalogueSchedule:
    """The TVmaze jobs on the bot's scheduler."""

    def __init__(
        self, scheduler: BaseScheduler, sync: CatalogueSync, *, first_delay: float = 60.0
    ) -> None:
        self.scheduler = scheduler
        self.sync = sync
        self.first_delay = first_delay
        self._tasks: set[asyncio.Task[Any]] = set()

    def start(self) -> None:
        """Add the jobs."""
        now = datetime.now(UTC)
        runs: dict[str, tuple[Callable[[], Awaitable[object]], timedelta, datetime]] = {
            "tvmaze:index": (self.sync.index, timedelta(days=1), now + timedelta(days=1)),
            "tvmaze:updates": (
                self.sync.updates,
                timedelta(hours=1),
                now + timedelta(seconds=self.first_delay),
            ),
            "tvmaze:premieres": (
                self.sync.premieres,
                timedelta(hours=1),
                now + timedelta(seconds=self.first_delay * 2),
            ),
        }
        for job_id, (run, every, first) in runs.items():
            self.scheduler.add_job(
                self._run,
                IntervalTrigger(seconds=every.total_seconds(), start_date=first, timezone=UTC),
                args=(job_id, run),
                id=job_id,
                name=f"TVmaze {job_id.split(':')[1]}",
                coalesce=True,
                max_instances=1,
                replace_existing=True,
            )

    async def _run(self, job_id: str, run: Callable[[], Awaitable[object]]) -> None:
        task = asyncio.ensure_future(run())
        self._tasks.add(task)
        try:
            await task
        except TvmazeError as error:
            log.warning("%s did not finish: %s (it runs again on schedule)", job_id, error)
        except asyncio.CancelledError:
            log.info("%s stopped for shutdown", job_id)
        finally:
            self._tasks.discard(task)

    async def stop(self) -> None:
        """Remove the jobs and cancel a sync under way."""
        for job_id in JOB_IDS:
            with contextlib.suppress(Exception):
                self.scheduler.remove_job(job_id)
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
