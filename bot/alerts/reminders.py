"""Premiere reminders: an alert the day before and on the day of an official or reported
premiere date, posted at each server's reminder hour in the server's own timezone.

A sweep runs every quarter of an hour (every timezone's offset is a whole number of
quarters). For each season whose premiere is near, every watching server whose local time
has reached its reminder hour gets the reminder due on its local date, queued for its
watches of the show. The alert key holds the date and each watch gets an alert once, so a
repeated sweep or a restart never sends a second reminder, and a date that moved simply
stops matching (the new date gets reminders of its own). A server whose local day passed
while the bot was down misses that reminder rather than getting a stale one.

People following a show by DM get the reminder the day before (not on the day), at
REMINDER_HOUR_UTC in UTC, with the same alert identity as the servers' reminders, so each
follower gets it once however many sweeps run.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.alerts.quarter_hour import QuarterHourSchedule
from bot.models import AlertChange
from bot.server_settings import settings_of
from bot.state.alerts import REMINDER_DAY_BEFORE, reminder_changes

log = logging.getLogger(__name__)

# Local dates run from UTC-12 to UTC+14, so a premiere up to two UTC days ahead is
# "tomorrow" somewhere, and one a day behind is still "today" somewhere.
_DAYS_BEHIND = 1
_DAYS_AHEAD = 2


class ReminderSchedule(QuarterHourSchedule):
    """Queues premiere reminders at each server's local reminder hour."""

    JOB_ID = "reminders"

    async def run(self) -> int:
        """Queue the reminders due now in each server's time; returns deliveries queued."""
        now = self._clock()
        today = now.date()
        queued = 0
        async with self._store.transaction() as tx:
            upcoming = await tx.shows.premieres_between(
                today - timedelta(days=_DAYS_BEHIND), today + timedelta(days=_DAYS_AHEAD)
            )
            watches = {show_id: await tx.watches.for_show(show_id) for show_id, _ in upcoming}
            followed = set(await tx.follows.followed_show_ids())
            followers_due = now.hour >= self._defaults.reminder_hour  # followers live in UTC
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
                if show_id in followed and followers_due:
                    for change in reminder_changes(state, today=today):
                        if change.event == REMINDER_DAY_BEFORE:
                            queued += await tx.outbox.record_for_followers(show_id, change, now=now)
        if queued:
            log.info("queued %d premiere reminders", queued)
            self._on_queued()
        return queued
