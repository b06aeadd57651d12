"""Alerts and the delivery outbox.

An alert is recorded once per stable key (show|season|event|value), whatever the number of
outlets reporting it; recording it writes one delivery row per active watch of the show
that wants it (its alert and certainty filters) in the same transaction. The delivery
worker sends due rows and marks them; each row carries a nonce sent with `enforce_nonce`,
so a resend after a crash between "sent" and "marked sent" returns Discord's original
message instead of posting a second one.

Digest watches queue their rows as "held". At the server's digest hour the held rows of a
channel (of a channel and show, for a forum) are bundled: the oldest becomes the digest's
lead (pending, with its `digest_day`), the others point at it (`bundle_id`) and are marked
with it, so the digest is one message with one nonce, sent exactly once like any alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Insert,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import (
    AlertChange,
    AlertFilter,
    Certainty,
    CertaintyFilter,
    DeliveryMode,
    TargetKind,
)
from bot.records import Delivery, HeldDelivery
from db.alert_payloads import change_from_json, change_to_json
from db.dialect import upsert
from db.direct import fan_out_to_followers
from db.schema.alerting import alerts, deliveries
from db.schema.servers import forum_posts, watches
from db.sending import mark_failed, mark_retry, mark_sent
from db.show_rows import season_key


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


# A delivery marked, postponed or given up is nobody's any more.
_UNCLAIMED: dict[str, Any] = {"claimed_by": None, "claimed_until": None}


def _this_or_its_bundle(delivery_id: int) -> ColumnElement[bool]:
    # A digest's lead is marked with every delivery it carries.
    return or_(deliveries.c.id == delivery_id, deliveries.c.bundle_id == delivery_id)


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
