"""Fixtures shared by the whole suite.

`store` is a real, migrated store: a SQLite file always, and PostgreSQL as well when
TEST_DATABASE_URL is set (each test then gets a schema of its own, dropped afterwards, so
tests never see each other's rows and can run in any order).

Property tests draw the same examples on every run (`derandomize`): a suite that passes
once passes again, and a counter-example found while writing one is kept as a plain test.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from db.store import Store
from tests.feeds.feed_server import FeedServer

settings.register_profile("fixed", derandomize=True, database=None)
settings.load_profile("fixed")

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The longest tests first: xdist hands tests out in this order, so the other worker
    # shares out the rest while they run, instead of one of them starting near the end
    # and running alone (a stable sort: the others keep their order).
    items.sort(key=lambda item: "long" not in item.keywords)
    if POSTGRES_URL:
        return
    skip = pytest.mark.skip(reason="set TEST_DATABASE_URL to run the PostgreSQL store tests")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


async def open_test_store(
    engine: str, tmp_path: Path, *, run_migrations: bool = True
) -> tuple[Store, str | None]:
    """A fresh store on `engine` (empty when not `run_migrations`); returns it and the
    PostgreSQL schema to drop, if any."""
    if engine == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return await Store.open(url, run_migrations=run_migrations), None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    bootstrap = await Store.open(POSTGRES_URL, run_migrations=False)
    async with bootstrap.engine.begin() as connection:
        await connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    await bootstrap.close()
    store = await Store.open(
        POSTGRES_URL,
        run_migrations=run_migrations,
        connect_args={"server_settings": {"search_path": schema}},
    )
    return store, schema


async def close_test_store(store: Store, schema: str | None) -> None:
    """Close the store and drop its PostgreSQL schema."""
    await store.close()
    if schema is None:
        return
    cleanup = await Store.open(POSTGRES_URL, run_migrations=False)
    async with cleanup.engine.begin() as connection:
        await connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    await cleanup.close()


@pytest.fixture(params=ENGINES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated store on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""
    opened, schema = await open_test_store(request.param, tmp_path)
    try:
        yield opened
    finally:
        await close_test_store(opened, schema)


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    """A started local feed server on 127.0.0.1 with no routes yet (tests/feeds/feed_server.py)."""
    async with FeedServer() as server:
        yield server


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated SQLite store, for tests that are not about the engine."""
    opened = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    try:
        yield opened
    finally:
        await opened.close()


@contextmanager
def sqlite_write_lock_held(path: Path, table: str = "feeds") -> Iterator[sqlite3.Connection]:
    """Another process writing to the SQLite file at `path` (a migrated store) until the
    block ends, or until the test rolls the returned connection back."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute(f"UPDATE {table} SET id = id")
    try:
        yield holder
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
