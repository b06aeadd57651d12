"""What the processes sharing a store coordinate through it (db/cluster.py), on a real
database: delivery claims (SQLite, and PostgreSQL when configured), the worker lock
(PostgreSQL's advisory lock; SQLite's lock file), heartbeats and the catalogue change log
that keeps every process's known shows in step."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.models import AlertChange, Certainty, Show, Source
from bot.shows.known import KnownShows
from db.cluster import SoleProcessLock
from db.errors import StoreInUseError
from db.store import Store
from tests.conftest import close_test_store, open_test_store

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
CLAIM = timedelta(seconds=15)
SOURCE = Source(outlet="TVLine", link="https://tvline.com/x", published=NOW, title="t")


async def queue(store: Store, channels: list[int], alerts: int = 1) -> None:
    """`alerts` alerts about one show, to a watch in each of `channels`."""
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Slow Horses"))
        assert show.id is not None
        for channel in channels:
            await tx.watches.add(
                guild_id=1, channel_id=channel, show_id=show.id, role_id=None,
                created_by=None, now=NOW,
            )  # fmt: skip
        for season in range(1, alerts + 1):
            change = AlertChange("Slow Horses", season, "renewed", "", Certainty.OFFICIAL, SOURCE)
            await tx.outbox.record_alert(show.id, change, now=NOW)


async def claim(store: Store, owner: str, now: datetime = NOW, limit: int = 100) -> list[int]:
    async with store.transaction() as tx:
        claimed = await tx.outbox.claim_due(now, owner=owner, until=now + CLAIM, limit=limit)
    return [d.channel_id for d in claimed]


async def test_a_claimed_delivery_is_left_to_its_worker_until_the_claim_runs_out(
    store: Store,
) -> None:
    await queue(store, [11, 12, 13])
    assert await claim(store, "a", limit=2) == [11, 12]
    assert await claim(store, "b") == [13]  # disjoint
    assert await claim(store, "c") == []
    assert await claim(store, "a") == [11, 12]  # a worker's own claims stay its own
    async with store.read() as tx:
        assert await tx.outbox.next_due_at() == NOW + CLAIM  # nothing free before that
    assert sorted(await claim(store, "b", now=NOW + CLAIM)) == [11, 12, 13]  # ran out


async def test_marking_releases_the_claim_and_a_stepping_down_worker_releases_its_own(
    store: Store,
) -> None:
    await queue(store, [11, 12])
    async with store.transaction() as tx:
        first, _ = await tx.outbox.claim_due(NOW, owner="a", until=NOW + CLAIM)
        await tx.outbox.mark_retry(first.id, "503", next_attempt_at=NOW)
    assert await claim(store, "b") == [11]
    async with store.transaction() as tx:
        assert await tx.outbox.release_claims("a") == 1
    assert await claim(store, "c") == [12]


async def test_a_channel_claimed_elsewhere_keeps_its_order(store: Store) -> None:
    await queue(store, [11], alerts=2)
    assert await claim(store, "a", limit=1) == [11]
    # The channel's second alert must not overtake the first, claimed by another worker.
    assert await claim(store, "b") == []
    assert await claim(store, "b", now=NOW + CLAIM) == [11, 11]


@pytest.mark.postgres
async def test_concurrent_claims_never_share_a_delivery(tmp_path: Path) -> None:
    store, schema = await open_test_store("postgresql", tmp_path)
    try:
        await queue(store, list(range(100, 160)))
        results = await asyncio.gather(*(claim(store, f"w{i}", limit=7) for i in range(10)))
        claimed = [channel for result in results for channel in result]
        assert len(claimed) == len(set(claimed)) == 60
    finally:
        await close_test_store(store, schema)


@pytest.mark.postgres
async def test_the_advisory_lock_has_one_holder_and_frees_when_its_connection_dies(
    tmp_path: Path,
) -> None:
    store, schema = await open_test_store("postgresql", tmp_path)
    other, other_schema = await open_test_store("postgresql", tmp_path)
    first, second, elsewhere = store.worker_lock(), store.worker_lock(), other.worker_lock()
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire()
        assert await elsewhere.try_acquire()  # another schema, another store: its own worker
        assert await first.still_held(within=5)
        # The holder's backend goes away (a crash, as PostgreSQL sees it).
        async with store.engine.connect() as admin:
            await admin.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                " AND objid = hashtext(current_schema())::oid AND granted"
            )
        assert not await first.still_held(within=5)
        assert await second.try_acquire()
        assert not await first.try_acquire()
        await second.release()
        assert await first.try_acquire()
    finally:
        for lock in (first, second, elsewhere):
            await lock.release()
        await close_test_store(other, other_schema)
        await close_test_store(store, schema)


async def test_one_process_per_sqlite_file(tmp_path: Path) -> None:
    database = tmp_path / "data" / "cliffhanger.db"
    first, second = SoleProcessLock(database), SoleProcessLock(database)
    assert await first.try_acquire()
    with pytest.raises(StoreInUseError, match="several need PostgreSQL"):
        await second.try_acquire()
    await first.release()
    assert await second.try_acquire()
    await second.release()


async def test_heartbeats_name_one_worker(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.processes.beat(
            "a:1", shards="0 of 2", worker=True, now=NOW, started_at=NOW, polled_at=NOW
        )
        await tx.processes.beat(
            "b:2", shards="1 of 2", worker=False, now=NOW, started_at=NOW, polled_at=None
        )
        await tx.processes.beat(  # b takes over
            "b:2", shards="1 of 2", worker=True, now=NOW, started_at=NOW, polled_at=None
        )
    async with store.read() as tx:
        seen = await tx.processes.seen_since(NOW)
    assert [(p.name, p.worker) for p in seen] == [("b:2", True), ("a:1", False)]
    async with store.transaction() as tx:
        await tx.processes.leave("b:2")
        assert await tx.processes.forget_before(NOW + timedelta(seconds=1)) == 1
        assert await tx.processes.seen_since(NOW) == []


async def test_shows_one_process_adds_reach_another_process(store: Store) -> None:
    here = await KnownShows.load(store)
    there = await KnownShows.load(store)
    async with store.transaction() as tx:
        learned = await here.learn(tx, Show("Crystal Harbour"), origin="watch")
        mirrored = await tx.shows.ensure(Show("Quiet Lantern"), origin="tvmaze")
        renamed_before = await tx.shows.ensure(Show("Old Name"), origin="recognition")
        await here.share(tx, added=[mirrored])
        assert renamed_before.id is not None
        after = Show("New Name", id=renamed_before.id)
        await tx.connection.exec_driver_sql(
            f"UPDATE shows SET name = 'New Name', key = 'new name' WHERE id = {after.id}"
        )
        await here.share(tx, renamed=[(renamed_before, after)])
    assert there.index.lookup("Crystal Harbour").show is None
    assert await there.catch_up(store) == 3
    assert there.index.lookup("Crystal Harbour").show == learned
    assert there.catalogue.get_own("Crystal Harbour") is not None  # its news is read there
    found = (await there.lookup("Quiet Lantern")).show  # in the store, not in memory
    assert found is not None and found.id == mirrored.id
    renamed = there.index.lookup("New Name").show
    assert renamed is not None and renamed.id == after.id
    assert await there.catch_up(store) == 0
    assert await here.catch_up(store) == 0  # its own changes are not taken in twice
