"""Which shows' news is read (`ShowRepo.followed`, loaded at every start), and that the
statement stays an index probe per show however many announcements are stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import event

from bot.models import Show
from db.store import Store
from tests.conftest import ENGINES


async def test_followed_is_every_show_but_tvmaze_only_ones_out_of_the_news(store: Store) -> None:
    async with store.transaction() as tx:
        own = await tx.shows.ensure(Show("Severance"))
        mirrored = await tx.shows.ensure(Show("Quiet Mirror Show"), origin="tvmaze")
        await tx.shows.ensure(Show("Never Mentioned"), origin="tvmaze")
    async with store.read() as tx:
        assert [s.name for s in await tx.shows.followed()] == ["Severance"]
    assert own.id is not None and mirrored.id is not None


def _scans_without_a_key(node: dict[str, Any], table: str) -> list[str]:
    """The plan nodes that read all of `table` rather than probe it by a key."""
    found = []
    if node.get("Relation Name") == table and "Index Cond" not in node:
        found.append(node["Node Type"])
    for child in node.get("Plans", []):
        found += _scans_without_a_key(child, table)
    return found


@pytest.mark.parametrize("store", [ENGINES[1]], indirect=True)
async def test_followed_probes_the_announcements_per_show(store: Store) -> None:
    # Under the OR, `id IN (SELECT show_id FROM announcements)` is a hashed list only while
    # it fits work_mem; past that, PostgreSQL reads every announcement again for each show
    # (a million stored: minutes at each start). 50,000 announcements and a small work_mem
    # show that plan at once.
    async with store.transaction() as tx:
        run = tx.connection.exec_driver_sql
        await run(
            "INSERT INTO shows (name, key, origin, created_at) SELECT 'Show ' || n, "
            "'show ' || n, 'tvmaze', now() FROM generate_series(1, 5000) n"
        )
        await run(
            "INSERT INTO announcements (show_id, event, season, certainty, recognised_at) "
            "SELECT id, 'renewed', n, 'official', now() FROM shows, generate_series(1, 10) n "
            "WHERE id % 2 = 0"
        )
        await run("ANALYZE shows")
        await run("ANALYZE announcements")
    issued: list[tuple[str, Any]] = []

    def remember(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        issued.append((statement, parameters))

    event.listen(store.engine.sync_engine, "before_cursor_execute", remember)
    try:
        async with store.read() as tx:
            await tx.shows.followed()
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", remember)
    ((sql, params),) = [(s, p) for s, p in issued if "announcements" in s]
    async with store.transaction() as tx:
        await tx.connection.exec_driver_sql("SET LOCAL work_mem = '64kB'")
        result = await tx.connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = result.scalar_one()
    root = (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]
    assert _scans_without_a_key(root, "announcements") == []
