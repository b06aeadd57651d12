"""What the processes sharing one store coordinate through it (see bot/cluster.py).

* `WorkerLock`: who is the worker. On PostgreSQL a session advisory lock held on a
  dedicated connection: it frees itself when the holder's connection drops (a crash, a
  `kill -9`, a lost network), so a standby's next try takes it. On SQLite a lock file next
  to the database: SQLite serves one process, so a second one is refused.
* `ProcessRepo` (`tx.processes`): each process's heartbeat, shards and role, for /status.
* `CatalogueChangeRepo` (`tx.catalogue_changes`): the shows a process added to its known
  shows, read by the others every few seconds. On PostgreSQL writers take a transaction
  lock first, so ids are handed out in commit order and a reader that saw id N has seen
  every id below it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.records import CatalogueChange, ProcessRecord
from db.dialect import upsert
from db.errors import StoreInUseError
from db.schema.bookkeeping import catalogue_changes, processes

if TYPE_CHECKING:
    from filelock import FileLock

log = logging.getLogger(__name__)

# The advisory lock's two keys: a constant for Cliffhanger's worker, and the schema, so
# stores in different schemas of one database have a worker each.
_LOCK_CLASS = 0x434C4946  # "CLIF"
_LOCK_KEYS = f"{_LOCK_CLASS}, hashtext(current_schema())"
_CHANGES_LOCK_KEYS = f"{_LOCK_CLASS + 1}, hashtext(current_schema())"
# The server drops a holder it cannot reach after about idle + interval × count seconds
# (loopback and Unix sockets close at once anyway).
_KEEPALIVES = {"tcp_keepalives_idle": 5, "tcp_keepalives_interval": 2, "tcp_keepalives_count": 3}


class WorkerLock(Protocol):
    """Held by the one process that does the background work."""

    async def try_acquire(self) -> bool:
        """Take the lock if it is free; True if this process holds it now."""
        ...

    async def still_held(self, within: float) -> bool:
        """Whether the lock is still ours (its connection answers within `within` seconds)."""
        ...

    async def release(self) -> None:
        """Let the lock go (and close what holds it)."""
        ...


def worker_lock(engine: AsyncEngine) -> WorkerLock:
    """The worker lock for the store behind `engine`."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return _Unshared()
    return SoleProcessLock(Path(database))


class AdvisoryLock:
    """A PostgreSQL session advisory lock on a connection of its own (never pooled back
    while it holds the lock)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self.held = False

    async def _connect(self) -> AsyncConnection:
        if self._connection is None:
            connection = await self._engine.connect()
            try:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                for name, value in _KEEPALIVES.items():
                    await connection.execute(text(f"SET {name} = {value}"))
            except BaseException:
                await connection.close()
                raise
            self._connection = connection
        return self._connection

    async def try_acquire(self) -> bool:
        """Try the lock (keeping the connection open between tries)."""
        if self.held:
            return True
        try:
            connection = await self._connect()
            got = await connection.scalar(text(f"SELECT pg_try_advisory_lock({_LOCK_KEYS})"))
        except Exception:
            await self._drop()
            raise
        self.held = bool(got)
        return self.held

    async def still_held(self, within: float) -> bool:
        """A live session keeps its lock: ask the connection for a sign of life."""
        if not self.held or self._connection is None:
            return False
        try:
            await asyncio.wait_for(self._connection.scalar(text("SELECT 1")), within)
        except Exception:
            log.warning("lost the worker lock's database connection")
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        """Unlock and close the connection (closing alone would unlock too)."""
        if self._connection is not None and self.held:
            with contextlib.suppress(Exception):
                await self._connection.execute(text(f"SELECT pg_advisory_unlock({_LOCK_KEYS})"))
        await self._drop()

    async def _drop(self) -> None:
        connection, self._connection, self.held = self._connection, None, False
        if connection is not None:
            with contextlib.suppress(Exception):
                # Never hand a connection that may hold the lock back to the pool.
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()


class SoleProcessLock:
    """SQLite: a lock file beside the database, held while the process runs; the system
    frees it when the process dies. A second process is refused, not made to wait."""

    def __init__(self, database: Path) -> None:
        from filelock import FileLock  # only the bot's worker locks: commands never import it

        self._database = database
        self._lock: FileLock = FileLock(f"{database}.lock")

    async def try_acquire(self) -> bool:
        """Take the file lock, or raise StoreInUseError if another process has it."""
        from filelock import Timeout as FileLockTimeout

        if self._lock.is_locked:
            return True
        self._database.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except FileLockTimeout:
            raise StoreInUseError(
                f"another process is already running on {self._database}; SQLite serves one "
                "process, so several need PostgreSQL (see README: Running several processes)"
            ) from None
        return True

    async def still_held(self, within: float) -> bool:
        """The file lock lasts as long as the process."""
        return self._lock.is_locked

    async def release(self) -> None:
        """Let another process run on the file."""
        if self._lock.is_locked:
            self._lock.release(force=True)


class _Unshared:
    """An in-memory database: nothing else can open it, so this process is the worker."""

    async def try_acquire(self) -> bool:
        return True

    async def still_held(self, within: float) -> bool:
        return True

    async def release(self) -> None:
        return None


# -- the process table -------------------------------------------------------------------


class ProcessRepo:
    """Heartbeats of the processes sharing the store."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def beat(
        self,
        name: str,
        *,
        shards: str,
        worker: bool,
        now: datetime,
        started_at: datetime,
        polled_at: datetime | None,
    ) -> None:
        """Record that `name` is alive now, with its shards and role."""
        values = {"shards": shards, "worker": worker, "seen_at": now, "polled_at": polled_at}
        await self._c.execute(
            upsert(self._c, processes)
            .values(name=name, started_at=started_at, **values)
            .on_conflict_do_update(index_elements=["name"], set_=values)
        )
        if worker:  # a takeover: whoever was the worker before is not any more
            await self._c.execute(
                update(processes)
                .where(processes.c.name != name, processes.c.worker.is_(True))
                .values(worker=False)
            )

    async def leave(self, name: str) -> None:
        """The process stopped cleanly."""
        await self._c.execute(delete(processes).where(processes.c.name == name))

    async def seen_since(self, since: datetime) -> list[ProcessRecord]:
        """The processes heard from since `since`, the worker first."""
        query = (
            select(processes)
            .where(processes.c.seen_at >= since)
            .order_by(processes.c.worker.desc(), processes.c.name)
        )
        return [
            ProcessRecord(
                name=row.name,
                shards=row.shards,
                worker=bool(row.worker),
                started_at=row.started_at,
                seen_at=row.seen_at,
                polled_at=row.polled_at,
            )
            for row in await self._c.execute(query)
        ]

    async def forget_before(self, before: datetime) -> int:
        """Drop processes not heard from since `before` (they died without leaving)."""
        result = await self._c.execute(delete(processes).where(processes.c.seen_at < before))
        return int(result.rowcount or 0)


# -- the catalogue change log ------------------------------------------------------------


class CatalogueChangeRepo:
    """The log of catalogue changes the processes share."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def record(
        self,
        changes: Sequence[tuple[str, int, str | None]],
        *,
        origin: str,
        now: datetime,
    ) -> None:
        """Append (kind, show id, name before a rename) changes made by `origin`."""
        if not changes:
            return
        if self._c.dialect.name == "postgresql":
            # Held until commit: the next writer gets its ids after this commit.
            await self._c.execute(text(f"SELECT pg_advisory_xact_lock({_CHANGES_LOCK_KEYS})"))
        await self._c.execute(
            insert(catalogue_changes),
            [
                {
                    "show_id": show_id,
                    "kind": kind,
                    "before_name": before,
                    "origin": origin,
                    "created_at": now,
                }
                for kind, show_id, before in changes
            ],
        )

    async def last_id(self) -> int:
        """The newest change's id (0 when there is none)."""
        value = (await self._c.execute(select(func.max(catalogue_changes.c.id)))).scalar()
        return int(value or 0)

    async def after(self, last_id: int, limit: int = 1000) -> list[CatalogueChange]:
        """The changes after `last_id`, oldest first."""
        query = (
            select(catalogue_changes)
            .where(catalogue_changes.c.id > last_id)
            .order_by(catalogue_changes.c.id)
            .limit(limit)
        )
        return [
            CatalogueChange(
                id=row.id,
                show_id=row.show_id,
                kind=row.kind,
                before_name=row.before_name,
                origin=row.origin,
            )
            for row in await self._c.execute(query)
        ]

    async def forget_before(self, before: datetime) -> int:
        """Drop changes older than `before` (every running process has read them)."""
        result = await self._c.execute(
            delete(catalogue_changes).where(catalogue_changes.c.created_at < before)
        )
        return int(result.rowcount or 0)
