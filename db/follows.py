"""Personal follows (a user hears about a show by DM) and the users whose DMs refused the
bot, whose follows are paused until they follow again."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Show
from bot.records import DmPause
from db.dialect import upsert
from db.schema.catalogue import shows
from db.schema.users import dm_pauses, follows


def _pause(row: Any) -> DmPause:
    return DmPause(
        user_id=row.user_id,
        paused_at=row.paused_at,
        reason=row.reason,
        shows=tuple(json.loads(row.shows)),
        told_at=row.told_at,
    )


class FollowRepo:
    """Who follows which show, and whose DMs are closed."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def add(self, user_id: int, show_id: int, *, now: datetime) -> bool:
        """Follow a show; returns whether the follow is new."""
        result = await self._c.execute(
            upsert(self._c, follows)
            .values(user_id=user_id, show_id=show_id, created_at=now)
            .on_conflict_do_nothing(index_elements=["user_id", "show_id"])
        )
        return bool(result.rowcount)

    async def remove(self, user_id: int, show_id: int) -> bool:
        """Stop following a show; returns whether it was followed."""
        result = await self._c.execute(
            delete(follows).where(follows.c.user_id == user_id, follows.c.show_id == show_id)
        )
        return bool(result.rowcount)

    async def of_user(self, user_id: int) -> list[Show]:
        """The shows a user follows, by name."""
        query = (
            select(shows.c.id, shows.c.name, shows.c.network)
            .join(follows, follows.c.show_id == shows.c.id)
            .where(follows.c.user_id == user_id)
            .order_by(shows.c.name)
        )
        return [
            Show(id=row.id, name=row.name, network=row.network)
            for row in await self._c.execute(query)
        ]

    async def followed_show_ids(self) -> list[int]:
        """Shows someone follows (whose news must be read)."""
        query = select(follows.c.show_id).distinct()
        return [row[0] for row in await self._c.execute(query)]

    # -- closed DMs ----------------------------------------------------------------------

    async def pause(
        self, user_id: int, reason: str, shows_unsent: Sequence[str], *, now: datetime
    ) -> bool:
        """The user's DMs refused the bot: pause their follows (once; later refusals only
        add the shows that went unsent). Returns whether they were newly paused."""
        existing = await self.pause_of(user_id)
        if existing is not None:
            merged = list(dict.fromkeys([*existing.shows, *shows_unsent]))
            await self._c.execute(
                update(dm_pauses)
                .where(dm_pauses.c.user_id == user_id)
                .values(shows=json.dumps(merged))
            )
            return False
        await self._c.execute(
            upsert(self._c, dm_pauses)
            .values(
                user_id=user_id,
                paused_at=now,
                reason=reason[:500],
                shows=json.dumps(list(dict.fromkeys(shows_unsent))),
            )
            .on_conflict_do_nothing(index_elements=["user_id"])
        )
        return True

    async def pause_of(self, user_id: int) -> DmPause | None:
        """The user's pause, if their DMs refused the bot."""
        row = (
            await self._c.execute(select(dm_pauses).where(dm_pauses.c.user_id == user_id))
        ).first()
        return None if row is None else _pause(row)

    async def take_untold(self, user_id: int, *, now: datetime) -> DmPause | None:
        """The user's pause if they were not told about it yet, marking it told (so only
        one reply ever tells them)."""
        result = await self._c.execute(
            update(dm_pauses)
            .where(dm_pauses.c.user_id == user_id, dm_pauses.c.told_at.is_(None))
            .values(told_at=now)
        )
        if not result.rowcount:
            return None
        return await self.pause_of(user_id)

    async def resume(self, user_id: int) -> bool:
        """Unpause the user's follows; returns whether they were paused."""
        result = await self._c.execute(delete(dm_pauses).where(dm_pauses.c.user_id == user_id))
        return bool(result.rowcount)
