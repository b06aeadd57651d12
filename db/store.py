"""The store: one object owning the engine, handing out transactions.

    store = await Store.open(settings.database_url)
    async with store.transaction() as tx:      # one write transaction
        feed = await tx.feeds.add("https://deadline.com/feed/")
    async with store.read() as tx:             # a read-only view
        feeds = await tx.feeds.list()

Every repository method takes and returns plain dataclasses (see db/records.py and
bot/models.py); rows and connections never leave db/. All datetimes are aware UTC.
On SQLite, write transactions start with BEGIN IMMEDIATE so that two writers queue on the
busy timeout instead of failing when a reader upgrades to a writer.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.cluster import CatalogueChangeRepo, ProcessRepo, WorkerLock, worker_lock
from db.engine import create_engine, migrate
from db.feeds import FeedRepo
from db.forum_posts import ForumPostRepo
from db.guild_settings import GuildSettingsRepo
from db.notices import NoticeRepo
from db.outbox import OutboxRepo
from db.shows import ShowRepo
from db.tvmaze import ListingRepo, MirrorRepo, SyncStateRepo
from db.watches import WatchRepo

_READONLY = "cliffhanger_readonly"
log = logging.getLogger(__name__)


class Tx:
    """The repositories, bound to one connection (and so to one transaction)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.feeds = FeedRepo(connection)
        self.shows = ShowRepo(connection)
        self.watches = WatchRepo(connection)
        self.outbox = OutboxRepo(connection)
        self.guild_settings = GuildSettingsRepo(connection)
        self.notices = NoticeRepo(connection)
        self.forum_posts = ForumPostRepo(connection)
        self.mirror = MirrorRepo(connection)
        self.listings = ListingRepo(connection)
        self.sync_state = SyncStateRepo(connection)
        self.processes = ProcessRepo(connection)
        self.catalogue_changes = CatalogueChangeRepo(connection)
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once this transaction has committed (never if it rolls back),
        e.g. to wake the delivery worker for the alerts it queued."""
        self._after_commit.append(callback)


class Store:
    """Owns the engine. Create with `await Store.open(url)`, finish with `await close()`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @classmethod
    async def open(cls, url: str, *, run_migrations: bool = True, **options: Any) -> Store:
        """Open the database at `url` and migrate it to the newest schema."""
        engine = create_engine(url, **options)
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_manual_transactions)
            event.listen(engine.sync_engine, "begin", _sqlite_begin)
        store = cls(engine)
        if run_migrations:
            try:
                await migrate(engine)
            except BaseException:
                await engine.dispose()
                raise
        return store

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """A write transaction: committed when the block ends, rolled back on error."""
        async with self.engine.begin() as connection:
            tx = Tx(connection)
            yield tx
        for callback in tx._after_commit:
            try:
                callback()
            except Exception:  # the data is committed; a failed notification must not undo it
                log.exception("after-commit callback failed")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        """A read-only transaction (never takes SQLite's write lock)."""
        async with self.engine.connect() as connection:
            await connection.execution_options(**{_READONLY: True})
            yield Tx(connection)
            await connection.rollback()

    def worker_lock(self) -> WorkerLock:
        """The lock the worker process holds (see db/cluster.py)."""
        return worker_lock(self.engine)

    @property
    def shared(self) -> bool:
        """Whether several processes may run on this store (PostgreSQL)."""
        return self.dialect == "postgresql"

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def _sqlite_manual_transactions(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred-only).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: SyncConnection) -> None:
    readonly = connection.get_execution_options().get(_READONLY, False)
    connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")
