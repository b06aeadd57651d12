"""Premiere dates a listings source (TVmaze) gives, per season: a source of their own
beside the news (see bot/state/fold.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.records import ListingRecord
from db.dialect import upsert
from db.schema.catalogue import shows
from db.schema.seasons import listings
from db.show_rows import _chunks, season_binds, seasons_in

# The listings of some seasons (a feed's poll reads them for seasons it folds anew), built
# once: building it cost more than running it on SQLite.
_LISTINGS_OF = (
    select(listings, shows.c.name.label("show_name"))
    .join(shows, shows.c.id == listings.c.show_id)
    .where(seasons_in(listings.c.show_id, listings.c.season))
)


class ListingRepo:
    """Premiere dates a listings source gives, per season."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def from_date(self, first: date) -> dict[tuple[int, int], ListingRecord]:
        """Every listing premiering on `first` or later."""
        query = (
            select(listings, shows.c.name.label("show_name"))
            .join(shows, shows.c.id == listings.c.show_id)
            .where(listings.c.premiere_date >= first)
        )
        return {(row.show_id, row.season): _listing(row) for row in await self._c.execute(query)}

    async def of(
        self, seasons: Iterable[tuple[int, int | None]]
    ) -> dict[tuple[int, int], ListingRecord]:
        """The listings of these (show id, season) pairs (unnumbered seasons have none)."""
        pairs = sorted({(show_id, season) for show_id, season in seasons if season is not None})
        found: dict[tuple[int, int], ListingRecord] = {}
        for chunk in _chunks(pairs, 400):
            rows = await self._c.execute(_LISTINGS_OF, season_binds(chunk))
            found.update({(row.show_id, row.season): _listing(row) for row in rows})
        return found

    async def put(self, records: Sequence[ListingRecord], *, now: datetime) -> None:
        """Store these listings (replacing the seasons' previous ones)."""
        rows = [
            {
                "show_id": r.show_id,
                "season": r.season,
                "premiere_date": r.premiere_date,
                "link": r.link,
                "listed_at": r.listed_at,
                "checked_at": now,
            }
            for r in records
        ]
        if not rows:
            return
        statement = upsert(self._c, listings)
        statement = statement.on_conflict_do_update(
            index_elements=["show_id", "season"],
            set_={
                k: statement.excluded[k]
                for k in ("premiere_date", "link", "listed_at", "checked_at")
            },
        )
        await self._c.execute(statement, rows)

    async def remove(self, seasons: Iterable[tuple[int, int]]) -> None:
        """Forget these seasons' listings."""
        for chunk in _chunks(sorted(set(seasons)), 400):
            await self._c.execute(
                delete(listings).where(tuple_(listings.c.show_id, listings.c.season).in_(chunk))
            )


def _listing(row: Any) -> ListingRecord:
    return ListingRecord(
        show_id=row.show_id,
        season=row.season,
        premiere_date=row.premiere_date,
        link=row.link,
        listed_at=row.listed_at,
        show_name=row.show_name,
    )
