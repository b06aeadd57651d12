"""Several processes on one database: any number may start (and migrate) at once, reads
never wait for a writer, and a writer waits its turn or says clearly why it gave up."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.shows.known import KnownShows
from db.errors import StoreBusyError
from db.store import Store
from tests.conftest import ENGINES, POSTGRES_URL, sqlite_write_lock_held

STARTING_AT_ONCE = 3


# `python -m bot migrate`, with its imports done before a start line arrives on stdin, so
# that every process reaches the database at the same moment (process start-up times
# differ by more than a migration takes).
_MIGRATE_ON_CUE = """
import sys
from bot.__main__ import main
import bot.cli_commands, db.engine, db.store
print("ready", flush=True)
sys.stdin.readline()
sys.exit(main(["migrate"]))
"""


async def _migrate_at_once(url: str, cwd: Path) -> list[tuple[int, str, str]]:
    """Run `migrate` in several processes at once; (exit status, out, err) of each."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "LOG_LEVEL")}
    env["DATABASE_URL"] = url
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            _MIGRATE_ON_CUE,
            cwd=cwd,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(STARTING_AT_ONCE)
    ]
    for process in processes:
        assert process.stdout is not None
        assert await asyncio.wait_for(process.stdout.readline(), 60) == b"ready\n"
    outputs = await asyncio.wait_for(
        asyncio.gather(*(process.communicate(b"go\n") for process in processes)), 120
    )
    return [
        (process.returncode or 0, out.decode().strip(), err.decode()[-500:])
        for process, (out, err) in zip(processes, outputs, strict=True)
    ]


async def _admin(statement: str) -> None:
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


@asynccontextmanager
async def _fresh_database(engine: str, tmp_path: Path) -> AsyncIterator[str]:
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    await _admin(f"CREATE DATABASE {name}")
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.mark.parametrize("engine", ENGINES)
async def test_any_number_of_processes_can_start_at_once(engine: str, tmp_path: Path) -> None:
    async with _fresh_database(engine, tmp_path) as url:
        finished = await _migrate_at_once(url, tmp_path)
    assert [(code, out) for code, out, _err in finished] == [
        (0, "The database schema is up to date.")
    ] * STARTING_AT_ONCE, [err for _code, _out, err in finished]


async def _prepared(tmp_path: Path) -> Path:
    path = tmp_path / "shared.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    await KnownShows.load(store)
    await store.close()
    return path


async def test_sqlite_reads_never_wait_for_a_writer(tmp_path: Path) -> None:
    path = await _prepared(tmp_path)
    with sqlite_write_lock_held(path):
        # Everything a read-only command does: open (schema check), load the shows, read.
        store = await Store.open(f"sqlite+aiosqlite:///{path}", busy_timeout=60)
        try:
            known = await asyncio.wait_for(KnownShows.load(store), 30)
            async with store.read() as tx:
                assert await tx.shows.count() == len(known) > 500
        finally:
            await store.close()


async def test_a_sqlite_writer_that_waited_too_long_says_why(tmp_path: Path) -> None:
    path = await _prepared(tmp_path)
    store = await Store.open(f"sqlite+aiosqlite:///{path}", busy_timeout=0.2)
    try:
        with sqlite_write_lock_held(path), pytest.raises(StoreBusyError) as raised:
            async with store.transaction() as tx:
                await tx.feeds.add("https://never.example/feed/")
        message = str(raised.value)
        assert message.startswith("the database is busy: another Cliffhanger process ")
        assert "0.2 s" in message and "\n" not in message
        async with store.read() as tx:
            assert await tx.feeds.count() == 0
    finally:
        await store.close()


async def test_a_sqlite_writer_waits_its_turn(tmp_path: Path) -> None:
    path = await _prepared(tmp_path)
    store = await Store.open(f"sqlite+aiosqlite:///{path}", busy_timeout=30)
    try:
        with sqlite_write_lock_held(path) as holder:
            threading.Timer(0.3, holder.execute, ("ROLLBACK",)).start()
            async with store.transaction() as tx:
                await tx.feeds.add("https://after.example/feed/")
        async with store.read() as tx:
            assert await tx.feeds.count() == 1
    finally:
        await store.close()


async def test_a_migration_sqlite_finds_locked_at_once_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Processes opening one new file together can meet a lock SQLite reports at once,
    # without its busy wait (about once in 50 starts of three): the next try succeeds.
    import sqlite3

    from sqlalchemy.exc import OperationalError
    from sqlalchemy.ext.asyncio import AsyncEngine

    import db.store
    from db.engine import migrate

    tries: list[int] = []

    async def locked_once(engine: AsyncEngine) -> None:
        tries.append(1)
        if len(tries) == 1:
            raise OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
        await migrate(engine)

    monkeypatch.setattr(db.store, "migrate", locked_once)
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'new.db'}", busy_timeout=5)
    try:
        assert len(tries) == 2
        async with store.read() as tx:
            assert await tx.feeds.count() == 0
    finally:
        await store.close()
    # A lock held past the whole busy wait is not tried again: the time is used up.
    tries.clear()
    with pytest.raises(StoreBusyError):
        await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'other.db'}", busy_timeout=0)
    assert len(tries) == 1
