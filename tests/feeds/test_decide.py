from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.feeds.decide import (
    PollPolicy,
    alertable,
    backoff,
    decide,
    failed,
    fresh_items,
    is_due,
    needs_parse,
)
from bot.feeds.fetch import FetchOutcome, FetchResult
from bot.feeds.normalise import Item, RawEntry
from bot.feeds.parse import NotAFeedError, ParsedFeed
from bot.models import Entry
from bot.records import EntryChanges, FeedRecord, FeedUpdate, StoredEntry

NOW = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)
POLICY = PollPolicy(interval=timedelta(minutes=10), max_failures=4, recent=timedelta(days=3))
URL = "https://tv.example.com/feed/"

FEED = FeedRecord(
    id=1,
    url=URL,
    title="Old title",
    outlet="Example",
    etag='"old"',
    last_modified="Fri, 31 May 2024 00:00:00 GMT",
    body_hash="old-hash",
    status="ok",
    failures=0,
    last_error=None,
    disabled_reason=None,
    initialised=True,
    next_poll_at=None,
    last_polled_at=None,
    last_success_at=None,
    created_at=NOW - timedelta(days=30),
)


def body(**changes: object) -> FetchResult:
    result = FetchResult(
        FetchOutcome.OK,
        URL,
        status=200,
        body=b"<rss/>",
        body_hash="new-hash",
        etag='"new"',
        last_modified="Sun, 02 Jun 2024 11:00:00 GMT",
    )
    return replace(result, **changes)  # type: ignore[arg-type]


PARSED = ParsedFeed(title="New title", link=None, items=(), reader="rss")


def apply(feed: FeedRecord, update: FeedUpdate) -> FeedRecord:
    """The feed as the store would hold it after the update."""
    return replace(
        feed,
        url=update.moved_to or feed.url,
        title=update.title,
        etag=update.etag,
        last_modified=update.last_modified,
        body_hash=update.body_hash,
        status=update.status,
        failures=update.failures,
        last_error=update.last_error,
        disabled_reason=update.disabled_reason,
        initialised=update.initialised,
        next_poll_at=update.next_poll_at,
        last_polled_at=update.last_polled_at,
        last_success_at=update.last_success_at,
    )


def test_backoff_doubles_and_is_capped_at_a_day() -> None:
    assert [backoff(POLICY, n) for n in range(1, 5)] == [
        timedelta(minutes=20),
        timedelta(minutes=40),
        timedelta(minutes=80),
        timedelta(minutes=160),
    ]
    assert backoff(POLICY, 9) == timedelta(days=1)
    assert backoff(POLICY, 10_000) == timedelta(days=1)


def test_is_due() -> None:
    assert is_due(FEED, NOW, POLICY)
    waiting = replace(FEED, next_poll_at=NOW + timedelta(minutes=20))
    assert not is_due(waiting, NOW, POLICY)
    assert not is_due(waiting, NOW + timedelta(minutes=14), POLICY)
    # Runs come every interval, so the run nearest the wanted time takes it.
    assert is_due(waiting, NOW + timedelta(minutes=15), POLICY)
    assert not is_due(replace(FEED, status="disabled"), NOW, POLICY)


def test_only_a_changed_body_is_parsed() -> None:
    assert needs_parse(FEED, body())
    assert not needs_parse(FEED, body(body_hash="old-hash"))
    assert not needs_parse(FEED, FetchResult(FetchOutcome.NOT_MODIFIED, URL, status=304))
    assert not needs_parse(FEED, FetchResult(FetchOutcome.HTTP_ERROR, URL, status=500))


def test_a_parsed_body_is_a_success_that_stores_validators() -> None:
    failing = replace(FEED, status="failing", failures=3, last_error="HTTP 500", initialised=False)
    update = decide(failing, body(), PARSED, NOW, POLICY)
    assert update == FeedUpdate(
        title="New title",
        etag='"new"',
        last_modified="Sun, 02 Jun 2024 11:00:00 GMT",
        body_hash="new-hash",
        status="ok",
        failures=0,
        last_error=None,
        disabled_reason=None,
        initialised=True,
        next_poll_at=None,
        last_polled_at=NOW,
        last_success_at=NOW,
    )


def test_an_unchanged_body_or_304_keeps_what_was_read() -> None:
    same = decide(
        FEED, body(body_hash="old-hash", etag=None, last_modified=None), None, NOW, POLICY
    )
    assert (same.status, same.body_hash, same.title) == ("ok", "old-hash", "Old title")
    not_modified = FetchResult(FetchOutcome.NOT_MODIFIED, URL, status=304)
    update = decide(FEED, not_modified, None, NOW, POLICY)
    assert (update.etag, update.last_modified) == (FEED.etag, FEED.last_modified)
    assert update.last_success_at == NOW
    fresh = decide(FEED, replace(not_modified, etag='"fresher"'), None, NOW, POLICY)
    assert (fresh.etag, fresh.last_modified) == ('"fresher"', FEED.last_modified)


def test_a_body_that_is_not_a_feed_is_a_failure_and_its_validators_are_not_kept() -> None:
    update = decide(FEED, body(), NotAFeedError("not a feed: HTML page"), NOW, POLICY)
    assert (update.status, update.failures) == ("failing", 1)
    assert update.last_error == "not a feed: HTML page"
    # Sending these back would get a 304 for a body that was never read.
    assert (update.etag, update.body_hash) == (FEED.etag, FEED.body_hash)
    assert update.next_poll_at == NOW + timedelta(minutes=20)


def test_failures_back_off_then_disable_the_feed() -> None:
    error = FetchResult(FetchOutcome.HTTP_ERROR, URL, status=500, error="HTTP 500")
    feed = FEED
    waits = []
    for _ in range(3):
        update = decide(feed, error, None, NOW, POLICY)
        assert update.status == "failing"
        assert update.next_poll_at is not None
        waits.append(update.next_poll_at - NOW)
        feed = apply(feed, update)
    assert waits == [timedelta(minutes=20), timedelta(minutes=40), timedelta(minutes=80)]
    update = decide(feed, error, None, NOW, POLICY)  # the 4th in a row: max_failures
    assert (update.status, update.failures, update.next_poll_at) == ("disabled", 4, None)
    assert update.disabled_reason == "4 failures in a row; the last: HTTP 500"
    recovered = decide(replace(feed, failures=3), body(), PARSED, NOW, POLICY)
    assert (recovered.status, recovered.failures, recovered.last_error) == ("ok", 0, None)


def test_gone_disables_at_once() -> None:
    gone = FetchResult(FetchOutcome.GONE, URL, status=410, error="HTTP 410 Gone")
    update = decide(FEED, gone, None, NOW, POLICY)
    assert update.status == "disabled"
    assert update.disabled_reason == "the publisher removed the feed (HTTP 410 Gone)"


def test_retry_after_is_honoured_within_limits() -> None:
    busy = FetchResult(FetchOutcome.HTTP_ERROR, URL, status=429, retry_after=7200, error="HTTP 429")
    assert decide(FEED, busy, None, NOW, POLICY).next_poll_at == NOW + timedelta(hours=2)
    short = replace(busy, retry_after=5)  # never sooner than the backoff
    assert decide(FEED, short, None, NOW, POLICY).next_poll_at == NOW + timedelta(minutes=20)
    huge = replace(busy, retry_after=10**9)
    assert decide(FEED, huge, None, NOW, POLICY).next_poll_at == NOW + timedelta(days=1)


def test_max_age_longer_than_the_interval_delays_the_next_fetch() -> None:
    assert decide(FEED, body(max_age=300), PARSED, NOW, POLICY).next_poll_at is None
    assert decide(FEED, body(max_age=1800), PARSED, NOW, POLICY).next_poll_at == (
        NOW + timedelta(minutes=30)
    )
    capped = decide(FEED, body(max_age=10**6), PARSED, NOW, POLICY)
    assert capped.next_poll_at == NOW + POLICY.max_cache


def test_a_permanent_redirect_moves_the_feed_only_when_it_worked() -> None:
    moved = body(permanent_url="https://tv.example.com/new-feed/")
    assert decide(FEED, moved, PARSED, NOW, POLICY).moved_to == "https://tv.example.com/new-feed/"
    assert decide(FEED, moved, NotAFeedError("no"), NOW, POLICY).moved_to is None
    assert decide(FEED, body(), PARSED, NOW, POLICY).moved_to is None


def test_processing_failures_never_disable() -> None:
    feed = replace(FEED, failures=10)
    update = failed(feed, "processing failed", NOW, POLICY, may_disable=False)
    assert (update.status, update.failures) == ("failing", 11)


def stored(entry_id: int, published: datetime | None) -> StoredEntry:
    entry = Entry(key=f"k{entry_id}", title=f"T{entry_id}", published=published)
    return StoredEntry(id=entry_id, feed_id=1, entry=entry, first_seen=NOW)


def test_which_entries_may_alert() -> None:
    changes = EntryChanges(
        stored=(
            stored(1, NOW - timedelta(hours=1)),  # new and recent
            stored(2, NOW - timedelta(days=4)),  # new but old news
            stored(3, None),  # new, undated: counts as now
            stored(4, NOW - timedelta(hours=1)),  # retitled, not new
            stored(5, NOW - timedelta(days=3)),  # on the edge of the window
        ),
        inserted=frozenset({1, 2, 3, 5}),
    )
    assert alertable(FEED, changes, NOW, POLICY) == {1, 3, 5}
    assert alertable(replace(FEED, initialised=False), changes, NOW, POLICY) == frozenset()


def test_only_new_and_retitled_items_are_fresh() -> None:
    items = [
        Item(key=key, title=title, outlet="", base=None, raw=RawEntry())
        for key, title in [("a", "Same"), ("b", "Fixed headline"), ("c", "New")]
    ]
    known = {"a": "Same", "b": "Typo headline", "z": "Gone from the feed"}
    assert [item.key for item in fresh_items(items, known)] == ["b", "c"]
