"""`ShowRepo`'s announcements and mentions (tx.shows): what each entry announces about
which show and season, replaced when an outlet fixes its headline, and which entries are
about which shows (the latest headlines)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, func, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Announcement, Source
from bot.records import AnnouncementChanges
from db.dialect import dialect_insert
from db.engine import UNREAD
from db.schema.catalogue import shows
from db.schema.news import announcements, entries, feeds, show_mentions
from db.show_rows import (
    SeasonKey,
    _announcement,
    _announcement_as_stored,
    _announcement_row,
    _chunks,
    season_binds,
    season_key,
    season_value,
    seasons_in,
)

# The statements a feed's poll runs each time, built once: building one costs more than
# running it on SQLite.
_DELETE_ANNOUNCEMENTS = (
    delete(announcements)
    .where(announcements.c.entry_id.in_(bindparam("entry_ids", expanding=True)))
    .returning(announcements.c.show_id, announcements.c.season)
)


_ANNOUNCEMENTS_OF = (
    select(announcements, shows.c.name.label("show_name"))
    .join(shows, shows.c.id == announcements.c.show_id)
    .where(seasons_in(announcements.c.show_id, announcements.c.season))
    .order_by(announcements.c.published, announcements.c.id)
)


@cache
def _insert_announcements(dialect: str) -> Any:
    statement = dialect_insert(dialect)(announcements).on_conflict_do_nothing(
        index_elements=["entry_id", "show_id", "event", "season"]
    )
    return statement.execution_options(**{UNREAD: True})


@cache
def _insert_mentions(dialect: str) -> Any:
    statement = dialect_insert(dialect)(show_mentions).on_conflict_do_nothing()
    return statement.execution_options(**{UNREAD: True})


class AnnouncementMixin:
    """The announcements and mentions part of `ShowRepo` (db/shows.py)."""

    _c: AsyncConnection

    async def replace_announcements(
        self,
        entry_id: int | None,
        found: Sequence[tuple[int, Announcement]],
        *,
        now: datetime,
    ) -> set[tuple[int, int | None]]:
        """Store what one entry announces, replacing what an earlier version of the entry
        announced (outlets fix headlines). Returns every (show id, season) whose state must
        be folded again: the new ones and the ones the entry no longer announces."""
        return await self.replace_announcements_many([(entry_id, found)], now=now)

    async def replace_announcements_many(
        self,
        items: Sequence[tuple[int | None, Sequence[tuple[int, Announcement]]]],
        *,
        now: datetime,
    ) -> set[tuple[int, int | None]]:
        """`replace_announcements` for many entries at once, in two statements."""
        return (await self.record_announcements(items, now=now)).touched

    async def record_announcements(
        self,
        items: Sequence[tuple[int | None, Sequence[tuple[int, Announcement]]]],
        *,
        now: datetime,
        new: Collection[int] = (),
    ) -> AnnouncementChanges:
        """`replace_announcements_many`, also saying what each season only gained, so that
        its fold can go on from its stored summary. Those are the announcements as
        `announcements_of` would read them back (the stored values, in its order), but
        named as the caller named their shows: `refold_seasons` names them as the store
        does. `new`: ids of entries first recorded in this transaction, which have nothing
        to replace. Nothing is read back: two statements (per 500 entries), one when
        every entry is new."""
        touched: set[SeasonKey] = set()
        lost: set[SeasonKey] = set()
        entry_ids = [i for i, _ in items if i is not None and i not in new]
        for chunk in _chunks(entry_ids, 500):
            old = await self._c.execute(_DELETE_ANNOUNCEMENTS, {"entry_ids": chunk})
            lost.update((show_id, season_value(season)) for show_id, season in old)
        touched.update(lost)
        rows = []
        # The row each (entry, show, event, season) keeps: the first (ON CONFLICT DO NOTHING).
        kept: dict[tuple[Any, ...], tuple[str, dict[str, Any]]] = {}
        for entry_id, found in items:
            for show_id, item in found:
                touched.add((show_id, item.season))
                if entry_id is None:
                    lost.add((show_id, item.season))  # not read back below: refold in full
                row = _announcement_row(show_id, entry_id, item, now)
                rows.append(row)
                if entry_id is not None:
                    unique = (entry_id, show_id, row["event"], row["season"])
                    kept.setdefault(unique, (item.show, row))
        if rows:
            # executemany: compiled once and batched by the driver, whatever the row count.
            await self._c.execute(_insert_announcements(self._c.dialect.name), rows)
        added: dict[SeasonKey, list[Announcement]] = {}
        if rows and touched - lost:
            for name, row in self._in_read_order(kept.values()):
                key = (row["show_id"], season_value(row["season"]))
                if key not in lost:
                    added.setdefault(key, []).append(_announcement_as_stored(name, row))
        return AnnouncementChanges(touched=touched, added=added)

    def _in_read_order(
        self, rows: Iterable[tuple[str, dict[str, Any]]]
    ) -> list[tuple[str, dict[str, Any]]]:
        """Rows in the order `announcements_of` reads them: by published time, then id
        (the order they were inserted in); NULL times first on SQLite and last on
        PostgreSQL, as each orders them."""
        undated_first = self._c.dialect.name != "postgresql"
        earliest = datetime.min.replace(tzinfo=UTC)

        def order(item: tuple[str, dict[str, Any]]) -> tuple[bool, datetime]:
            published = item[1]["published"]
            if published is None:
                return not undated_first, earliest
            return undated_first, published.astimezone(UTC)

        return sorted(rows, key=order)  # stable: inserted order among equals

    async def announcements_of(
        self, seasons: Iterable[tuple[int, int | None]]
    ) -> dict[tuple[int, int | None], list[Announcement]]:
        """Every announcement about each of these (show id, season) pairs, oldest first."""
        wanted = set(seasons)
        found: dict[tuple[int, int | None], list[Announcement]] = {key: [] for key in wanted}
        pairs = sorted((show_id, season_key(season)) for show_id, season in wanted)
        for chunk in _chunks(pairs, 400):
            for row in await self._c.execute(_ANNOUNCEMENTS_OF, season_binds(chunk)):
                found[(row.show_id, season_value(row.season))].append(_announcement(row))
        return found

    async def announcements(self, show_id: int, season: int | None) -> list[Announcement]:
        """Every announcement about one season of a show, oldest first."""
        return (await self.announcements_of([(show_id, season)]))[(show_id, season)]

    async def add_mentions(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Remember which entries are about which shows, as (entry id, show id) pairs (for
        the latest headlines)."""
        rows = [{"entry_id": entry_id, "show_id": show_id} for entry_id, show_id in set(pairs)]
        if rows:
            await self._c.execute(_insert_mentions(self._c.dialect.name), rows)

    async def news(self, show_id: int, limit: int = 5) -> list[Source]:
        """The latest headlines about a show, newest first, one per link."""
        about = union(
            select(show_mentions.c.entry_id.label("entry_id")).where(
                show_mentions.c.show_id == show_id
            ),
            select(announcements.c.entry_id.label("entry_id")).where(
                announcements.c.show_id == show_id, announcements.c.entry_id.is_not(None)
            ),
        ).subquery()
        when = func.coalesce(entries.c.published, entries.c.first_seen)
        query = (
            select(
                entries.c.title,
                entries.c.link,
                when.label("when"),
                feeds.c.outlet,
                feeds.c.title.label("feed_title"),
                feeds.c.url,
            )
            .join(about, about.c.entry_id == entries.c.id)
            .join(feeds, feeds.c.id == entries.c.feed_id)
            .order_by(when.desc(), entries.c.id.desc())
            .limit(limit * 3)
        )
        seen: set[str] = set()
        result: list[Source] = []
        for row in await self._c.execute(query):
            identity = row.link or row.title
            if identity in seen:
                continue
            seen.add(identity)
            published = row.when
            result.append(
                Source(
                    outlet=row.outlet or row.feed_title or row.url,
                    link=row.link,
                    published=published if isinstance(published, datetime) else None,
                    title=row.title,
                )
            )
            if len(result) == limit:
                break
        return result
