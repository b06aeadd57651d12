"""Alerts and the delivery outbox.

An alert is recorded once per stable key (show|season|event|value), whatever the number of
outlets reporting it; recording it writes one delivery row per active watch of the show in
the same transaction. The delivery worker sends due rows and marks them; each row carries a
nonce sent with `enforce_nonce`, so a resend after a crash between "sent" and "marked sent"
returns Discord's original message instead of posting a second one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import AlertChange, Certainty, Source
from bot.records import Delivery
from db.dialect import upsert
from db.schema import alerts, deliveries, watches
from db.shows import season_key


def change_to_json(change: AlertChange) -> str:
    """Serialise an alert for the outbox."""
    source = change.source
    return json.dumps(
        {
            "show": change.show,
            "season": change.season,
            "event": change.event,
            "value": change.value,
            "certainty": change.certainty.value,
            "network": change.network,
            "extra": change.extra,
            "source": {
                "outlet": source.outlet,
                "link": source.link,
                "title": source.title,
                "published": source.published.isoformat() if source.published else None,
            },
        }
    )


def change_from_json(text: str) -> AlertChange:
    """Read back an alert serialised by `change_to_json`."""
    data = json.loads(text)
    source = data["source"]
    return AlertChange(
        show=data["show"],
        season=data["season"],
        event=data["event"],
        value=data["value"],
        certainty=Certainty(data["certainty"]),
        network=data.get("network"),
        extra=dict(data.get("extra") or {}),
        source=Source(
            outlet=source["outlet"],
            link=source.get("link"),
            title=source.get("title", ""),
            published=datetime.fromisoformat(source["published"])
            if source.get("published")
            else None,
        ),
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        alert_id=row.alert_id,
        watch_id=row.watch_id,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        role_id=row.role_id,
        nonce=row.nonce,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        message_id=row.message_id,
        change=change_from_json(row.payload),
    )


_SELECT = (
    select(deliveries, alerts.c.payload, watches.c.guild_id)
    .join(alerts, alerts.c.id == deliveries.c.alert_id)
    .join(watches, watches.c.id == deliveries.c.watch_id)
)


class OutboxRepo:
    """Alerts (one per real event) and their deliveries (one per watching channel)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def record_alert(self, show_id: int, change: AlertChange, *, now: datetime) -> int:
        """Record an alert-worthy change and queue it for every active watch of the show.
        A change whose key was recorded before queues nothing. Returns the number of
        deliveries queued."""
        return await self.record_alerts([(show_id, change)], now=now)

    async def record_alerts(
        self, changes: Sequence[tuple[int, AlertChange]], *, now: datetime
    ) -> int:
        """`record_alert` for many changes, in two statements: insert the alerts whose keys
        are new, then fan those out to their shows' active watches."""
        if not changes:
            return 0
        rows = [
            {
                "key": change.key,
                "show_id": show_id,
                "season": season_key(change.season),
                "event": change.event,
                "payload": change_to_json(change),
                "created_at": now,
            }
            for show_id, change in changes
        ]
        inserted = await self._c.execute(
            upsert(self._c, alerts)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(alerts.c.id),
            rows,
        )
        alert_ids = [int(row[0]) for row in inserted]
        if not alert_ids:
            return 0
        # Discord nonces are at most 25 characters: "a<alert>w<watch>" stays well within.
        nonce = literal("a") + cast(alerts.c.id, Text) + literal("w") + cast(watches.c.id, Text)
        fan_out = (
            select(
                alerts.c.id,
                watches.c.id,
                watches.c.channel_id,
                watches.c.role_id,
                nonce,
                literal("pending"),
                literal(0),
                literal(now, deliveries.c.next_attempt_at.type),
                literal(now, deliveries.c.created_at.type),
            )
            .join(watches, watches.c.show_id == alerts.c.show_id)
            .where(alerts.c.id.in_(alert_ids), watches.c.disabled_reason.is_(None))
        )
        result = await self._c.execute(
            upsert(self._c, deliveries)
            .from_select(
                [
                    "alert_id",
                    "watch_id",
                    "channel_id",
                    "role_id",
                    "nonce",
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "created_at",
                ],
                fan_out,
            )
            .on_conflict_do_nothing(index_elements=["alert_id", "watch_id"])
        )
        return int(result.rowcount or 0)

    async def due(self, now: datetime, limit: int = 100) -> list[Delivery]:
        """Pending deliveries whose time has come, oldest first."""
        query = (
            _SELECT.where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now)
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            .limit(limit)
        )
        return [_delivery(row) for row in await self._c.execute(query)]

    async def get(self, delivery_id: int) -> Delivery | None:
        """One delivery by id."""
        row = (await self._c.execute(_SELECT.where(deliveries.c.id == delivery_id))).first()
        return None if row is None else _delivery(row)

    async def for_channel(self, channel_id: int) -> list[Delivery]:
        """Every delivery to a channel, oldest first (for tests and diagnostics)."""
        query = _SELECT.where(deliveries.c.channel_id == channel_id).order_by(deliveries.c.id)
        return [_delivery(row) for row in await self._c.execute(query)]

    async def mark_sent(self, delivery_id: int, message_id: int | None, *, now: datetime) -> None:
        """The message is in the channel."""
        await self._c.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .values(
                status="sent",
                message_id=message_id,
                sent_at=now,
                last_error=None,
                attempts=deliveries.c.attempts + 1,
            )
        )

    async def mark_retry(self, delivery_id: int, error: str, *, next_attempt_at: datetime) -> None:
        """Sending failed for a passing reason; try again later."""
        await self._c.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .values(
                last_error=error[:500],
                next_attempt_at=next_attempt_at,
                attempts=deliveries.c.attempts + 1,
            )
        )

    async def postpone(self, delivery_id: int, next_attempt_at: datetime) -> None:
        """Try later without counting an attempt (an earlier alert to the channel failed)."""
        await self._c.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id, deliveries.c.status == "pending")
            .values(next_attempt_at=next_attempt_at)
        )

    async def mark_failed(self, delivery_id: int, error: str) -> None:
        """Sending failed for good (channel gone, permission lost, too many attempts)."""
        await self._c.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .values(status="failed", last_error=error[:500], attempts=deliveries.c.attempts + 1)
        )

    async def fail_pending_for_channel(self, channel_id: int, error: str) -> int:
        """Give up every pending delivery to a channel Discord refuses."""
        result = await self._c.execute(
            update(deliveries)
            .where(deliveries.c.channel_id == channel_id, deliveries.c.status == "pending")
            .values(status="failed", last_error=error[:500])
        )
        return int(result.rowcount or 0)

    async def counts(self) -> dict[str, int]:
        """Deliveries per status."""
        query = select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
        return {status: int(n) for status, n in await self._c.execute(query)}

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending delivery is due, if any."""
        query = select(func.min(deliveries.c.next_attempt_at)).where(
            deliveries.c.status == "pending"
        )
        value = (await self._c.execute(query)).scalar_one_or_none()
        return value if isinstance(value, datetime) else None
