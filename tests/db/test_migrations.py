"""Migrations: a migrated database has exactly the schema db/schema/ declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from db.engine import create_engine
from db.errors import SchemaTooNewError
from db.schema import metadata
from db.store import Store
from tests.conftest import ENGINES, close_test_store, open_test_store


def _describe(connection: Connection) -> dict[str, Any]:
    """Tables, columns (name, type, nullability), indexes, uniques and foreign keys."""
    inspector = inspect(connection)
    schema: dict[str, Any] = {}
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        schema[table] = {
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ),
            "pk": sorted(inspector.get_pk_constraint(table)["constrained_columns"]),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)
            ),
            "uniques": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
            "fks": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return schema


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


@pytest.mark.parametrize("engine", ENGINES)
async def test_migrated_schema_matches_declared_schema(engine: str, tmp_path: Path) -> None:
    store, schema = await open_test_store(engine, tmp_path)
    try:
        async with store.engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await close_test_store(store, schema)


async def test_fresh_and_migrated_databases_are_identical(tmp_path: Path) -> None:
    migrated = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'migrated.db'}")
    fresh = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")
    async with fresh.begin() as connection:
        await connection.run_sync(metadata.create_all)
    async with migrated.engine.connect() as a, fresh.connect() as b:
        assert await a.run_sync(_describe) == await b.run_sync(_describe)
    await migrated.close()
    await fresh.dispose()


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_store: Store) -> None:
    async with sqlite_store.engine.connect() as connection:
        assert (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1


async def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'newer.db'}"
    store = await Store.open(url)
    async with store.transaction() as tx:
        await tx.connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    await store.close()
    with pytest.raises(SchemaTooNewError, match="9999"):
        await Store.open(url)


async def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'twice.db'}"
    await (await Store.open(url)).close()
    store = await Store.open(url)
    async with store.engine.connect() as connection:
        assert await connection.run_sync(_diff) == []
    await store.close()


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from db.engine import alembic_config, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def _upgrade_to(connection: Connection, revision: str) -> None:
    from alembic import command

    from db.engine import alembic_config

    command.upgrade(alembic_config(connection), revision)


@pytest.mark.parametrize("engine", ENGINES)
async def test_a_store_seeded_by_an_earlier_version_is_marked_seeded(
    engine: str, tmp_path: Path
) -> None:
    from bot.feeds.sources import seed_default_feeds

    store, schema = await open_test_store(engine, tmp_path, run_migrations=False)
    try:
        async with store.engine.begin() as connection:
            await connection.run_sync(_upgrade_to, "0001")
            await connection.exec_driver_sql(
                "INSERT INTO feeds (url, created_at) VALUES ('https://mine.example/', "
                "'2024-06-01 12:00:00')"
            )
        async with store.engine.begin() as connection:
            await connection.run_sync(_upgrade_to, "head")
        async with store.transaction() as tx:
            await tx.feeds.remove("https://mine.example/")
        assert await seed_default_feeds(store) == []
    finally:
        await close_test_store(store, schema)


@pytest.mark.parametrize("engine", ENGINES)
async def test_word_postings_of_tvmaze_shows_take_their_show_key(
    engine: str, tmp_path: Path
) -> None:
    store, schema = await open_test_store(engine, tmp_path, run_migrations=False)
    try:
        async with store.engine.begin() as connection:
            await connection.run_sync(_upgrade_to, "0008")
            for show_id, key, origin in [(1, "dark harbor", "tvmaze"), (2, "dark", "catalogue")]:
                await connection.exec_driver_sql(
                    "INSERT INTO shows (id, name, key, origin, created_at) VALUES "
                    f"({show_id}, '{key}', '{key}', '{origin}', '2024-06-01 12:00:00')"
                )
            for word, show_id in [("dark", 1), ("harbor", 1), ("dark", 2)]:
                await connection.exec_driver_sql(
                    f"INSERT INTO show_words (word, show_id) VALUES ('{word}', {show_id})"
                )
        async with store.engine.begin() as connection:
            await connection.run_sync(_upgrade_to, "head")
            rows = await connection.exec_driver_sql(
                "SELECT word, show_id, mirror_key FROM show_words ORDER BY word, show_id"
            )
            assert [tuple(row) for row in rows] == [
                ("dark", 1, "dark harbor"),
                ("dark", 2, None),
                ("harbor", 1, "dark harbor"),
            ]
    finally:
        await close_test_store(store, schema)
