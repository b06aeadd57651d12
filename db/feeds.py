"""Feeds and their entries.

Poll bookkeeping: the poller reads a feed, fetches and parses outside any transaction, then
in one write transaction locks the feed row (`lock`), writes the new state it decided
(`record_poll`), records the entries (`upsert_entries`) and hands the new or retitled ones
to recognition, so that an entry is recorded if and only if it was processed.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Entry
from bot.records import EntryChanges, FeedRecord, FeedUpdate, StoredEntry
from db.dialect import dialect_insert, upsert
from db.errors import FeedExistsError, FeedNotFoundError
from db.schema.news import entries, feeds
from db.season_states import forget_folds_of_feed

# Keys per IN (...) query: far below SQLite's limit on bound parameters (32766).
_ENTRY_BATCH = 500

# Built once: these run for every poll, and building a statement costs as much as running it.
_POLL_STATE = (
    "title",
    "etag",
    "last_modified",
    "body_hash",
    "status",
    "failures",
    "last_error",
    "disabled_reason",
    "initialised",
    "next_poll_at",
    "last_polled_at",
    "last_success_at",
)
_RECORD_POLL = (
    update(feeds)
    .where(feeds.c.id == bindparam("feed_id"), feeds.c.status != "disabled")
    .values({name: bindparam(name) for name in _POLL_STATE})
    .returning(*feeds.c)
)
_KNOWN_TITLES = select(entries.c.key, entries.c.title).where(
    entries.c.feed_id == bindparam("feed_id"),
    entries.c.key.in_(bindparam("keys", expanding=True)),
)


def _feed(row: Any) -> FeedRecord:
    return FeedRecord(
        id=row.id,
        url=row.url,
        title=row.title,
        outlet=row.outlet,
        etag=row.etag,
        last_modified=row.last_modified,
        body_hash=row.body_hash,
        status=row.status,
        failures=row.failures,
        last_error=row.last_error,
        disabled_reason=row.disabled_reason,
        initialised=bool(row.initialised),
        next_poll_at=row.next_poll_at,
        last_polled_at=row.last_polled_at,
        last_success_at=row.last_success_at,
        created_at=row.created_at,
    )


def _upsert_entries(insert: Any) -> Any:
    excluded = insert.excluded
    # An upsert even after reading the known titles: another poller may have inserted the
    # same entry meanwhile. Rows whose title is unchanged are neither written nor returned.
    return insert.on_conflict_do_update(
        index_elements=[entries.c.feed_id, entries.c.key],
        set_={
            "title": excluded.title,
            "summary": excluded.summary,
            "link": excluded.link,
            "published": excluded.published,
            "categories": excluded.categories,
            "author": excluded.author,
            "last_seen": excluded.last_seen,
        },
        where=entries.c.title != excluded.title,
    ).returning(entries.c.id, entries.c.key, entries.c.first_seen)


# Per dialect, as db.dialect.upsert would choose; built once (at first use, so that only
# the store's own dialect is loaded) like the statements above.
_UPSERT_ENTRIES: dict[str, Any] = {}


def _upsert_entries_for(dialect: str) -> Any:
    statement = _UPSERT_ENTRIES.get(dialect)
    if statement is None:
        statement = _UPSERT_ENTRIES[dialect] = _upsert_entries(dialect_insert(dialect)(entries))
    return statement


def _entry(row: Any, outlet: str) -> StoredEntry:
    return StoredEntry(
        id=row.id,
        feed_id=row.feed_id,
        entry=Entry(
            key=row.key,
            title=row.title,
            summary=row.summary,
            link=row.link,
            published=row.published,
            categories=tuple(json.loads(row.categories)),
            author=row.author,
            outlet=outlet,
        ),
        first_seen=row.first_seen,
    )


class FeedRepo:
    """Feeds (URL, validators, failure state) and the entries read from them."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def add(self, url: str, *, outlet: str | None = None) -> FeedRecord:
        """Follow a feed. Raises FeedExistsError if the URL is already followed."""
        now = datetime.now(UTC)
        statement = (
            upsert(self._c, feeds)
            .values(url=url, outlet=outlet, created_at=now)
            .on_conflict_do_nothing(index_elements=["url"])
            .returning(*feeds.c)
        )
        row = (await self._c.execute(statement)).first()
        if row is None:
            raise FeedExistsError(url)
        return _feed(row)

    async def get(self, feed_id: int) -> FeedRecord:
        """The feed with this id; FeedNotFoundError if none."""
        row = (await self._c.execute(select(feeds).where(feeds.c.id == feed_id))).first()
        if row is None:
            raise FeedNotFoundError(str(feed_id))
        return _feed(row)

    async def by_url(self, url: str) -> FeedRecord | None:
        """The feed with this URL, if followed."""
        row = (await self._c.execute(select(feeds).where(feeds.c.url == url))).first()
        return None if row is None else _feed(row)

    async def list(self) -> list[FeedRecord]:
        """Every feed, by URL."""
        rows = await self._c.execute(select(feeds).order_by(feeds.c.url))
        return [_feed(row) for row in rows]

    async def count(self) -> int:
        """How many feeds are followed."""
        return int((await self._c.execute(select(func.count()).select_from(feeds))).scalar_one())

    async def record_poll(self, feed_id: int, state: FeedUpdate) -> FeedRecord | None:
        """Write a feed's state after a poll. None, and nothing written, if the feed was
        removed or disabled meanwhile (a poll never overrides the operator). A new URL that
        is already followed as another feed is not taken; the rest is written all the same."""
        values = {name: getattr(state, name) for name in _POLL_STATE}
        row = (await self._c.execute(_RECORD_POLL, {"feed_id": feed_id, **values})).first()
        if row is None:
            return None
        if state.moved_to and state.moved_to != row.url:
            move = update(feeds).where(feeds.c.id == feed_id).values(url=state.moved_to)
            try:
                async with self._c.begin_nested():
                    row = (await self._c.execute(move.returning(*feeds.c))).one()
            except IntegrityError:
                pass
        return _feed(row)

    async def known_titles(self, feed_id: int, keys: Sequence[str]) -> dict[str, str]:
        """The stored titles of those of `keys` that the feed has, by key."""
        known: dict[str, str] = {}
        for start in range(0, len(keys), _ENTRY_BATCH):
            batch = {"feed_id": feed_id, "keys": list(keys[start : start + _ENTRY_BATCH])}
            rows = await self._c.execute(_KNOWN_TITLES, batch)
            known.update((row.key, row.title) for row in rows)
        return known

    async def upsert_entries(
        self, feed_id: int, items: Sequence[Entry], now: datetime
    ) -> EntryChanges:
        """Record entries of a feed. An entry is identified by (feed, key): a new key is
        inserted, a known key whose title changed is rewritten (outlets fix headlines),
        anything else is left untouched. Keys must be unique within `items`; pass only the
        new or retitled ones (see `known_titles`) to keep the write small."""
        if not items:
            return EntryChanges(stored=(), inserted=frozenset())
        values = [
            {
                "feed_id": feed_id,
                "key": item.key,
                "title": item.title,
                "summary": item.summary,
                "link": item.link,
                "published": item.published,
                "categories": json.dumps(list(item.categories)),
                "author": item.author,
                "first_seen": now,
                "last_seen": now,
            }
            for item in items
        ]
        result = await self._c.execute(_upsert_entries_for(self._c.dialect.name), values)
        changed = {row.key: (row.id, row.first_seen) for row in result}
        stored = tuple(
            StoredEntry(
                id=found[0], feed_id=feed_id, entry=item, first_seen=found[1], new=found[1] == now
            )
            for item in items
            if (found := changed.get(item.key)) is not None
        )
        inserted = frozenset(entry.id for entry in stored if entry.new)
        return EntryChanges(stored=stored, inserted=inserted)

    async def entries(
        self, feed_id: int, *, limit: int | None = None
    ) -> builtins.list[StoredEntry]:
        """A feed's stored entries, newest first (by published date, else first seen)."""
        feed = await self.get(feed_id)
        when = func.coalesce(entries.c.published, entries.c.first_seen)
        query = (
            select(entries)
            .where(entries.c.feed_id == feed_id)
            .order_by(when.desc(), entries.c.id.desc())
            .limit(limit)
        )
        return [_entry(row, feed.name) for row in await self._c.execute(query)]

    async def set_enabled(
        self, url: str, enabled: bool, *, reason: str | None = None
    ) -> FeedRecord:
        """Disable a feed (with a reason for `feeds list`), or enable it again with a clean
        failure count so that it is polled at its next turn. FeedNotFoundError if unknown."""
        if enabled:
            values: dict[str, Any] = {
                "status": "ok",
                "failures": 0,
                "disabled_reason": None,
                "next_poll_at": None,
            }
        else:
            values = {"status": "disabled", "disabled_reason": reason or "disabled by the operator"}
        statement = update(feeds).where(feeds.c.url == url).values(values).returning(*feeds.c)
        row = (await self._c.execute(statement)).first()
        if row is None:
            raise FeedNotFoundError(url)
        return _feed(row)

    async def remove(self, url: str) -> None:
        """Stop following a feed (its entries go with it). FeedNotFoundError if unknown."""
        # The seasons its news was folded into refold without it next time.
        feed_id = select(feeds.c.id).where(feeds.c.url == url).scalar_subquery()
        await forget_folds_of_feed(self._c, feed_id)
        result = await self._c.execute(delete(feeds).where(feeds.c.url == url))
        if result.rowcount == 0:
            raise FeedNotFoundError(url)
