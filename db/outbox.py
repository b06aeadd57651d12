"""Alerts and the delivery outbox.

Recording an alert queues its delivery rows (db/alert_recording.py). The delivery worker
claims due rows, sends them and marks them; each row carries a nonce sent with
`enforce_nonce`, so a resend after a crash between "sent" and "marked sent" returns
Discord's original message instead of posting a second one.

Digest watches queue their rows as "held". At the server's digest hour the held rows of a
channel (of a channel and show, for a forum) are bundled: the oldest becomes the digest's
lead (pending, with its `digest_day`), the others point at it (`bundle_id`) and are marked
with it, so the digest is one message with one nonce, sent exactly once like any alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import TargetKind
from bot.records import Delivery, HeldDelivery
from db.alert_payloads import change_from_json
from db.alert_recording import AlertRecordingMixin
from db.schema.alerting import alerts, deliveries
from db.schema.servers import forum_posts, watches
from db.sending import mark_failed, mark_retry, mark_sent


def _delivery(row: Any, digest: Sequence[tuple[int | None, str]] = ()) -> Delivery:
    roles = dict.fromkeys(role for role, _ in digest if role is not None)
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
        show_id=row.show_id,
        target=TargetKind(row.target),
        post_thread_id=row.post_thread_id,
        post_started_at=row.post_started_at,
        digest_day=row.digest_day,
        digest=tuple(change_from_json(payload) for _, payload in digest),
        digest_role_ids=tuple(roles),
    )


_SELECT = (
    select(
        deliveries,
        alerts.c.payload,
        alerts.c.show_id,
        watches.c.guild_id,
        watches.c.target,
        forum_posts.c.thread_id.label("post_thread_id"),
        forum_posts.c.started_at.label("post_started_at"),
    )
    .join(alerts, alerts.c.id == deliveries.c.alert_id)
    .join(watches, watches.c.id == deliveries.c.watch_id)
    .outerjoin(
        forum_posts,
        and_(
            watches.c.target == TargetKind.FORUM.value,
            forum_posts.c.channel_id == deliveries.c.channel_id,
            forum_posts.c.show_id == alerts.c.show_id,
        ),
    )
)

# A delivery marked, postponed or given up is nobody's any more.
_UNCLAIMED: dict[str, Any] = {"claimed_by": None, "claimed_until": None}


def _this_or_its_bundle(delivery_id: int) -> ColumnElement[bool]:
    # A digest's lead is marked with every delivery it carries.
    return or_(deliveries.c.id == delivery_id, deliveries.c.bundle_id == delivery_id)


class OutboxRepo(AlertRecordingMixin):
    """Alerts (one per real event) and their deliveries (one per watching channel)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def _load(self, query: Any) -> list[Delivery]:
        rows = list(await self._c.execute(query))
        leads = [row.id for row in rows if row.digest_day is not None]
        bundles: dict[int, list[tuple[int | None, str]]] = {}
        if leads:
            members = (
                select(deliveries.c.bundle_id, deliveries.c.role_id, alerts.c.payload)
                .join(alerts, alerts.c.id == deliveries.c.alert_id)
                .where(deliveries.c.bundle_id.in_(leads))
                .order_by(deliveries.c.id)
            )
            for lead, role_id, payload in await self._c.execute(members):
                bundles.setdefault(lead, []).append((role_id, payload))
        return [_delivery(row, bundles.get(row.id, ())) for row in rows]

    async def due(self, now: datetime, limit: int = 100) -> list[Delivery]:
        """Pending deliveries whose time has come, oldest first."""
        query = (
            _SELECT.where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now)
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            .limit(limit)
        )
        return await self._load(query)

    async def claim_due(
        self, now: datetime, *, owner: str, until: datetime, limit: int = 100
    ) -> list[Delivery]:
        """Claim for `owner` until `until` the pending deliveries due now, oldest first,
        that no other worker has a live claim on, and return them. A channel with a
        delivery claimed by another worker is skipped whole, so its alerts keep their
        order across a takeover. Concurrent claimers get disjoint rows (SKIP LOCKED on
        PostgreSQL; SQLite runs one writer at a time)."""
        pending = deliveries.c.status == "pending"
        held_elsewhere = and_(
            pending, deliveries.c.claimed_by != owner, deliveries.c.claimed_until > now
        )
        busy_channels = select(deliveries.c.channel_id).where(held_elsewhere)
        pick = (
            select(deliveries.c.id)
            .where(
                pending,
                deliveries.c.next_attempt_at <= now,
                or_(
                    deliveries.c.claimed_until.is_(None),
                    deliveries.c.claimed_until <= now,
                    deliveries.c.claimed_by == owner,
                ),
                deliveries.c.channel_id.not_in(busy_channels),
            )
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = await self._c.execute(
            update(deliveries)
            .where(deliveries.c.id.in_(pick.scalar_subquery()))
            .values(claimed_by=owner, claimed_until=until)
            .returning(deliveries.c.id)
        )
        ids = [int(row[0]) for row in claimed]
        if not ids:
            return []
        query = _SELECT.where(deliveries.c.id.in_(ids)).order_by(
            deliveries.c.next_attempt_at, deliveries.c.id
        )
        return await self._load(query)

    async def release_claims(self, owner: str) -> int:
        """Give up `owner`'s claims (a worker stepping down): another may send them now."""
        result = await self._c.execute(
            update(deliveries).where(deliveries.c.claimed_by == owner).values(_UNCLAIMED)
        )
        return int(result.rowcount or 0)

    async def get(self, delivery_id: int) -> Delivery | None:
        """One delivery by id."""
        found = await self._load(_SELECT.where(deliveries.c.id == delivery_id))
        return found[0] if found else None

    async def for_channel(self, channel_id: int) -> list[Delivery]:
        """Every delivery to a channel, oldest first (for tests and diagnostics)."""
        query = _SELECT.where(deliveries.c.channel_id == channel_id).order_by(deliveries.c.id)
        return await self._load(query)

    async def mark_sent(self, delivery_id: int, message_id: int | None, *, now: datetime) -> None:
        """The message is in the channel (a digest's: with every alert it carries)."""
        await self._c.execute(
            mark_sent(deliveries, _this_or_its_bundle(delivery_id), message_id, now).values(
                _UNCLAIMED
            )
        )

    async def mark_retry(
        self,
        delivery_id: int,
        error: str,
        *,
        next_attempt_at: datetime,
        message_id: int | None = None,
    ) -> None:
        """Sending failed for a passing reason; try again later. `message_id` records a
        message that is posted but whose next step (publishing it) failed."""
        await self._c.execute(
            mark_retry(
                deliveries, deliveries.c.id == delivery_id, error, next_attempt_at, message_id
            ).values(_UNCLAIMED)
        )

    async def postpone(self, delivery_id: int, next_attempt_at: datetime) -> None:
        """Try later without counting an attempt (an earlier alert to the channel failed)."""
        await self._c.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id, deliveries.c.status == "pending")
            .values(next_attempt_at=next_attempt_at, **_UNCLAIMED)
        )

    async def mark_failed(self, delivery_id: int, error: str) -> None:
        """Sending failed for good (channel gone, permission lost, too many attempts)."""
        await self._c.execute(
            mark_failed(deliveries, _this_or_its_bundle(delivery_id), error).values(_UNCLAIMED)
        )

    async def fail_pending_for_channel(self, channel_id: int, error: str) -> int:
        """Give up every delivery still to send to a channel Discord refuses (including
        those held for, or bundled into, a digest)."""
        result = await self._c.execute(
            update(deliveries)
            .where(
                deliveries.c.channel_id == channel_id,
                deliveries.c.status.in_(["pending", "held", "bundled"]),
            )
            .values(status="failed", last_error=error[:500], **_UNCLAIMED)
        )
        return int(result.rowcount or 0)

    async def held(self) -> list[HeldDelivery]:
        """Deliveries waiting for a digest, oldest first."""
        query = (
            select(
                deliveries.c.id,
                watches.c.guild_id,
                deliveries.c.channel_id,
                alerts.c.show_id,
                watches.c.target,
                deliveries.c.created_at,
            )
            .join(alerts, alerts.c.id == deliveries.c.alert_id)
            .join(watches, watches.c.id == deliveries.c.watch_id)
            .where(deliveries.c.status == "held")
            .order_by(deliveries.c.id)
        )
        return [
            HeldDelivery(
                id=row.id,
                guild_id=row.guild_id,
                channel_id=row.channel_id,
                show_id=row.show_id,
                target=TargetKind(row.target),
                created_at=row.created_at,
            )
            for row in await self._c.execute(query)
        ]

    async def bundle(self, delivery_ids: Sequence[int], *, day: date, now: datetime) -> int:
        """Bundle held deliveries (of one channel) into one digest for `day`, led by the
        oldest; returns the lead's id."""
        lead = min(delivery_ids)
        await self._c.execute(
            update(deliveries)
            .where(deliveries.c.id.in_(delivery_ids), deliveries.c.status == "held")
            .values(status="bundled", bundle_id=lead)
        )
        await self._c.execute(
            update(deliveries)
            .where(deliveries.c.id == lead)
            .values(status="pending", digest_day=day, next_attempt_at=now)
        )
        return lead

    async def counts(self) -> dict[str, int]:
        """Deliveries per status."""
        query = select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
        return {status: int(n) for status, n in await self._c.execute(query)}

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending delivery is due (for one claimed by a worker: when
        the claim runs out, if that is later), if any."""
        due = case(
            (
                deliveries.c.claimed_until > deliveries.c.next_attempt_at,
                deliveries.c.claimed_until,
            ),
            else_=deliveries.c.next_attempt_at,
        )
        query = select(func.min(due)).where(deliveries.c.status == "pending")
        value = (await self._c.execute(query)).scalar_one_or_none()
        return value if isinstance(value, datetime) else None
