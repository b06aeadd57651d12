"""Premiere reminders: an alert the day before and on the day of an official or reported
premiere date, for the channels watching the show.

Each reminder is an APScheduler date job whose id names the show, season and kind, so
placing it again after a date change moves it (replace_existing). Jobs are rebuilt from the
store at start. When a job fires it checks the stored state again, and the alert key holds
the date, so a stale job or a repeated run never sends a wrong or second reminder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock, utc_now
from bot.models import Certainty, SeasonState
from bot.state.alerts import reminder_changes
from db.store import Store

log = logging.getLogger(__name__)

KINDS = {"reminder_day_before": 1, "reminder_today": 0}  # days before the premiere
HORIZON_DAYS = 366


class ReminderSchedule:
    """Places, moves and fires premiere reminder jobs."""

    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        store: Store,
        *,
        hour_utc: int = 14,
        clock: Clock = utc_now,
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self._scheduler = scheduler
        self._store = store
        self._hour = hour_utc
        self._clock = clock
        self._on_queued = on_queued

    async def rebuild(self) -> int:
        """Place a job for every known upcoming premiere date; returns how many."""
        today = self._clock().date()
        async with self._store.read() as tx:
            upcoming = await tx.shows.premieres_between(today, today + timedelta(days=HORIZON_DAYS))
        return sum(self.place(show_id, state) for show_id, state in upcoming)

    def place(self, show_id: int, state: SeasonState) -> int:
        """(Re)place the reminders of one season after its state changed; returns how
        many jobs are now scheduled for it."""
        placed = 0
        now = self._clock()
        for kind, days_before in KINDS.items():
            job_id = f"reminder:{show_id}:{state.season or 0}:{kind}"
            day = state.premiere_date
            if day is None or state.premiere_certainty not in (
                Certainty.OFFICIAL,
                Certainty.REPORTED,
            ):
                self._remove(job_id)
                continue
            remind_on = day - timedelta(days=days_before)
            run_at = datetime.combine(remind_on, time(self._hour), tzinfo=UTC)
            if run_at < now:
                if remind_on != now.date():
                    self._remove(job_id)
                    continue
                run_at = now + timedelta(seconds=1)  # due today but the hour passed: now
            self._scheduler.add_job(
                self.fire,
                DateTrigger(run_date=run_at),
                id=job_id,
                args=[show_id, state.season, day],
                replace_existing=True,
                misfire_grace_time=12 * 3600,
                coalesce=True,
            )
            placed += 1
        return placed

    def _remove(self, job_id: str) -> None:
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    async def fire(self, show_id: int, season: int | None, day: date) -> int:
        """Queue the reminder(s) due now for one season; returns deliveries queued."""
        now = self._clock()
        queued = 0
        async with self._store.transaction() as tx:
            state = await tx.shows.state(show_id, season)
            if state is None or state.premiere_date != day:
                return 0  # the date moved; the moved job will remind
            for change in reminder_changes(state, today=now.date()):
                queued += await tx.outbox.record_alert(show_id, change, now=now)
        if queued:
            log.info("queued %d premiere reminders for show %s season %s", queued, show_id, season)
            self._on_queued()
        return queued
