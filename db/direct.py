"""The DM outbox: each alert about a followed show, once per following user.

Rows are queued in the transaction that records the alert (db/outbox.py), for every
follower whose follows are not paused; the delivery worker sends them with a nonce like
channel alerts. A DM channel belongs to one user, so the alert's id alone is a nonce
that is unique there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, Text, cast, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.records import DirectDelivery
from db.alert_payloads import change_from_json
from db.dialect import upsert
from db.schema.alerting import alerts, direct_deliveries
from db.schema.users import dm_pauses, follows
from db.sending import mark_failed, mark_retry, mark_sent

# Followers get every alert-worthy change and the reminder the day before, not the one on
# the day (bot/state/alerts.py names them).
NOT_FOR_FOLLOWERS = ("reminder_today",)


def fan_out_to_followers(
    connection: AsyncConnection,
    alert_ids: Sequence[int],
    now: datetime,
) -> Insert:
    """Queue DMs of these alerts for the followers of their shows whose follows are not
    paused (a DM already queued for an alert and user is left alone)."""
    query = (
        select(
            alerts.c.id,
            follows.c.user_id,
            literal("d") + cast(alerts.c.id, Text),
            literal("pending"),
            literal(0),
            literal(now, direct_deliveries.c.next_attempt_at.type),
            literal(now, direct_deliveries.c.created_at.type),
        )
        .join(follows, follows.c.show_id == alerts.c.show_id)
        .where(
            alerts.c.id.in_(alert_ids),
            alerts.c.event.not_in(NOT_FOR_FOLLOWERS),
            follows.c.user_id.not_in(select(dm_pauses.c.user_id)),
        )
    )
    columns = [
        "alert_id",
        "user_id",
        "nonce",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    ]
    statement: Insert = (
        upsert(connection, direct_deliveries)
        .from_select(columns, query)
        .on_conflict_do_nothing(index_elements=["alert_id", "user_id"])
    )
    return statement


_SELECT = select(direct_deliveries, alerts.c.payload).join(
    alerts, alerts.c.id == direct_deliveries.c.alert_id
)


def _direct(row: Any) -> DirectDelivery:
    return DirectDelivery(
        id=row.id,
        alert_id=row.alert_id,
        user_id=row.user_id,
        nonce=row.nonce,
        status=row.status,
        attempts=row.attempts,
        message_id=row.message_id,
        change=change_from_json(row.payload),
        last_error=row.last_error,
    )


class DirectDeliveryRepo:
    """DMs to send to followers, and how each went."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def due(self, now: datetime, limit: int = 100) -> list[DirectDelivery]:
        """Pending DMs whose time has come, oldest first."""
        query = (
            _SELECT.where(
                direct_deliveries.c.status == "pending",
                direct_deliveries.c.next_attempt_at <= now,
            )
            .order_by(direct_deliveries.c.next_attempt_at, direct_deliveries.c.id)
            .limit(limit)
        )
        return [_direct(row) for row in await self._c.execute(query)]

    async def for_user(self, user_id: int) -> list[DirectDelivery]:
        """Every DM queued for a user, oldest first (for tests and diagnostics)."""
        query = _SELECT.where(direct_deliveries.c.user_id == user_id).order_by(
            direct_deliveries.c.id
        )
        return [_direct(row) for row in await self._c.execute(query)]

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending DM is due, if any."""
        query = (
            select(direct_deliveries.c.next_attempt_at)
            .where(direct_deliveries.c.status == "pending")
            .order_by(direct_deliveries.c.next_attempt_at)
            .limit(1)
        )
        value = (await self._c.execute(query)).scalar_one_or_none()
        return value if isinstance(value, datetime) else None

    async def mark_sent(self, delivery_id: int, message_id: int | None, *, now: datetime) -> None:
        """The DM is sent."""
        await self._c.execute(
            mark_sent(direct_deliveries, direct_deliveries.c.id == delivery_id, message_id, now)
        )

    async def mark_retry(self, delivery_id: int, error: str, *, next_attempt_at: datetime) -> None:
        """Sending failed for a passing reason; try again later."""
        await self._c.execute(
            mark_retry(
                direct_deliveries, direct_deliveries.c.id == delivery_id, error, next_attempt_at
            )
        )

    async def mark_failed(self, delivery_id: int, error: str) -> None:
        """Sending failed for good."""
        await self._c.execute(
            mark_failed(direct_deliveries, direct_deliveries.c.id == delivery_id, error)
        )

    async def fail_pending_for_user(self, user_id: int, error: str) -> list[str]:
        """Give up every DM still to send to a user whose DMs refuse the bot; returns the
        shows they were about."""
        pending = _SELECT.where(
            direct_deliveries.c.user_id == user_id, direct_deliveries.c.status == "pending"
        ).order_by(direct_deliveries.c.id)
        names = [_direct(row).change.show for row in await self._c.execute(pending)]
        await self._c.execute(
            update(direct_deliveries)
            .where(direct_deliveries.c.user_id == user_id, direct_deliveries.c.status == "pending")
            .values(status="failed", last_error=error[:500])
        )
        return list(dict.fromkeys(names))
