"""Recording alerts: an alert is recorded once per stable key (show|season|event|value),
whatever the number of outlets reporting it; recording it writes one delivery row per
active watch of the show that wants it (its alert and certainty filters) in the same
transaction, pending, or "held" for a digest watch (db/outbox.py sends and bundles them),
and queues it as a DM for the show's followers (db/direct.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Insert, Text, and_, case, cast, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import AlertChange, AlertFilter, Certainty, CertaintyFilter, DeliveryMode
from db.alert_payloads import change_to_json
from db.dialect import upsert
from db.direct import fan_out_to_followers
from db.schema.alerting import alerts, deliveries
from db.schema.servers import watches
from db.show_rows import season_key


def _wanted() -> ColumnElement[bool]:
    """Whether a watch wants an alert: its kind of news, and sure enough."""
    kinds = or_(
        watches.c.alerts == AlertFilter.ALL.value,
        *(
            and_(watches.c.alerts == kind.value, alerts.c.event.in_(sorted(kind.events)))
            for kind in (AlertFilter.STATUS, AlertFilter.DATES)
        ),
    )
    sure = or_(
        watches.c.certainty == CertaintyFilter.REPORTED.value,
        alerts.c.certainty == Certainty.OFFICIAL.value,
    )
    return and_(kinds, sure)


def _fan_out(
    connection: AsyncConnection,
    alert_ids: Sequence[int],
    now: datetime,
    watch_ids: Sequence[int] | None = None,
) -> Insert:
    """Queue deliveries of these alerts for the active watches of their shows that want
    them (only `watch_ids`, when given): pending, or held for a digest watch."""
    # Discord nonces are at most 25 characters: "a<alert>w<watch>" stays well within.
    nonce = literal("a") + cast(alerts.c.id, Text) + literal("w") + cast(watches.c.id, Text)
    status = case(
        (watches.c.mode == DeliveryMode.DIGEST.value, literal("held")), else_=literal("pending")
    )
    query = (
        select(
            alerts.c.id,
            watches.c.id,
            watches.c.channel_id,
            watches.c.role_id,
            nonce,
            status,
            literal(0),
            literal(now, deliveries.c.next_attempt_at.type),
            literal(now, deliveries.c.created_at.type),
        )
        .join(watches, watches.c.show_id == alerts.c.show_id)
        .where(alerts.c.id.in_(alert_ids), watches.c.disabled_reason.is_(None), _wanted())
    )
    if watch_ids is not None:
        query = query.where(watches.c.id.in_(watch_ids))
    columns = [
        "alert_id",
        "watch_id",
        "channel_id",
        "role_id",
        "nonce",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    ]
    statement: Insert = (
        upsert(connection, deliveries)
        .from_select(columns, query)
        .on_conflict_do_nothing(index_elements=["alert_id", "watch_id"])
    )
    return statement


def _alert_row(show_id: int, change: AlertChange, now: datetime) -> dict[str, Any]:
    return {
        "key": change.key,
        "show_id": show_id,
        "season": season_key(change.season),
        "event": change.event,
        "payload": change_to_json(change),
        "certainty": change.certainty.value,
        "created_at": now,
    }


class AlertRecordingMixin:
    """The recording part of `OutboxRepo` (db/outbox.py)."""

    _c: AsyncConnection

    async def record_alert(self, show_id: int, change: AlertChange, *, now: datetime) -> int:
        """Record an alert-worthy change and queue it for every active watch of the show.
        A change whose key was recorded before queues nothing. Returns the number of
        deliveries queued."""
        return await self.record_alerts([(show_id, change)], now=now)

    async def record_alerts(
        self, changes: Sequence[tuple[int, AlertChange]], *, now: datetime
    ) -> int:
        """`record_alert` for many changes, in three statements: insert the alerts whose
        keys are new, then fan those out to their shows' active watches and followers.
        The count includes the DMs queued."""
        if not changes:
            return 0
        inserted = await self._c.execute(
            upsert(self._c, alerts)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(alerts.c.id),
            [_alert_row(show_id, change, now) for show_id, change in changes],
        )
        alert_ids = [int(row[0]) for row in inserted]
        if not alert_ids:
            return 0
        result = await self._c.execute(_fan_out(self._c, alert_ids, now))
        direct = await self._c.execute(fan_out_to_followers(self._c, alert_ids, now))
        return int(result.rowcount or 0) + int(direct.rowcount or 0)

    async def _alert_id(self, show_id: int, change: AlertChange, now: datetime) -> int:
        """The alert's id, recording it first if its key is new."""
        await self._c.execute(
            upsert(self._c, alerts)
            .values(_alert_row(show_id, change, now))
            .on_conflict_do_nothing(index_elements=["key"])
        )
        found = await self._c.execute(select(alerts.c.id).where(alerts.c.key == change.key))
        return int(found.scalar_one())

    async def record_for_followers(
        self, show_id: int, change: AlertChange, *, now: datetime
    ) -> int:
        """Record an alert (once, by key) and queue it as a DM for the show's followers,
        e.g. a premiere reminder. A follower who had it queued before gets nothing new.
        Returns the DMs queued."""
        alert_id = await self._alert_id(show_id, change, now)
        result = await self._c.execute(fan_out_to_followers(self._c, [alert_id], now))
        return int(result.rowcount or 0)

    async def record_for_watches(
        self, show_id: int, change: AlertChange, watch_ids: Sequence[int], *, now: datetime
    ) -> int:
        """Record an alert (once, by key) and queue it for these watches only, e.g. a
        premiere reminder that is due in some servers' local time and not yet in others'.
        A watch that had it queued before gets nothing new. Returns deliveries queued."""
        if not watch_ids:
            return 0
        alert_id = await self._alert_id(show_id, change, now)
        result = await self._c.execute(_fan_out(self._c, [alert_id], now, watch_ids))
        return int(result.rowcount or 0)
