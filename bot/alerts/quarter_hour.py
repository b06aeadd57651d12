"""Jobs that run every quarter of an hour over the store, for each server in its own time:
every timezone's offset is a whole number of quarters, so a quarter-hourly run meets each
server's local hour (reminders, digests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import ClassVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.clock import Clock, utc_now
from bot.server_settings import ServerDefaults
from db.store import Store


def every_quarter_hour(scheduler: AsyncIOScheduler, job_id: str, job: Callable[[], object]) -> None:
    """Run `job` at :00, :15, :30 and :45 UTC (once, if several runs were missed)."""
    scheduler.add_job(
        job,
        CronTrigger(minute="*/15", timezone=UTC),
        id=job_id,
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=600,
    )


class QuarterHourSchedule:
    """A quarter-hourly job over the store that queues deliveries (`run`), and calls
    `on_queued` so the delivery worker wakes for them."""

    JOB_ID: ClassVar[str]

    def __init__(
        self,
        store: Store,
        *,
        defaults: ServerDefaults,
        clock: Clock = utc_now,
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._defaults = defaults
        self._clock = clock
        self._on_queued = on_queued

    def start(self, scheduler: AsyncIOScheduler) -> None:
        """Place the job on the scheduler (replacing an earlier one)."""
        every_quarter_hour(scheduler, self.JOB_ID, self.run)

    async def run(self) -> int:
        """Do what is due now; returns how many deliveries were queued."""
        raise NotImplementedError
