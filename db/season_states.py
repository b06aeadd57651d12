"""`ShowRepo`'s per-season state (tx.shows): the folded state of each (show, season), with
the summary its fold goes on from, written and read in bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, delete, select, true, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import SeasonState, Status
from bot.records import ListingRecord, StoredFold
from bot.state.fold_codec import decode_summary, encode_summary
from bot.state.fold_step import FoldSummary
from db.dialect import dialect_insert
from db.engine import UNREAD
from db.schema.catalogue import shows
from db.schema.news import announcements, entries
from db.schema.seasons import listings, season_states
from db.show_rows import (
    SeasonKey,
    _chunks,
    _state_row,
    season_binds,
    season_key,
    season_value,
    seasons_in,
    state_from_row,
)

# The statements a feed's poll runs each time, built once: building one costs more than
# running it on SQLite.


@cache
def _state_upsert(dialect: str) -> Any:
    statement = dialect_insert(dialect)(season_states)
    upsert = statement.on_conflict_do_update(
        index_elements=["show_id", "season"],
        set_={
            column.name: statement.excluded[column.name]
            for column in season_states.c
            if column.name not in ("show_id", "season")
        },
    )
    return upsert.execution_options(**{UNREAD: True})


@cache
def _folds_query(*, lock: bool, listed: bool) -> Any:
    """The stored states of the seasons bound by `season_binds`, with their show's name and, when
    `listed`, their listing's columns (NULL when none)."""
    columns: list[Any] = [season_states, shows.c.name.label("show_name")]
    joined = season_states.join(shows, shows.c.id == season_states.c.show_id)
    if listed:
        columns += [
            listings.c.premiere_date.label("listed_premiere_date"),
            listings.c.link.label("listed_link"),
            listings.c.listed_at.label("listed_at"),
        ]
        joined = joined.outerjoin(
            listings,
            and_(
                listings.c.show_id == season_states.c.show_id,
                listings.c.season == season_states.c.season,
            ),
        )
    query = (
        select(*columns)
        .select_from(joined)
        .where(seasons_in(season_states.c.show_id, season_states.c.season))
        .order_by(season_states.c.show_id, season_states.c.season)
    )
    return query.with_for_update(of=season_states) if lock else query


class SeasonStateMixin:
    """The per-season state part of `ShowRepo` (db/shows.py)."""

    _c: AsyncConnection

    async def save_state(self, show_id: int, state: SeasonState, *, now: datetime) -> None:
        """Store the folded state of one season (replacing the previous one)."""
        await self.save_states([(show_id, state)], now=now)

    async def save_states(
        self, states: Sequence[tuple[int, SeasonState]], *, now: datetime
    ) -> None:
        """Store the folded states of many seasons in one statement (without a summary:
        the next announcement about one of them refolds it in full)."""
        await self._upsert_states([_state_row(show_id, state, now) for show_id, state in states])

    async def save_folded(
        self, folded: Sequence[tuple[int, SeasonState, FoldSummary]], *, now: datetime
    ) -> None:
        """Store folded states with the summaries their folds go on from, in one statement."""
        await self._upsert_states(
            [
                _state_row(show_id, state, now, fold=encode_summary(summary))
                for show_id, state, summary in folded
            ]
        )

    async def _upsert_states(self, rows: list[dict[str, Any]]) -> None:
        if rows:  # every column of the table (see `_state_row`)
            await self._c.execute(_state_upsert(self._c.dialect.name), rows)

    async def delete_state(self, show_id: int, season: int | None) -> None:
        """Forget a season that no announcement speaks of any more."""
        await self._c.execute(
            delete(season_states).where(
                season_states.c.show_id == show_id,
                season_states.c.season == season_key(season),
            )
        )

    async def states_of(
        self, seasons: Iterable[tuple[int, int | None]]
    ) -> dict[tuple[int, int | None], SeasonState]:
        """The stored states of these (show id, season) pairs (absent ones are left out)."""
        return {key: state for key, (state, _) in (await self.folds_of(seasons)).items()}

    async def folds_of(
        self, seasons: Iterable[SeasonKey], *, lock: bool = False
    ) -> dict[SeasonKey, tuple[SeasonState, FoldSummary | None]]:
        """The stored states of these seasons with the summaries their folds go on from
        (None: refold in full), reading only these rows. `lock`: on PostgreSQL, lock them
        until the transaction ends, so that two transactions folding news into one season
        take turns rather than each overwrite the other's."""
        folds, _ = await self._folds(seasons, lock=lock, listed=False, states=_every)
        return {key: _with_state(fold) for key, fold in folds.items()}

    async def folds_and_listings_of(
        self, seasons: Iterable[SeasonKey], *, lock: bool = False
    ) -> tuple[
        dict[SeasonKey, tuple[SeasonState, FoldSummary | None]],
        dict[tuple[int, int], ListingRecord],
    ]:
        """`folds_of`, with the listings (as `ListingRepo.of` reads them) of the seasons
        that have a stored state, read in the same statement."""
        folds, listed = await self.stored_folds_of(seasons, lock=lock, states=_every)
        return {key: _with_state(fold) for key, fold in folds.items()}, listed

    async def stored_folds_of(
        self,
        seasons: Iterable[SeasonKey],
        *,
        lock: bool = False,
        states: Callable[[SeasonKey], bool],
    ) -> tuple[dict[SeasonKey, StoredFold], dict[tuple[int, int], ListingRecord]]:
        """`folds_and_listings_of`, with the stored state read only for the seasons that
        `states` asks for: reading one costs as much as reading its summary, and folding
        news in needs it only where alerts may follow."""
        return await self._folds(seasons, lock=lock, listed=True, states=states)

    async def _folds(
        self,
        seasons: Iterable[SeasonKey],
        *,
        lock: bool,
        listed: bool,
        states: Callable[[SeasonKey], bool],
    ) -> tuple[dict[SeasonKey, StoredFold], dict[tuple[int, int], ListingRecord]]:
        pairs = sorted({(show_id, season_key(season)) for show_id, season in seasons})
        found: dict[SeasonKey, StoredFold] = {}
        listed_found: dict[tuple[int, int], ListingRecord] = {}
        query = _folds_query(lock=lock, listed=listed)
        for chunk in _chunks(pairs, 400):
            for row in await self._c.execute(query, season_binds(chunk)):
                season = season_value(row.season)
                key = (row.show_id, season)
                state = state_from_row(row) if states(key) else None
                found[key] = StoredFold(row.show_name, decode_summary(row.fold), state)
                if listed and season is not None and row.listed_at is not None:
                    listed_found[(row.show_id, season)] = ListingRecord(
                        show_id=row.show_id,
                        season=season,
                        premiere_date=row.listed_premiere_date,
                        link=row.listed_link,
                        listed_at=row.listed_at,
                        show_name=row.show_name,
                    )
        return found, listed_found

    async def state(self, show_id: int, season: int | None) -> SeasonState | None:
        """The stored state of one season."""
        return (await self.states_of([(show_id, season)])).get((show_id, season))

    async def states(self, show_id: int) -> list[SeasonState]:
        """Every season's state for a show, newest season first (unstated last)."""
        return (await self.states_of_shows([show_id])).get(show_id, [])

    async def states_of_shows(self, show_ids: Iterable[int]) -> dict[int, list[SeasonState]]:
        """`states` of each of these shows (those with none are left out), in one statement
        per 400 shows."""
        found: dict[int, list[SeasonState]] = {}
        for chunk in _chunks(sorted(set(show_ids)), 400):
            for show_id, state in await self._states(season_states.c.show_id.in_(chunk)):
                found.setdefault(show_id, []).append(state)
        return {
            show_id: sorted(rows, key=lambda s: -1 if s.season is None else s.season, reverse=True)
            for show_id, rows in found.items()
        }

    async def all_states(self) -> list[SeasonState]:
        """Every season's state of every show, by show name then season."""
        rows = [state for _, state in await self._states(true())]
        return sorted(rows, key=lambda s: (s.show.casefold(), -1 if s.season is None else s.season))

    async def premieres_between(
        self, start: date, end: date, show_ids: Sequence[int] | None = None
    ) -> list[tuple[int, SeasonState]]:
        """Seasons with a known premiere date in [start, end], in date order."""
        where = and_(
            season_states.c.premiere_date.is_not(None),
            season_states.c.premiere_date >= start,
            season_states.c.premiere_date <= end,
        )
        if show_ids is not None:
            where = and_(where, season_states.c.show_id.in_(list(show_ids)))
        rows = await self._states(where)
        return sorted(rows, key=lambda item: (item[1].premiere_date or start, item[1].show))

    async def cancellations(self, show_ids: Iterable[int]) -> dict[int, list[SeasonState]]:
        """The cancelled seasons of these shows, by show, in one statement."""
        found: dict[int, list[SeasonState]] = {}
        for chunk in _chunks(sorted(set(show_ids)), 400):
            where = and_(
                season_states.c.show_id.in_(chunk),
                season_states.c.status == Status.CANCELLED.value,
            )
            for show_id, state in await self._states(where):
                found.setdefault(show_id, []).append(state)
        return found

    async def _states(self, where: Any) -> list[tuple[int, SeasonState]]:
        # Not the fold summary: cards and lists never need it.
        columns = [column for column in season_states.c if column.name != "fold"]
        query = (
            select(*columns, shows.c.name.label("show_name"))
            .join(shows, shows.c.id == season_states.c.show_id)
            .where(where)
        )
        return [(row.show_id, state_from_row(row)) for row in await self._c.execute(query)]


def _every(key: SeasonKey) -> bool:
    return True


def _with_state(fold: StoredFold) -> tuple[SeasonState, FoldSummary | None]:
    assert fold.state is not None
    return fold.state, fold.summary


async def forget_folds_of_feed(connection: AsyncConnection, feed_id: Any) -> None:
    """Make every season a feed's entries speak of refold in full next time: its entries
    are about to go (a removed feed's announcements go with them, by cascade)."""
    about = (
        select(announcements.c.show_id, announcements.c.season)
        .join(entries, entries.c.id == announcements.c.entry_id)
        .where(entries.c.feed_id == feed_id)
    )
    await connection.execute(
        update(season_states)
        .where(tuple_(season_states.c.show_id, season_states.c.season).in_(about))
        .values(fold=None)
    )
