"""A fresh store filled with the generated catalogue, as bench/when.py measures it.

A SQLite file or a throwaway PostgreSQL database; bench/memory.py and
bench/lookup_agreement.py build the same store, so that their figures are about the data
bench/when.py times.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.models import Announcement, Show
from bot.shows.names import name_key
from bot.state.fold import fold_season
from db.store import Store

BATCH = 1000  # announcements per multi-row INSERT (16 columns: under both engines' limits)
TX_BATCHES = 20  # INSERT batches per write transaction
STATES_PER_TX = 5000


async def build_store(
    store: Store,
    shows: Sequence[Show],
    pairs: Sequence[tuple[int, Announcement]],
    watch_count: int,
    weights: Sequence[float],
    rng: random.Random,
    news: int | None = None,
) -> dict[str, Any]:
    """Fill `store`: the first `news` shows (all by default) as the news's (the
    catalogue's), the others as TVmaze's; returns build timings and counts."""
    news = len(shows) if news is None else news
    now = datetime.now(UTC)
    timings: dict[str, Any] = {}
    started = time.perf_counter()

    async with store.transaction() as tx:
        await tx.shows.ensure_many(shows[:news], origin="catalogue")
    for start in range(news, len(shows), 5000):
        async with store.transaction() as tx:
            await tx.shows.ensure_many(shows[start : start + 5000], origin="tvmaze")
    async with store.read() as tx:
        stored = await tx.shows.all()
    ids = {name_key(show.name): show.id for show in stored if show.id is not None}
    show_ids = [ids[name_key(show.name)] for show in shows]
    timings["shows_s"] = time.perf_counter() - started

    mark = time.perf_counter()
    rows = [(show_ids[index], item) for index, item in pairs]
    touched: dict[tuple[int, int | None], list[Announcement]] = defaultdict(list)
    for start in range(0, len(rows), BATCH * TX_BATCHES):
        async with store.transaction() as tx:
            for batch_start in range(start, min(start + BATCH * TX_BATCHES, len(rows)), BATCH):
                batch = rows[batch_start : batch_start + BATCH]
                await tx.shows.replace_announcements(None, batch, now=now)
    for show_id, item in rows:
        touched[(show_id, item.season)].append(item)
    timings["announcements_s"] = time.perf_counter() - mark

    # The ingestion path reads each touched season back (`tx.shows.announcements`) before
    # folding; folding the very same announcements from memory gives the same states.
    mark = time.perf_counter()
    seasons = sorted(touched, key=lambda k: (k[0], -1 if k[1] is None else k[1]))
    fold_seconds = 0.0
    for start in range(0, len(seasons), STATES_PER_TX):
        async with store.transaction() as tx:
            for show_id, season in seasons[start : start + STATES_PER_TX]:
                fold_mark = time.perf_counter()
                state = fold_season(touched[(show_id, season)])
                fold_seconds += time.perf_counter() - fold_mark
                await tx.shows.save_state(show_id, state, now=now)
    timings["fold_and_save_s"] = time.perf_counter() - mark
    timings["fold_only_s"] = fold_seconds

    mark = time.perf_counter()
    guilds = [10**17 + g for g in range(max(1, watch_count // 20))]
    wanted: set[tuple[int, int, int]] = set()
    watchable, watch_weights = show_ids[:news], weights[:news]
    while len(wanted) < min(watch_count, len(guilds) * 3 * len(watchable)):
        guild = rng.choice(guilds)
        channel = guild * 10 + rng.randrange(3)
        show_id = rng.choices(watchable, watch_weights)[0]
        wanted.add((guild, channel, show_id))
    async with store.transaction() as tx:
        for guild, channel, show_id in sorted(wanted):
            await tx.watches.add(
                guild_id=guild,
                channel_id=channel,
                show_id=show_id,
                role_id=None,
                created_by=guild + 1,
                now=now,
            )
    timings["watches_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started

    # Statistics, as PostgreSQL's autovacuum keeps them for a real store: without them its
    # planner takes the TVmaze shows for a few hundred rows and scans instead of seeking.
    # Autovacuum also vacuums a table that many rows were inserted into (PostgreSQL 13+),
    # which marks its pages all-visible: without that, every index-only scan of the name
    # index (show_words) also reads the table.
    mark = time.perf_counter()
    if store.engine.dialect.name == "postgresql":
        async with store.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql("VACUUM (ANALYZE)")  # not in a transaction
    else:
        async with store.transaction() as tx:
            await tx.connection.exec_driver_sql("ANALYZE")
    timings["analyze_s"] = time.perf_counter() - mark
    async with store.read() as tx:
        timings["counts"] = {
            "shows": await tx.shows.count(),
            "announcements": len(rows),
            "season_states": len(seasons),
            "watches": await tx.watches.count(),
        }
    return timings


async def open_engine(engine: str, workdir: Path) -> tuple[Store, str | None, str]:
    """A fresh, migrated store; returns it, the PostgreSQL database to drop, and its URL."""
    if engine == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir / 'when.db'}"
        return await Store.open(url), None, url
    server = os.environ["TEST_DATABASE_URL"]
    database = f"bench_when_{uuid.uuid4().hex[:10]}"
    await _admin(server, f'CREATE DATABASE "{database}"')
    url = server.rsplit("/", 1)[0] + f"/{database}"
    try:
        store = await Store.open(url)
    except BaseException:
        await drop_database(server, database)
        raise
    return store, database, url


async def _admin(server: str, statement: str) -> None:
    admin = await Store.open(server, run_migrations=False)
    try:
        async with admin.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql(statement)
    finally:
        await admin.close()


async def drop_database(server: str, database: str) -> None:
    await _admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
