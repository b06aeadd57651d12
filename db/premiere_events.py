"""The scheduled events made for premieres, one per server, show and season.

Creating an event cannot carry a nonce, so it is made exactly-once the way forum posts are
(db/forum_posts.py): a row is written without an event before the event is created, and
the event's id is recorded once it is. A sync that finds a row without an event knows an
earlier attempt may have created it and died before recording it, and looks for it first.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.records import PremiereEventRecord
from db.dialect import upsert
from db.schema.servers import premiere_events
from db.show_rows import season_key, season_value


def _record(row: Any) -> PremiereEventRecord:
    return PremiereEventRecord(
        guild_id=row.guild_id,
        show_id=row.show_id,
        season=season_value(row.season),
        event_id=row.event_id,
        name=row.name,
        premiere_date=row.premiere_date,
        starts_at=row.starts_at,
        fingerprint=row.fingerprint,
        started_at=row.started_at,
    )


def _key(guild_id: int, show_id: int, season: int | None) -> Any:
    return (
        (premiere_events.c.guild_id == guild_id)
        & (premiere_events.c.show_id == show_id)
        & (premiere_events.c.season == season_key(season))
    )


class PremiereEventRepo:
    """Which scheduled event shows which premiere in which server."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def all(self) -> list[PremiereEventRecord]:
        """Every recorded event (and every one a sync started), by server."""
        query = select(premiere_events).order_by(
            premiere_events.c.guild_id, premiere_events.c.show_id, premiere_events.c.season
        )
        return [_record(row) for row in await self._c.execute(query)]

    async def for_guild(self, guild_id: int) -> list[PremiereEventRecord]:
        """A server's recorded events."""
        query = select(premiere_events).where(premiere_events.c.guild_id == guild_id)
        return [_record(row) for row in await self._c.execute(query)]

    async def claim(
        self,
        guild_id: int,
        show_id: int,
        season: int | None,
        *,
        name: str,
        premiere_date: date,
        starts_at: datetime,
        now: datetime,
    ) -> PremiereEventRecord | None:
        """The premiere's event as recorded; when there is none, note that a sync is about
        to create it (with no event and an empty fingerprint) and return None."""
        row = await self._c.execute(select(premiere_events).where(_key(guild_id, show_id, season)))
        found = row.first()
        if found is not None:
            return _record(found)
        await self._c.execute(
            upsert(self._c, premiere_events)
            .values(
                guild_id=guild_id,
                show_id=show_id,
                season=season_key(season),
                name=name,
                premiere_date=premiere_date,
                starts_at=starts_at,
                fingerprint="",
                started_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["guild_id", "show_id", "season"])
        )
        return None

    async def record(
        self,
        guild_id: int,
        show_id: int,
        season: int | None,
        *,
        event_id: int,
        name: str,
        premiere_date: date,
        starts_at: datetime,
        fingerprint: str,
        now: datetime,
    ) -> None:
        """The event exists on Discord and says what `fingerprint` stands for."""
        await self._c.execute(
            update(premiere_events)
            .where(_key(guild_id, show_id, season))
            .values(
                event_id=event_id,
                name=name,
                premiere_date=premiere_date,
                starts_at=starts_at,
                fingerprint=fingerprint,
                updated_at=now,
            )
        )

    async def forget(self, guild_id: int, show_id: int, season: int | None) -> None:
        """The event is deleted (or over): no row for it any more."""
        await self._c.execute(delete(premiere_events).where(_key(guild_id, show_id, season)))
