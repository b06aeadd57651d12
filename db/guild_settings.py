"""Per-server settings as stored: NULL is "not set" (bot/server_settings.py declares the
defaults, so changing a default reaches every server that never chose)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.records import GuildSettingsRecord
from db.dialect import upsert
from db.schema.servers import guild_settings

# The settings a server can change: the record's fields but its key.
FIELDS = tuple(item.name for item in fields(GuildSettingsRecord) if item.name != "guild_id")


def _record(row: Any) -> GuildSettingsRecord:
    return GuildSettingsRecord(
        guild_id=row.guild_id,
        timezone=row.timezone,
        reminder_hour=row.reminder_hour,
        digest_hour=row.digest_hour,
        log_channel_id=row.log_channel_id,
        premiere_events=row.premiere_events,
    )


class GuildSettingsRepo:
    """One row per server that changed a setting."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get(self, guild_id: int) -> GuildSettingsRecord:
        """A server's stored settings (all None when it never set any)."""
        found = await self.many([guild_id])
        return found.get(guild_id, GuildSettingsRecord(guild_id))

    async def many(self, guild_ids: Iterable[int]) -> dict[int, GuildSettingsRecord]:
        """The stored settings of the servers that have any, by guild id."""
        ids = sorted(set(guild_ids))
        if not ids:
            return {}
        query = select(guild_settings).where(guild_settings.c.guild_id.in_(ids))
        return {row.guild_id: _record(row) for row in await self._c.execute(query)}

    async def with_log_channel(self) -> list[GuildSettingsRecord]:
        """Every server that set a log channel."""
        query = select(guild_settings).where(guild_settings.c.log_channel_id.is_not(None))
        return [_record(row) for row in await self._c.execute(query)]

    async def with_premiere_events(self) -> list[GuildSettingsRecord]:
        """Every server that turned premiere events on."""
        query = select(guild_settings).where(guild_settings.c.premiere_events.is_(True))
        return [_record(row) for row in await self._c.execute(query)]

    async def update(self, guild_id: int, *, now: datetime, **values: object) -> None:
        """Set some of a server's settings (None clears one back to its default)."""
        unknown = set(values) - set(FIELDS)
        if unknown:
            raise ValueError(f"unknown server settings: {sorted(unknown)}")
        statement = upsert(self._c, guild_settings).values(
            guild_id=guild_id, updated_at=now, **values
        )
        statement = statement.on_conflict_do_update(
            index_elements=["guild_id"], set_={**values, "updated_at": now}
        )
        await self._c.execute(statement)
