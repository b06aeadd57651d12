from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.feeds.health import describe_feed, feed_health
from bot.records import FeedRecord, FeedUpdate
from db.store import Store

NOW = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)
BASE = FeedRecord(
    id=1,
    url="https://a.example/feed/",
    title="A",
    outlet=None,
    etag=None,
    last_modified=None,
    body_hash=None,
    status="ok",
    failures=0,
    last_error=None,
    disabled_reason=None,
    initialised=True,
    next_poll_at=None,
    last_polled_at=NOW - timedelta(minutes=5),
    last_success_at=NOW - timedelta(minutes=5),
    created_at=NOW - timedelta(days=1),
)


def test_feed_health_counts_and_orders_problems() -> None:
    failing = replace(
        BASE,
        id=2,
        url="https://b.example/",
        status="failing",
        failures=2,
        last_error="HTTP 500",
        last_polled_at=NOW,
    )
    disabled = replace(
        BASE, id=3, url="https://c.example/", status="disabled", disabled_reason="HTTP 410 Gone"
    )
    never = replace(BASE, id=4, url="https://d.example/", last_polled_at=None, last_success_at=None)
    health = feed_health([BASE, failing, disabled, never])
    assert (health.total, health.ok, health.failing, health.disabled) == (4, 2, 1, 1)
    assert health.last_polled_at == NOW
    assert health.last_success_at == NOW - timedelta(minutes=5)
    assert health.problems == (disabled, failing)
    assert describe_feed(disabled) == "A <https://c.example/>: disabled — HTTP 410 Gone"
    assert describe_feed(failing) == "A <https://b.example/>: failing (2 in a row) — HTTP 500"
    assert describe_feed(replace(never, title=None)) == "https://d.example/: ok, not polled yet"
    assert describe_feed(BASE) == "A <https://a.example/feed/>: ok, last read 2024-06-02 11:55 UTC"
    empty = feed_health([])
    assert (empty.total, empty.last_polled_at, empty.problems) == (0, None, ())


async def test_health_of_the_stored_feeds(store: Store) -> None:
    async with store.transaction() as tx:
        feed = await tx.feeds.add("https://a.example/feed/")
        await tx.feeds.add("https://b.example/feed/")
        await tx.feeds.record_poll(
            feed.id,
            FeedUpdate(
                title=None,
                etag=None,
                last_modified=None,
                body_hash=None,
                status="failing",
                failures=1,
                last_error="timeout",
                disabled_reason=None,
                initialised=False,
                next_poll_at=None,
                last_polled_at=NOW,
                last_success_at=None,
            ),
        )
    async with store.read() as tx:
        health = feed_health(await tx.feeds.list())
    assert (health.total, health.ok, health.failing, health.last_polled_at) == (2, 1, 1, NOW)
