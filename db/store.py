"""The store: one object owning the engine, handing out transactions.

    store = await Store.open(settings.database_url)
    async with store.transaction() as tx:      # one write transaction
        feed = await tx.feeds.add("https://deadline.com/feed/")
    async with store.read() as tx:             # a read-only view
        feeds = await tx.feeds.list()

Every repository method takes and returns plain dataclasses (see bot/records.py and
bot/models.py); rows and connections never leave db/. All datetimes are aware UTC.
On SQLite, reads never wait for a writer, and a write transaction waits up to the busy
timeout for another process's write to finish, then raises StoreBusyError (see
db/engine.py). A database that cannot be opened raises StoreUnavailableError; both say
in one line what to do.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.cluster import CatalogueChangeRepo, ProcessRepo, WorkerLock, worker_lock
from db.direct import DirectDeliveryRepo
from db.engine import (
    DEFAULT_BUSY_TIMEOUT,
    READONLY,
    STATEMENT_READS,
    create_engine,
    migrate,
)
from db.errors import StoreBusyError, StoreUnavailableError
from db.explain import busy_message, explain_open_error, is_busy, redacted
from db.feeds import FeedRepo
from db.follows import FollowRepo
from db.forum_posts import ForumPostRepo
from db.guild_settings import GuildSettingsRepo
from db.listings import ListingRepo
from db.notices import NoticeRepo
from db.outbox import OutboxRepo
from db.premiere_events import PremiereEventRepo
from db.setup_steps import SetupSteps
from db.shows import ShowRepo
from db.sync_state import SyncStateRepo
from db.tvmaze import MirrorRepo
from db.watches import WatchRepo

log = logging.getLogger(__name__)
_BUSY_RETRY = 0.05  # seconds between tries of a migration SQLite found locked at once


class Tx:
    """The repositories, bound to one connection (and so to one transaction)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.feeds = FeedRepo(connection)
        self.shows = ShowRepo(connection)
        self.watches = WatchRepo(connection)
        self.outbox = OutboxRepo(connection)
        self.setup = SetupSteps(connection)
        self.guild_settings = GuildSettingsRepo(connection)
        self.notices = NoticeRepo(connection)
        self.forum_posts = ForumPostRepo(connection)
        self.mirror = MirrorRepo(connection)
        self.listings = ListingRepo(connection)
        self.sync_state = SyncStateRepo(connection)
        self.follows = FollowRepo(connection)
        self.direct = DirectDeliveryRepo(connection)
        self.premiere_events = PremiereEventRepo(connection)
        self.processes = ProcessRepo(connection)
        self.catalogue_changes = CatalogueChangeRepo(connection)
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once this transaction has committed (never if it rolls back),
        e.g. to wake the delivery worker for the alerts it queued."""
        self._after_commit.append(callback)


class Store:
    """Owns the engine. Create with `await Store.open(url)`, finish with `await close()`."""

    def __init__(self, engine: AsyncEngine, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.busy_timeout = busy_timeout

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        run_migrations: bool = True,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        **options: Any,
    ) -> Store:
        """Open the database at `url` and migrate it to the newest schema. Raises
        StoreUnavailableError when the database cannot be reached, created or read, and
        StoreBusyError when another process holds SQLite's write lock past `busy_timeout`
        seconds during a migration."""
        try:
            engine = create_engine(url, busy_timeout=busy_timeout, **options)
        except (OSError, sqlite3.Error) as error:
            raise _unavailable(url, error) from error
        store = cls(engine, busy_timeout=busy_timeout)
        if run_migrations:
            try:
                await _migrate_patiently(engine, busy_timeout)
            except (OSError, DBAPIError) as error:
                await engine.dispose()
                if isinstance(error, DBAPIError) and is_busy(error):
                    raise StoreBusyError(busy_message(busy_timeout)) from error
                raise _unavailable(url, error) from error
            except BaseException:
                await engine.dispose()
                raise
        return store

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """A write transaction: committed when the block ends, rolled back on error.
        StoreBusyError if another process kept SQLite's write lock past the busy timeout
        (nothing was written)."""
        try:
            async with self.engine.begin() as connection:
                tx = Tx(connection)
                yield tx
        except DBAPIError as error:
            if not is_busy(error):
                raise
            log.debug("waited %gs for the write lock", self.busy_timeout, exc_info=True)
            raise StoreBusyError(busy_message(self.busy_timeout)) from error
        for callback in tx._after_commit:
            try:
                callback()
            except Exception:  # the data is committed; a failed notification must not undo it
                log.exception("after-commit callback failed")

    @asynccontextmanager
    async def read(self, *, snapshot: bool = True) -> AsyncIterator[Tx]:
        """A read-only transaction (never takes SQLite's write lock). `snapshot=False`
        reads outside any transaction, each statement what is committed when it runs, for
        reads whose statements need not agree (a user's lookup): nothing to begin or end,
        which costs PostgreSQL a round trip each (BEGIN, ROLLBACK) and SQLite a trip to
        its thread (the ROLLBACK)."""
        async with self.engine.connect() as connection:
            if snapshot:
                await connection.execution_options(**{READONLY: True})
            elif self.dialect == "postgresql":
                await connection.execution_options(isolation_level="AUTOCOMMIT")
            else:
                await connection.execution_options(**{READONLY: True, STATEMENT_READS: True})
            yield Tx(connection)
            await connection.rollback()

    def worker_lock(self) -> WorkerLock:
        """The lock the worker process holds (see db/cluster.py)."""
        return worker_lock(self.engine)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def _unavailable(url: str, error: OSError | sqlite3.Error | DBAPIError) -> StoreUnavailableError:
    """The one-line error for a database that cannot be reached, created or read; the
    driver's detail goes to the DEBUG log."""
    log.debug("opening %s failed", redacted(url), exc_info=error)
    message = explain_open_error(url, error)
    if message is None:
        detail = str(error.orig if isinstance(error, DBAPIError) else error).splitlines()[0]
        message = f"can't open the database at {redacted(url)} ({detail}); check DATABASE_URL"
    return StoreUnavailableError(message)


async def _migrate_patiently(engine: AsyncEngine, busy_timeout: float) -> None:
    """`migrate`, tried again while SQLite says the database is locked, until
    `busy_timeout` seconds have passed. Processes opening one new file together can meet a
    lock SQLite reports at once, without its busy wait (seen about once in 50 starts of
    three processes), and migrating again is safe: it reads the revision anew under the
    write lock. A lock held past the busy wait has used up the time, so it is not retried."""
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            await migrate(engine)
            return
        except DBAPIError as error:
            if not is_busy(error) or time.monotonic() >= deadline:
                raise
        await asyncio.sleep(_BUSY_RETRY)
