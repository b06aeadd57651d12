"""Daily digests: a digest watch's alerts wait in the outbox ("held") and, at the server's
digest hour, everything a channel collected until then becomes one message.

Every quarter of an hour the held deliveries whose server's latest digest time has come
are bundled, per channel (per channel and show in a forum, whose posts are per show), into
one delivery that the worker sends like any alert: one message, one nonce, exactly once. A
day without news bundles nothing and so posts nothing; a digest time missed while the bot
was down is caught up at the next sweep.
"""

from __future__ import annotations

import logging
from datetime import date

from bot.alerts.quarter_hour import QuarterHourSchedule
from bot.models import TargetKind
from bot.server_settings import settings_of

log = logging.getLogger(__name__)


class DigestSchedule(QuarterHourSchedule):
    """Bundles held alerts into digests at each server's digest hour."""

    JOB_ID = "digests"

    async def run(self) -> int:
        """Bundle every digest that is due; returns how many digests were queued."""
        now = self._clock()
        async with self._store.transaction() as tx:
            held = await tx.outbox.held()
            servers = await settings_of(tx, self._defaults, {item.guild_id for item in held})
            bundles: dict[tuple[int, int | None], tuple[date, list[int]]] = {}
            for item in held:
                server = servers[item.guild_id]
                cutoff = server.latest_digest_moment(now)
                if item.created_at > cutoff:
                    continue  # news since the last digest time waits for the next one
                per_show = item.show_id if item.target is TargetKind.FORUM else None
                day = server.today(cutoff)
                bundles.setdefault((item.channel_id, per_show), (day, []))[1].append(item.id)
            for day, ids in bundles.values():
                await tx.outbox.bundle(ids, day=day, now=now)
        if bundles:
            log.info("queued %d digests", len(bundles))
            self._on_queued()
        return len(bundles)
