"""The TVmaze mirror in the store: every mirrored show has a row in `shows` (its identity
in the catalogue, watches and state) and one in `tvmaze_shows` (what TVmaze says).
This module reads it; db/tvmaze_sync.py writes it (linking TVmaze shows to catalogue
shows, renaming).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import SeasonState
from bot.records import MirrorInfo
from db.schema.catalogue import shows, tvmaze_shows
from db.schema.seasons import season_states
from db.schema.servers import watches
from db.schema.users import follows
from db.show_rows import UNSTATED, _chunks, state_from_row
from db.tvmaze_sync import _CHUNK, MirrorSyncMixin

# TVmaze's columns a card reads, labelled apart from the season states' beside them.
_INFO = (
    tvmaze_shows.c.id.label("tvmaze_id"),
    tvmaze_shows.c.name.label("tvmaze_name"),
    tvmaze_shows.c.status.label("tvmaze_status"),
    tvmaze_shows.c.premiered.label("tvmaze_premiered"),
    tvmaze_shows.c.ended.label("tvmaze_ended"),
    tvmaze_shows.c.network.label("tvmaze_network"),
    tvmaze_shows.c.web_channel.label("tvmaze_web_channel"),
    tvmaze_shows.c.url.label("tvmaze_url"),
)


def _info(row: Any) -> MirrorInfo:
    return MirrorInfo(
        tvmaze_id=row.tvmaze_id,
        name=row.tvmaze_name,
        status=row.tvmaze_status,
        premiered=row.tvmaze_premiered,
        ended=row.tvmaze_ended,
        channel=row.tvmaze_network or row.tvmaze_web_channel,
        url=row.tvmaze_url,
    )


class MirrorRepo(MirrorSyncMixin):
    """TVmaze's show index as mirrored in the store."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def count(self) -> int:
        """How many TVmaze shows are mirrored."""
        query = select(func.count()).select_from(tvmaze_shows)
        return int((await self._c.execute(query)).scalar_one())

    async def updated_stamps(self, tvmaze_ids: Iterable[int]) -> dict[int, int]:
        """TVmaze's `updated` stamp of each of these shows that is mirrored."""
        wanted = sorted(set(tvmaze_ids))
        found: dict[int, int] = {}
        for chunk in _chunks(wanted, _CHUNK):
            query = select(tvmaze_shows.c.id, tvmaze_shows.c.updated).where(
                tvmaze_shows.c.id.in_(chunk)
            )
            found.update({tvmaze_id: stamp for tvmaze_id, stamp in await self._c.execute(query)})
        return found

    async def show_ids(self, tvmaze_ids: Iterable[int]) -> dict[int, tuple[int, str, str | None]]:
        """TVmaze id -> (catalogue show id, catalogue name, TVmaze page) for mirrored ones."""
        wanted = sorted(set(tvmaze_ids))
        found: dict[int, tuple[int, str, str | None]] = {}
        for chunk in _chunks(wanted, _CHUNK):
            query = (
                select(tvmaze_shows.c.id, tvmaze_shows.c.show_id, shows.c.name, tvmaze_shows.c.url)
                .join(shows, shows.c.id == tvmaze_shows.c.show_id)
                .where(tvmaze_shows.c.id.in_(chunk))
            )
            for row in await self._c.execute(query):
                found[row.id] = (row.show_id, row.name, row.url)
        return found

    async def watched(self) -> list[int]:
        """TVmaze ids of the mirrored shows some channel watches or someone follows."""
        active = select(watches.c.show_id).where(watches.c.disabled_reason.is_(None))
        query = (
            select(tvmaze_shows.c.id)
            .where(
                or_(
                    tvmaze_shows.c.show_id.in_(active),
                    tvmaze_shows.c.show_id.in_(select(follows.c.show_id)),
                )
            )
            .order_by(tvmaze_shows.c.id)
        )
        return list((await self._c.execute(query)).scalars())

    async def info(self, show_id: int) -> MirrorInfo | None:
        """What TVmaze says about a catalogue show, if it is mirrored."""
        query = select(*_INFO).where(tvmaze_shows.c.show_id == show_id)
        row = (await self._c.execute(query)).first()
        return None if row is None else _info(row)

    async def card(self, show_id: int, latest: int) -> tuple[list[SeasonState], MirrorInfo | None]:
        """What a show's card shows, in one statement: the states of its `latest`
        highest seasons and of its unstated one (newest season first, unstated last), and
        what TVmaze says about it. Only those seasons' sources are decoded."""
        state_columns = [c for c in season_states.c if c.name != "fold"]  # never shown
        query = (
            select(*state_columns, shows.c.name.label("show_name"), *_INFO)
            .select_from(
                shows.outerjoin(season_states, season_states.c.show_id == shows.c.id).outerjoin(
                    tvmaze_shows, tvmaze_shows.c.show_id == shows.c.id
                )
            )
            .where(shows.c.id == show_id)
        )
        rows = (await self._c.execute(query)).all()
        info = _info(rows[0]) if rows and rows[0].tvmaze_id is not None else None
        stated = sorted(
            (row for row in rows if row.season is not None and row.season != UNSTATED),
            key=lambda row: int(row.season),
            reverse=True,
        )
        unstated = [row for row in rows if row.season == UNSTATED]
        return [state_from_row(row) for row in (*stated[:latest], *unstated)], info
