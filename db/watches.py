"""Guild watches: which channel hears about which show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import AlertFilter, CertaintyFilter, DeliveryMode, TargetKind
from bot.records import WatchRecord
from db.dialect import upsert
from db.schema.catalogue import shows
from db.schema.servers import watches


def _watch(row: Any) -> WatchRecord:
    return WatchRecord(
        id=row.id,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        show_id=row.show_id,
        show_name=row.show_name,
        role_id=row.role_id,
        created_by=row.created_by,
        created_at=row.created_at,
        disabled_reason=row.disabled_reason,
        alerts=AlertFilter(row.alerts),
        certainty=CertaintyFilter(row.certainty),
        mode=DeliveryMode(row.mode),
        target=TargetKind(row.target),
    )


_SELECT = select(watches, shows.c.name.label("show_name")).join(
    shows, shows.c.id == watches.c.show_id
)


class WatchRepo:
    """Watches per guild and channel; a watch is disabled, not deleted, when Discord
    refuses its channel, so the server can see why in /watchlist."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def add(
        self,
        *,
        guild_id: int,
        channel_id: int,
        show_id: int,
        role_id: int | None,
        created_by: int | None,
        now: datetime,
        target: TargetKind = TargetKind.TEXT,
        alerts: AlertFilter | None = None,
        certainty: CertaintyFilter | None = None,
        mode: DeliveryMode | None = None,
    ) -> tuple[WatchRecord, bool]:
        """Watch a show in a channel. Watching again updates the role and the target kind,
        re-enables a disabled watch and changes the filters and mode that are given (None
        keeps them; a new watch gets the defaults). Returns the watch and whether it is
        new."""
        # Whether it is new is read before the upsert: comparing the stored created_at with
        # `now` would call a second watch at the same instant (a frozen clock) new.
        existing = (
            await self._c.execute(
                select(watches.c.id).where(
                    watches.c.guild_id == guild_id,
                    watches.c.channel_id == channel_id,
                    watches.c.show_id == show_id,
                )
            )
        ).first()
        statement = upsert(self._c, watches).values(
            guild_id=guild_id,
            channel_id=channel_id,
            show_id=show_id,
            role_id=role_id,
            created_by=created_by,
            created_at=now,
            target=target.value,
            alerts=(alerts or AlertFilter.ALL).value,
            certainty=(certainty or CertaintyFilter.REPORTED).value,
            mode=(mode or DeliveryMode.INSTANT).value,
        )
        changes: dict[str, Any] = {
            "role_id": statement.excluded.role_id,
            "target": statement.excluded.target,
            "disabled_reason": None,
            "disabled_at": None,
        }
        for name, value in (("alerts", alerts), ("certainty", certainty), ("mode", mode)):
            if value is not None:
                changes[name] = value.value
        statement = statement.on_conflict_do_update(
            index_elements=["guild_id", "channel_id", "show_id"], set_=changes
        ).returning(watches.c.id)
        watch_id = (await self._c.execute(statement)).scalar_one()
        record = await self.get(watch_id)
        assert record is not None
        return record, existing is None

    async def get(self, watch_id: int) -> WatchRecord | None:
        """One watch by id."""
        row = (await self._c.execute(_SELECT.where(watches.c.id == watch_id))).first()
        return None if row is None else _watch(row)

    async def remove(self, *, guild_id: int, show_id: int, channel_id: int | None) -> int:
        """Stop watching a show in one channel, or in every channel of the guild when
        `channel_id` is None. Returns how many watches were removed."""
        where = and_(watches.c.guild_id == guild_id, watches.c.show_id == show_id)
        if channel_id is not None:
            where = and_(where, watches.c.channel_id == channel_id)
        return int((await self._c.execute(delete(watches).where(where))).rowcount or 0)

    async def for_guild(self, guild_id: int) -> list[WatchRecord]:
        """A guild's watches, by show then channel."""
        query = _SELECT.where(watches.c.guild_id == guild_id).order_by(
            shows.c.name, watches.c.channel_id
        )
        return [_watch(row) for row in await self._c.execute(query)]

    async def for_show(self, show_id: int) -> list[WatchRecord]:
        """The active watches of a show."""
        query = _SELECT.where(
            watches.c.show_id == show_id, watches.c.disabled_reason.is_(None)
        ).order_by(watches.c.id)
        return [_watch(row) for row in await self._c.execute(query)]

    async def watched_show_ids(self, guild_id: int | None = None) -> list[int]:
        """Shows with at least one active watch (in one guild, or anywhere)."""
        query = select(watches.c.show_id).where(watches.c.disabled_reason.is_(None)).distinct()
        if guild_id is not None:
            query = query.where(watches.c.guild_id == guild_id)
        return [row[0] for row in await self._c.execute(query)]

    async def active_in_channel(self, channel_id: int) -> list[WatchRecord]:
        """The active watches posting to one channel, by show."""
        query = _SELECT.where(
            watches.c.channel_id == channel_id, watches.c.disabled_reason.is_(None)
        ).order_by(shows.c.name)
        return [_watch(row) for row in await self._c.execute(query)]

    async def disable_channel(self, channel_id: int, reason: str, *, now: datetime) -> int:
        """Disable every watch posting to a channel Discord refuses (deleted, forbidden)."""
        result = await self._c.execute(
            update(watches)
            .where(watches.c.channel_id == channel_id, watches.c.disabled_reason.is_(None))
            .values(disabled_reason=reason, disabled_at=now)
        )
        return int(result.rowcount or 0)

    async def count(self) -> int:
        """How many watches exist."""
        return int((await self._c.execute(select(func.count()).select_from(watches))).scalar_one())
