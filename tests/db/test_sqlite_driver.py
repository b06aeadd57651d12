"""SQLite statements cost one trip to aiosqlite's thread each (db/sqlite_driver.py), with
the results SQLAlchemy's own adapter gives, and a committed transaction is not rolled back
again when its connection goes back to the pool. Trips are counted, never timed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from bot.models import Entry
from db.engine import UNREAD
from db.schema.news import entries, feeds
from db.store import Store

NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """The calls made on aiosqlite's thread, by the name of the function run there."""
    counted: Counter[str] = Counter()
    run = aiosqlite.Connection._execute

    async def counting(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counted[getattr(fn, "__name__", "?")] += 1
        return await run(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
    yield counted


async def test_one_trip_per_statement_and_none_after_a_commit(
    sqlite_store: Store, trips: Counter[str]
) -> None:
    async with sqlite_store.transaction() as tx:  # a pooled connection, opened already
        await tx.feeds.count()
    trips.clear()
    async with sqlite_store.transaction() as tx:
        feed = await tx.feeds.add("http://example.org/feed")  # INSERT ... RETURNING
        changes = await tx.feeds.upsert_entries(
            feed.id,
            [Entry(key=f"k{n}", title=f"t{n}", outlet="o") for n in range(3)],
            NOW,
        )
        assert await tx.feeds.known_titles(feed.id, ["k0", "k2", "nope"]) == {
            "k0": "t0",
            "k2": "t2",
        }
    # Three statements (BEGIN IMMEDIATE goes with the first), COMMIT; no rollback on the way
    # back to the pool.
    assert trips == Counter({"_run": 3, "commit": 1})
    assert len(changes.stored) == 3 and changes.inserted == {s.id for s in changes.stored}


async def test_a_transaction_begins_with_its_first_statement(
    sqlite_store: Store, trips: Counter[str]
) -> None:
    async with sqlite_store.transaction() as tx:
        await tx.feeds.count()
    trips.clear()
    async with sqlite_store.transaction() as tx:
        raw = await tx.connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None and not driver.in_transaction
        await tx.feeds.add("http://example.org/feed")
        assert driver.in_transaction  # BEGIN IMMEDIATE ran, before the INSERT
    async with sqlite_store.transaction():
        pass
    async with sqlite_store.read():
        pass
    # Neither empty one cost a trip: nothing began, so nothing was committed or rolled back.
    assert trips == Counter({"_run": 1, "commit": 1})
    with pytest.raises(IntegrityError):  # the first statement fails: the BEGIN is undone
        async with sqlite_store.transaction() as tx:
            again = insert(feeds).values(url="http://example.org/feed", created_at=NOW)
            await tx.connection.execute(again)
    assert not driver.in_transaction
    async with sqlite_store.read() as tx:
        assert await tx.feeds.count() == 1


async def test_a_read_outside_a_transaction_makes_no_trip_but_its_statements(
    sqlite_store: Store, trips: Counter[str]
) -> None:
    async with sqlite_store.read() as tx:  # a pooled connection, opened already
        await tx.feeds.count()
    assert trips["rollback"] == 1  # a snapshot's read transaction ends with a trip
    trips.clear()
    async with sqlite_store.read(snapshot=False) as tx:
        raw = await tx.connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await tx.feeds.count()
        assert not driver.in_transaction  # no BEGIN: the statement ran on its own
        await tx.feeds.list()
    assert trips == Counter({"_run": 2})  # and there is nothing to roll back


async def test_results_as_sqlalchemy_reads_them(sqlite_store: Store) -> None:
    async with sqlite_store.transaction() as tx:
        connection = tx.connection
        result = await connection.execute(
            insert(feeds), [{"url": f"http://example.org/{n}", "created_at": NOW} for n in (1, 2)]
        )
        assert result.rowcount == 2  # executemany
        one = await connection.execute(
            insert(feeds).values(url="http://example.org/3", created_at=NOW)
        )
        assert one.inserted_primary_key is not None and one.inserted_primary_key[0] == 3
        urls = await connection.execute(select(feeds.c.url).order_by(feeds.c.id))
        assert urls.keys() == ["url"]
        assert urls.fetchmany(2) == [("http://example.org/1",), ("http://example.org/2",)]
        assert urls.fetchone() == ("http://example.org/3",)
        assert urls.fetchone() is None
        updated = await connection.execute(text("UPDATE feeds SET title = 'x' WHERE id > 1"))
        assert updated.rowcount == 2
        count = select(func.count()).select_from(entries)
        assert (await connection.execute(count)).scalar_one() == 0


async def test_errors_are_the_drivers_and_roll_back(sqlite_store: Store) -> None:
    with pytest.raises(IntegrityError):
        async with sqlite_store.transaction() as tx:
            await tx.connection.execute(
                insert(feeds), [{"url": "http://example.org/same", "created_at": NOW}] * 2
            )
    async with sqlite_store.read() as tx:
        assert await tx.feeds.count() == 0
    # A connection that goes back to the pool inside a transaction is rolled back there.
    async with sqlite_store.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        dbapi, driver = raw.dbapi_connection, raw.driver_connection
        assert dbapi is not None
        await connection.run_sync(lambda _: dbapi.cursor().execute("BEGIN"))
        assert driver is not None and driver.in_transaction
    assert not driver.in_transaction


async def test_a_write_nobody_reads_goes_with_the_next_statement_or_the_commit(
    sqlite_store: Store, trips: Counter[str]
) -> None:
    unread = insert(feeds).execution_options(**{UNREAD: True})
    row = {"url": "http://example.org/1", "created_at": NOW}
    async with sqlite_store.transaction() as tx:
        await tx.feeds.count()
    trips.clear()
    async with sqlite_store.transaction() as tx:
        await tx.connection.execute(unread, [row, {**row, "url": "http://example.org/2"}])
        assert trips == Counter()  # neither the BEGIN nor the INSERT made a trip
        assert await tx.feeds.count() == 2  # ... they went with this SELECT, first
        await tx.connection.execute(unread, {**row, "url": "http://example.org/3"})
    assert trips == Counter({"_run": 1, "_run_waiting": 1})  # the last INSERT and COMMIT
    async with sqlite_store.read() as tx:
        assert await tx.feeds.count() == 3

    # One that fails fails the transaction (here at the commit), which keeps nothing.
    with pytest.raises(IntegrityError):
        async with sqlite_store.transaction() as tx:
            await tx.connection.execute(unread, {**row, "url": "http://example.org/4"})
            await tx.connection.execute(unread, row)  # already stored
    # One still waiting when the transaction rolls back never runs.
    trips.clear()
    with pytest.raises(RuntimeError):
        async with sqlite_store.transaction() as tx:
            await tx.connection.execute(unread, {**row, "url": "http://example.org/5"})
            raise RuntimeError
    assert trips == Counter()
    async with sqlite_store.read() as tx:
        assert await tx.feeds.count() == 3
