"""Premiere reminders: an alert the day before and on the day of an official or reported
premiere date, posted at each server's reminder hour in the server's own timezone.

A sweep runs every quarter of an hour (every timezone's offset is a whole number of
quarters). For each season whose premiere is near, every watching server whose local time
has reached its reminder hour gets the reminder due on its local date, queued for its
watches of the show. The alert key holds the date and each watch gets an alert once, so a
repeated sweep or a restart never sends a second reminder, and a date that moved simply
stops matching (the new date gets reminders of its own). A server whose local day passed
while the bot was down misses that reminder rather than getting a stale one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.clock import Clock, utc_now
from bot.models import AlertChange
from bot.server_settings import ServerDefaults, settings_of
from bot.state.alerts import reminder_changes
from db.store import Store

log = logging.getLogger(__name__)

JOB_ID = "reminders"
# Local dates run from UTC-12 to UTC+14, so a premiere up to two UTC days ahead is
# "tomorrow" somewhere, and one a day behind is still "today" somewhere.
_DAYS_BEHIND = 1
_DAYS_AHEAD = 2


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


class ReminderSchedule:
    """Queues premiere reminders at each server's local reminder hour."""

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
        """Sweep every quarter of an hour."""
        every_quarter_hour(scheduler, JOB_ID, self.sweep)

    async def sweep(self) -> int:
        """Queue the reminders due now in each server's time; returns deliveries queued."""
        now = self._clock()
        today = now.date()
        queued = 0
        async with self._store.transaction() as tx:
            upcoming = await tx.shows.premieres_between(
                today - timedelta(days=_DAYS_BEHIND), today + timedelta(days=_DAYS_AHEAD)
            )
            watches = {show_id: await tx.watches.for_show(show_id) for show_id, _ in upcoming}
            guilds = {watch.guild_id for found in watches.values() for watch in found}
            servers = await settings_of(tx, self._defaults, guilds)
            for show_id, state in upcoming:
                due: dict[str, tuple[AlertChange, list[int]]] = {}
                for watch in watches[show_id]:
                    server = servers[watch.guild_id]
                    if not server.local_hour_passed(now, server.reminder_hour):
                        continue
                    for change in reminder_changes(state, today=server.today(now)):
                        due.setdefault(change.key, (change, []))[1].append(watch.id)
                for change, watch_ids in due.values():
                    queued += await tx.outbox.record_for_watches(
                        show_id, change, watch_ids, now=now
                    )
        if queued:
            log.info("queued %d premiere reminders", queued)
            self._on_queued()
        return queued
