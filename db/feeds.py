"""Feeds and their entries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from db.dialect import upsert
from db.errors import FeedExistsError, FeedNotFoundError
from db.records import FeedRecord
from db.schema import feeds


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

    async def remove(self, url: str) -> None:
        """Stop following a feed (its entries go with it). FeedNotFoundError if unknown."""
        result = await self._c.execute(delete(feeds).where(feeds.c.url == url))
        if result.rowcount == 0:
            raise FeedNotFoundError(url)
