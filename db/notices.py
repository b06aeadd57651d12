"""The admin log's outbox: messages for a server's log channel, at most one per cause per
server-local day (the unique key makes a second one a no-op), sent with a nonce like
alert deliveries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.records import Notice
from db.dialect import upsert
from db.schema.servers import notices
from db.sending import mark_failed, mark_retry, mark_sent


def _notice(row: Any) -> Notice:
    return Notice(
        id=row.id,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        cause=row.cause,
        day=row.day,
        text=row.text,
        nonce=row.nonce,
        status=row.status,
        attempts=row.attempts,
        message_id=row.message_id,
    )


class NoticeRepo:
    """Queue, list and mark log-channel messages."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def add(
        self,
        *,
        guild_id: int,
        channel_id: int,
        cause: str,
        day: date,
        text: str,
        now: datetime,
    ) -> bool:
        """Queue a message unless one for this cause was queued on `day`; returns whether
        it was queued."""
        statement = (
            upsert(self._c, notices)
            .values(
                guild_id=guild_id,
                channel_id=channel_id,
                cause=cause,
                day=day,
                text=text,
                nonce="",  # set from the id below: nonces are unique per message
                next_attempt_at=now,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["guild_id", "cause", "day"])
            .returning(notices.c.id)
        )
        notice_id = (await self._c.execute(statement)).scalar_one_or_none()
        if notice_id is None:
            return False
        await self._c.execute(
            notices.update().where(notices.c.id == notice_id).values(nonce=f"n{notice_id}")
        )
        return True

    async def due(self, now: datetime, limit: int = 50) -> list[Notice]:
        """Pending messages whose time has come, oldest first."""
        query = (
            select(notices)
            .where(notices.c.status == "pending", notices.c.next_attempt_at <= now)
            .order_by(notices.c.next_attempt_at, notices.c.id)
            .limit(limit)
        )
        return [_notice(row) for row in await self._c.execute(query)]

    async def for_guild(self, guild_id: int) -> list[Notice]:
        """Every message queued for a server, oldest first."""
        query = select(notices).where(notices.c.guild_id == guild_id).order_by(notices.c.id)
        return [_notice(row) for row in await self._c.execute(query)]

    async def mark_sent(self, notice_id: int, message_id: int | None, *, now: datetime) -> None:
        """The message is in the log channel."""
        await self._c.execute(mark_sent(notices, notices.c.id == notice_id, message_id, now))

    async def mark_retry(self, notice_id: int, error: str, *, next_attempt_at: datetime) -> None:
        """Sending failed for a passing reason; try again later."""
        await self._c.execute(
            mark_retry(notices, notices.c.id == notice_id, error, next_attempt_at)
        )

    async def mark_failed(self, notice_id: int, error: str) -> None:
        """The log channel refused the message: give it up (never logged about again)."""
        await self._c.execute(mark_failed(notices, notices.c.id == notice_id, error))
