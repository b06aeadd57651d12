"""The store's repositories on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.models import (
    AlertChange,
    Announcement,
    Certainty,
    Event,
    SeasonState,
    Show,
    Source,
    Status,
    Window,
)
from db.engine import PREPARED_STATEMENTS, SQLITE_PREPARED_STATEMENTS
from db.errors import FeedExistsError, FeedNotFoundError
from db.store import Store, Tx

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
SOURCE = Source(outlet="TVLine", link="https://tvline.com/citadel-s2", published=NOW, title="t")


async def test_feed_urls_are_unique(store: Store) -> None:
    async with store.transaction() as tx:
        added = await tx.feeds.add("https://deadline.com/feed/", outlet="Deadline")
    assert added.status == "ok" and added.failures == 0 and not added.initialised
    with pytest.raises(FeedExistsError):
        async with store.transaction() as tx:
            await tx.feeds.add("https://deadline.com/feed/")
    async with store.read() as tx:
        assert [f.url for f in await tx.feeds.list()] == ["https://deadline.com/feed/"]
    async with store.transaction() as tx:
        await tx.feeds.remove("https://deadline.com/feed/")
    with pytest.raises(FeedNotFoundError):
        async with store.transaction() as tx:
            await tx.feeds.remove("https://deadline.com/feed/")


async def test_catalogue_finds_shows_by_name_or_alias(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.shows.ensure_many(
            [
                Show("Citadel", network="Prime Video"),
                Show("Citadel: Diana", aliases=("Citadel Diana",)),
                Show("The Order", aliases=("Order",)),
            ]
        )
        again = await tx.shows.ensure(Show("citadel"))
    assert again.name == "Citadel" and again.network == "Prime Video"
    async with store.read() as tx:
        assert (await tx.shows.count()) == 3
        diana = await tx.shows.find("citadel diana")
        order = await tx.shows.find("ORDER")
    assert diana is not None and diana.name == "Citadel: Diana"
    assert order is not None and order.name == "The Order"


async def test_announcements_fold_inputs_and_state_round_trip(store: Store) -> None:
    async with store.transaction() as tx:
        citadel = await tx.shows.ensure(Show("Citadel"))
        assert citadel.id is not None
        renewed = Announcement(
            show="Citadel",
            event=Event.RENEWED,
            certainty=Certainty.OFFICIAL,
            evidence="renewed for season 2",
            source=SOURCE,
            season=2,
        )
        window = Window(date(2024, 9, 1), date(2025, 4, 30), "late 2024 or even early 2025")
        guess = Announcement(
            show="Citadel",
            event=Event.PREMIERE_WINDOW,
            certainty=Certainty.SPECULATION,
            evidence="we tend to imagine",
            source=SOURCE,
            season=2,
            window=window,
        )
        touched = await tx.shows.replace_announcements(
            None, [(citadel.id, renewed), (citadel.id, guess)], now=NOW
        )
        assert touched == {(citadel.id, 2)}
        state = SeasonState(
            show="Citadel",
            season=2,
            status=Status.RENEWED,
            status_certainty=Certainty.OFFICIAL,
            status_first_reported=NOW,
            status_first_source=SOURCE,
            premiere_window=window,
            premiere_certainty=Certainty.SPECULATION,
            premiere_first_reported=NOW,
            premiere_first_source=SOURCE,
            sources=(SOURCE,),
            updated=NOW,
        )
        await tx.shows.save_state(citadel.id, state, now=NOW)
        await tx.shows.save_state(citadel.id, state, now=NOW)  # idempotent upsert
    async with store.read() as tx:
        stored = await tx.shows.announcements(citadel.id, 2)
        loaded = await tx.shows.states(citadel.id)
    assert {a.event for a in stored} == {Event.RENEWED, Event.PREMIERE_WINDOW}
    assert next(a for a in stored if a.window).window == window
    assert loaded == [state]


async def test_alert_fans_out_once_per_key(store: Store) -> None:
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Reacher"))
        other = await tx.shows.ensure(Show("The Boys"))
        assert show.id is not None and other.id is not None
        for channel in (11, 12):
            await tx.watches.add(
                guild_id=1,
                channel_id=channel,
                show_id=show.id,
                role_id=None,
                created_by=5,
                now=NOW,
            )
        await tx.watches.add(
            guild_id=1, channel_id=13, show_id=other.id, role_id=None, created_by=5, now=NOW
        )
    change = AlertChange("Reacher", 3, "renewed", "", Certainty.OFFICIAL, SOURCE)
    async with store.transaction() as tx:
        assert await tx.outbox.record_alert(show.id, change, now=NOW) == 2
    async with store.transaction() as tx:
        second_outlet = AlertChange(
            "Reacher", 3, "renewed", "", Certainty.REPORTED, Source("Deadline", "https://d/1")
        )
        assert await tx.outbox.record_alert(show.id, second_outlet, now=NOW) == 0
    async with store.read() as tx:
        due = await tx.outbox.due(NOW)
    assert sorted(d.channel_id for d in due) == [11, 12]
    assert len({d.nonce for d in due}) == 2 and all(len(d.nonce) <= 25 for d in due)
    assert due[0].change == change
    async with store.transaction() as tx:
        await tx.outbox.mark_sent(due[0].id, 999, now=NOW)
        await tx.outbox.mark_retry(due[1].id, "503", next_attempt_at=NOW + timedelta(minutes=1))
    async with store.read() as tx:
        assert [d.id for d in await tx.outbox.due(NOW)] == []
        assert [d.id for d in await tx.outbox.due(NOW + timedelta(minutes=1))] == [due[1].id]
        assert await tx.outbox.counts() == {"sent": 1, "pending": 1}


async def test_watch_disable_and_rewatch(store: Store) -> None:
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Severance"))
        assert show.id is not None
        watch, created = await tx.watches.add(
            guild_id=1, channel_id=20, show_id=show.id, role_id=7, created_by=5, now=NOW
        )
        assert created and watch.role_id == 7
        assert await tx.watches.disable_channel(20, "channel deleted", now=NOW) == 1
    async with store.read() as tx:
        listed = await tx.watches.for_guild(1)
        assert listed[0].disabled_reason == "channel deleted"
        assert await tx.watches.for_show(show.id) == []
    async with store.transaction() as tx:
        again, created = await tx.watches.add(
            guild_id=1,
            channel_id=20,
            show_id=show.id,
            role_id=None,
            created_by=5,
            now=NOW + timedelta(hours=1),
        )
        assert not created and again.disabled_reason is None and again.role_id is None
        assert await tx.watches.remove(guild_id=1, show_id=show.id, channel_id=None) == 1


async def test_rollback_keeps_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.feeds.add("https://tvline.com/feed/")
            raise RuntimeError("crash mid-transaction")
    async with store.read() as tx:
        assert await tx.feeds.list() == []


async def test_a_read_outside_a_transaction_reads_what_is_committed_at_each_statement(
    store: Store,
) -> None:
    async with store.read(snapshot=False) as tx:
        assert await tx.feeds.count() == 0
        async with store.transaction() as other:
            await other.feeds.add("https://deadline.com/feed/")
        # A snapshot would still show no feed on SQLite; each statement reads on its own.
        assert await tx.feeds.count() == 1
        assert not await _in_transaction(tx)  # no BEGIN, so nothing to end either
    async with store.read() as tx:
        await tx.feeds.count()
        assert await _in_transaction(tx)


async def _in_transaction(tx: Tx) -> bool:
    """Whether the database has a transaction open on `tx`'s connection."""
    driver = (await tx.connection.get_raw_connection()).driver_connection
    assert driver is not None
    if tx.connection.dialect.name == "postgresql":
        return bool(driver.is_in_transaction())  # asyncpg: the server's last status
    return bool(driver.in_transaction)


async def test_a_pooled_connection_that_died_is_replaced_when_taken(store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("SQLite connections do not die with a server")
    async with store.engine.connect() as admin:
        async with store.read() as tx:  # another connection, back in the pool after
            pid = (await tx.connection.exec_driver_sql("SELECT pg_backend_pid()")).scalar()
        await admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    # The one ping on taking a connection finds it closed and the pool opens another.
    for _ in range(2):
        async with store.read(snapshot=False) as tx:
            assert await tx.feeds.count() == 0
            again = (await tx.connection.exec_driver_sql("SELECT pg_backend_pid()")).scalar()
            assert again != pid


async def test_postgresql_connections_keep_every_name_search_shape_prepared(store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("prepared statements are asyncpg's")
    async with store.engine.connect() as connection:
        adapted = (await connection.get_raw_connection()).dbapi_connection
        kept = adapted._prepared_statement_cache  # type: ignore[union-attr]
        assert kept.capacity == PREPARED_STATEMENTS


async def test_postgresql_connections_never_jit_compile_queries(store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    async with store.read() as tx:
        assert (await tx.connection.exec_driver_sql("SHOW jit")).scalar() == "off"


async def test_sqlite_connections_keep_every_name_search_shape_prepared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[dict[str, object]] = []
    connect = sqlite3.connect

    def spy(*args: Any, **kwargs: Any) -> Any:
        opened.append(kwargs)
        return connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", spy)  # aiosqlite's connections and the engine's
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'prepared.db'}")
    try:
        async with store.read() as tx:
            assert await tx.feeds.count() == 0
    finally:
        await store.close()
    pooled = opened[1:]  # the first only checks that the file can be opened
    assert pooled and all(k["cached_statements"] == SQLITE_PREPARED_STATEMENTS for k in pooled)


async def test_batched_reads_and_writes_select_exactly_the_asked_seasons(store: Store) -> None:
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Yellowjackets"))
        assert show.id is not None
        items = []
        for season in (None, 2, 3):
            item = Announcement(
                show="Yellowjackets",
                event=Event.RENEWED,
                certainty=Certainty.OFFICIAL,
                evidence="renewed",
                source=SOURCE,
                season=season,
            )
            items.append((show.id, item))
        touched = await tx.shows.replace_announcements_many([(None, items)], now=NOW)
        assert touched == {(show.id, None), (show.id, 2), (show.id, 3)}
        await tx.shows.save_states(
            [(show.id, SeasonState(show="Yellowjackets", season=s)) for s in (None, 3)], now=NOW
        )
    async with store.read() as tx:
        found = await tx.shows.announcements_of({(show.id, None), (show.id, 3), (show.id, 9)})
        states = await tx.shows.states_of({(show.id, None), (show.id, 2)})
    assert {key: [a.season for a in value] for key, value in found.items()} == {
        (show.id, None): [None],
        (show.id, 3): [3],
        (show.id, 9): [],
    }
    assert list(states) == [(show.id, None)]


async def test_the_states_of_many_shows_are_read_at_once_as_one_by_one(store: Store) -> None:
    async with store.transaction() as tx:
        shows = [await tx.shows.ensure(Show(name)) for name in ("Severance", "Citadel", "Andor")]
        ids = [show.id for show in shows if show.id is not None]
        for show_id, seasons in zip(ids, ((None, 2, 1), (3,), ()), strict=True):
            await tx.shows.save_states(
                [(show_id, SeasonState(show="x", season=season)) for season in seasons], now=NOW
            )
    async with store.read() as tx:
        many = await tx.shows.states_of_shows([*ids, *ids])
        one_by_one = {show_id: await tx.shows.states(show_id) for show_id in ids}
    assert many == {show_id: found for show_id, found in one_by_one.items() if found}
    assert [state.season for state in many[ids[0]]] == [2, 1, None]
    assert ids[2] not in many


async def test_many_alerts_in_one_call_fan_out_only_the_new_keys(store: Store) -> None:
    async with store.transaction() as tx:
        reacher = await tx.shows.ensure(Show("Reacher"))
        silo = await tx.shows.ensure(Show("Silo"))
        assert reacher.id is not None and silo.id is not None
        for channel, show_id in ((21, reacher.id), (22, reacher.id), (23, silo.id)):
            await tx.watches.add(
                guild_id=1,
                channel_id=channel,
                show_id=show_id,
                role_id=None,
                created_by=None,
                now=NOW,
            )
        old = AlertChange("Reacher", 3, "renewed", "", Certainty.OFFICIAL, SOURCE)
        assert await tx.outbox.record_alert(reacher.id, old, now=NOW) == 2
        new = [
            (reacher.id, old),  # known key: queues nothing
            (reacher.id, AlertChange("Reacher", 3, "ending", "", Certainty.OFFICIAL, SOURCE)),
            (silo.id, AlertChange("Silo", 3, "renewed", "", Certainty.REPORTED, SOURCE)),
        ]
        assert await tx.outbox.record_alerts(new, now=NOW) == 3
    async with store.read() as tx:
        due = await tx.outbox.due(NOW)
    assert sorted((d.channel_id, d.change.event) for d in due) == [
        (21, "ending"),
        (21, "renewed"),
        (22, "ending"),
        (22, "renewed"),
        (23, "renewed"),
    ]
    assert len({d.nonce for d in due}) == 5 and all(len(d.nonce) <= 25 for d in due)
