from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Entry
from bot.records import FeedUpdate
from db.errors import FeedNotFoundError
from db.store import Store

NOW = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)


def entry(key: str, title: str, **fields: object) -> Entry:
    return replace(Entry(key=key, title=title, outlet="Example"), **fields)  # type: ignore[arg-type]


async def test_entries_are_stored_once_and_retitles_come_back(store: Store) -> None:
    first = [
        entry("a", "Alpha renewed", summary="s", link="https://x/a", categories=("TV", "News")),
        entry("b", "Beta cancelled", published=NOW - timedelta(hours=2), author="Jo"),
    ]
    async with store.transaction() as tx:
        feed = await tx.feeds.add("https://tv.example.com/feed/", outlet="Example")
        changes = await tx.feeds.upsert_entries(feed.id, first, NOW)
    assert [s.entry for s in changes.stored] == first
    assert changes.inserted == {s.id for s in changes.stored}
    assert {s.first_seen for s in changes.stored} == {NOW}

    later = NOW + timedelta(minutes=10)
    second = [
        entry("c", "Gamma premiere date"),
        entry("a", "Alpha renewed for season 2", summary="fixed", link="https://x/a"),
        entry("b", "Beta cancelled", published=NOW - timedelta(hours=2), author="Jo"),
    ]
    async with store.transaction() as tx:
        again = await tx.feeds.upsert_entries(feed.id, second, later)
    assert [s.entry.key for s in again.stored] == ["c", "a"]  # b is unchanged
    new_c, retitled_a = again.stored
    assert again.inserted == {new_c.id}
    assert new_c.new and not retitled_a.new
    assert retitled_a.id == changes.stored[0].id
    assert retitled_a.first_seen == NOW  # first seen stays

    async with store.transaction() as tx:
        quiet = await tx.feeds.upsert_entries(feed.id, second, later + timedelta(minutes=10))
        known = await tx.feeds.known_titles(feed.id, ["a", "c", "unknown"])
        nothing = await tx.feeds.upsert_entries(feed.id, [], later)
    assert quiet.stored == () and quiet.inserted == frozenset()
    assert known == {"a": "Alpha renewed for season 2", "c": "Gamma premiere date"}
    assert nothing.stored == ()

    async with store.read() as tx:
        stored = await tx.feeds.entries(feed.id)
    by_key = {s.entry.key: s.entry for s in stored}
    assert sorted(by_key) == ["a", "b", "c"]
    assert by_key["a"].title == "Alpha renewed for season 2"
    assert by_key["a"].summary == "fixed"
    assert by_key["b"].published == NOW - timedelta(hours=2)
    assert by_key["b"].author == "Jo"
    assert {e.outlet for e in by_key.values()} == {"Example"}


async def test_keys_are_per_feed(store: Store) -> None:
    async with store.transaction() as tx:
        one = await tx.feeds.add("https://one.example/feed")
        two = await tx.feeds.add("https://two.example/feed")
        a = await tx.feeds.upsert_entries(one.id, [entry("same", "Story")], NOW)
        b = await tx.feeds.upsert_entries(two.id, [entry("same", "Story")], NOW)
    assert len(a.inserted) == len(b.inserted) == 1
    assert a.inserted != b.inserted


async def test_many_entries_in_batches(store: Store) -> None:
    items = [entry(f"k{n}", f"Title {n}") for n in range(1200)]
    async with store.transaction() as tx:
        feed = await tx.feeds.add("https://big.example/feed")
        changes = await tx.feeds.upsert_entries(feed.id, items, NOW)
        known = await tx.feeds.known_titles(feed.id, [item.key for item in items])
    assert len(changes.inserted) == 1200
    assert len(known) == 1200
    assert [s.entry.key for s in changes.stored] == [i.key for i in items]


def state(**changes: object) -> FeedUpdate:
    update = FeedUpdate(
        title="Example TV",
        etag='"e"',
        last_modified="Sat, 01 Jun 2024 00:00:00 GMT",
        body_hash="h",
        status="failing",
        failures=2,
        last_error="HTTP 500",
        disabled_reason=None,
        initialised=True,
        next_poll_at=NOW + timedelta(minutes=40),
        last_polled_at=NOW,
        last_success_at=NOW - timedelta(hours=1),
    )
    return replace(update, **changes)  # type: ignore[arg-type]


async def test_record_poll_writes_the_state(store: Store) -> None:
    async with store.transaction() as tx:
        feed = await tx.feeds.add("https://tv.example.com/feed/")
        recorded = await tx.feeds.record_poll(feed.id, state())
    assert recorded is not None
    async with store.read() as tx:
        assert await tx.feeds.get(feed.id) == recorded
    assert (recorded.status, recorded.failures, recorded.last_error) == ("failing", 2, "HTTP 500")
    assert (recorded.etag, recorded.body_hash, recorded.initialised) == ('"e"', "h", True)
    assert recorded.next_poll_at == NOW + timedelta(minutes=40)
    assert recorded.last_success_at == NOW - timedelta(hours=1)


async def test_a_moved_feed_keeps_its_url_when_the_new_one_is_followed(store: Store) -> None:
    async with store.transaction() as tx:
        old = await tx.feeds.add("https://tv.example.com/old/")
        await tx.feeds.add("https://tv.example.com/taken/")
        moved = await tx.feeds.record_poll(old.id, state(moved_to="https://tv.example.com/new/"))
        clash = await tx.feeds.record_poll(
            old.id, state(moved_to="https://tv.example.com/taken/", failures=5)
        )
    assert moved is not None and moved.url == "https://tv.example.com/new/"
    assert clash is not None and clash.url == "https://tv.example.com/new/"
    assert clash.failures == 5  # the rest of the state is written all the same


async def test_count_and_feeds_removed_or_disabled_meanwhile(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.feeds.count() == 0
        feed = await tx.feeds.add("https://tv.example.com/feed/")
        other = await tx.feeds.add("https://other.example/feed/")
        await tx.feeds.upsert_entries(feed.id, [entry("a", "A")], NOW)
        assert await tx.feeds.count() == 2
        await tx.feeds.remove(feed.url)
        assert await tx.feeds.record_poll(feed.id, state()) is None
        with pytest.raises(FeedNotFoundError):
            await tx.feeds.entries(feed.id)
        # A poll that finishes after the operator disabled the feed does not re-enable it.
        await tx.feeds.set_enabled(other.url, False)
        assert await tx.feeds.record_poll(other.id, state(status="ok")) is None
        assert (await tx.feeds.get(other.id)).status == "disabled"


async def test_disable_and_enable(store: Store) -> None:
    async with store.transaction() as tx:
        feed = await tx.feeds.add("https://tv.example.com/feed/")
        await tx.feeds.record_poll(feed.id, state(failures=7))
        disabled = await tx.feeds.set_enabled(feed.url, False)
        assert (disabled.status, disabled.disabled_reason) == (
            "disabled",
            "disabled by the operator",
        )
        enabled = await tx.feeds.set_enabled(feed.url, True)
        assert (enabled.status, enabled.failures, enabled.disabled_reason) == ("ok", 0, None)
        assert enabled.next_poll_at is None
        with pytest.raises(FeedNotFoundError):
            await tx.feeds.set_enabled("https://nowhere.example/", True)
