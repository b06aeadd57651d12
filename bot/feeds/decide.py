"""What a poll means for a feed: pure decisions over plain data, no I/O.

The poller fetches and parses, then asks here: was the feed due, does the body need
parsing, what is the feed's state now (status, failure count, backoff, validators, URL),
and which of the recorded entries may raise alerts.

State machine (status): `ok` → `failing` on a failure; `failing` → `ok` on a success;
`failing` → `disabled` after `max_failures` failures in a row; any → `disabled` on a 410.
A failing feed waits interval × 2^failures (at most a day) before its next fetch, or longer
when the server sent Retry-After. A disabled feed is not fetched until the operator enables
it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.feeds.fetch import FetchOutcome, FetchResult
from bot.feeds.normalise import Item
from bot.feeds.parse import ParsedFeed
from bot.records import EntryChanges, FeedRecord, FeedUpdate
from bot.settings import Settings

OK = "ok"
FAILING = "failing"
DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """The timing rules of polling."""

    interval: timedelta = timedelta(minutes=10)
    max_failures: int = 10
    recent: timedelta = timedelta(days=3)  # entries older than this never alert
    max_backoff: timedelta = timedelta(days=1)
    max_cache: timedelta = timedelta(hours=1)  # cap on Cache-Control max-age
    max_retry_after: timedelta = timedelta(days=1)

    @classmethod
    def from_settings(cls, settings: Settings) -> PollPolicy:
        """The policy from POLL_INTERVAL_MINUTES, FEED_MAX_FAILURES and ALERT_RECENT_DAYS."""
        return cls(
            interval=timedelta(minutes=settings.poll_interval_minutes),
            max_failures=settings.feed_max_failures,
            recent=timedelta(days=settings.alert_recent_days),
        )


def backoff(policy: PollPolicy, failures: int) -> timedelta:
    """How long a feed that failed `failures` times in a row waits before its next fetch:
    interval × 2^failures, at most `max_backoff`."""
    if failures <= 0:
        return policy.interval
    # 2^20 intervals is years: past that the cap applies anyway, and the power stays small.
    factor: int = 2 ** min(failures, 20)
    return min(policy.interval * factor, policy.max_backoff)


def is_due(
    feed: FeedRecord, now: datetime, policy: PollPolicy, *, early: timedelta | None = None
) -> bool:
    """Whether a run should fetch the feed now. Scheduled runs come once per interval, so
    by default a wait is honoured to the nearest run: half an interval early counts as due;
    a run by hand passes `early=timedelta(0)` to honour it to the second."""
    if feed.status == DISABLED:
        return False
    slack = policy.interval / 2 if early is None else early
    return feed.next_poll_at is None or feed.next_poll_at - slack <= now


def needs_parse(feed: FeedRecord, fetch: FetchResult) -> bool:
    """Whether the fetched body must be parsed: there is one and it differs from the last
    body that was read successfully."""
    return fetch.outcome is FetchOutcome.OK and fetch.body_hash != feed.body_hash


def decide(
    feed: FeedRecord,
    fetch: FetchResult,
    parsed: ParsedFeed | Exception | None,
    now: datetime,
    policy: PollPolicy,
) -> FeedUpdate:
    """The feed's state after a fetch and, when the body was parsed, its parse (the
    ParsedFeed, or the exception that parsing raised; None when it was not parsed)."""
    if fetch.outcome is FetchOutcome.GONE:
        return _disabled(feed, now, f"the publisher removed the feed ({fetch.error})")
    if not fetch.ok:
        return failed(feed, fetch.error or fetch.outcome.value, now, policy, fetch.retry_after)
    if isinstance(parsed, Exception):
        return failed(feed, str(parsed) or type(parsed).__name__, now, policy)
    next_poll_at = None
    if fetch.max_age is not None:
        wait = min(timedelta(seconds=fetch.max_age), policy.max_cache)
        if wait > policy.interval:
            next_poll_at = now + wait
    etag, last_modified, body_hash = feed.etag, feed.last_modified, feed.body_hash
    title, initialised = feed.title, feed.initialised
    if fetch.outcome is FetchOutcome.OK:
        # A body is only "seen" once it was read; until then its validators stay unsent.
        etag, last_modified, body_hash = fetch.etag, fetch.last_modified, fetch.body_hash
    elif fetch.etag or fetch.last_modified:  # a 304 may carry fresh validators
        etag = fetch.etag or etag
        last_modified = fetch.last_modified or last_modified
    if isinstance(parsed, ParsedFeed):
        title = parsed.title or title
        initialised = True
    return FeedUpdate(
        title=title,
        etag=etag,
        last_modified=last_modified,
        body_hash=body_hash,
        status=OK,
        failures=0,
        last_error=None,
        disabled_reason=None,
        initialised=initialised,
        next_poll_at=next_poll_at,
        last_polled_at=now,
        last_success_at=now,
        moved_to=fetch.permanent_url if fetch.permanent_url != feed.url else None,
    )


def failed(
    feed: FeedRecord,
    error: str,
    now: datetime,
    policy: PollPolicy,
    retry_after: float | None = None,
    *,
    may_disable: bool = True,
) -> FeedUpdate:
    """The feed's state after a failed poll: one more failure, a longer wait, and disabled
    once `max_failures` are reached (unless `may_disable` is False: our own processing
    errors must not disable a feed that did nothing wrong)."""
    failures = feed.failures + 1
    if may_disable and failures >= policy.max_failures:
        return _disabled(
            feed, now, f"{failures} failures in a row; the last: {error}", failures=failures
        )
    wait = backoff(policy, failures)
    if retry_after is not None:
        wait = max(wait, min(timedelta(seconds=retry_after), policy.max_retry_after))
    return _state(
        feed,
        status=FAILING,
        failures=failures,
        last_error=error,
        disabled_reason=None,
        next_poll_at=now + wait,
        now=now,
    )


def _disabled(feed: FeedRecord, now: datetime, reason: str, *, failures: int = 0) -> FeedUpdate:
    return _state(
        feed,
        status=DISABLED,
        failures=failures or feed.failures,
        last_error=reason,
        disabled_reason=reason,
        next_poll_at=None,
        now=now,
    )


def _state(
    feed: FeedRecord,
    *,
    status: str,
    failures: int,
    last_error: str,
    disabled_reason: str | None,
    next_poll_at: datetime | None,
    now: datetime,
) -> FeedUpdate:
    # Validators, title and URL stay as they were: nothing new was read.
    return FeedUpdate(
        title=feed.title,
        etag=feed.etag,
        last_modified=feed.last_modified,
        body_hash=feed.body_hash,
        status=status,
        failures=failures,
        last_error=last_error[:500],
        disabled_reason=disabled_reason[:500] if disabled_reason else None,
        initialised=feed.initialised,
        next_poll_at=next_poll_at,
        last_polled_at=now,
        last_success_at=feed.last_success_at,
    )


def fresh_items(items: Iterable[Item], known_titles: Mapping[str, str]) -> list[Item]:
    """The items to record and process: new keys, and known keys whose title changed."""
    return [item for item in items if known_titles.get(item.key) != item.title]


def alertable(
    feed: FeedRecord, changes: EntryChanges, now: datetime, policy: PollPolicy
) -> frozenset[int]:
    """The ids of recorded entries that may raise alerts: none on a feed's first poll
    (those entries are history); later, entries first seen now and published within the
    recent window (an entry without a date counts as published now)."""
    if not feed.initialised:
        return frozenset()
    cutoff = now - policy.recent
    return frozenset(
        stored.id
        for stored in changes.stored
        if stored.id in changes.inserted
        and (stored.entry.published is None or stored.entry.published >= cutoff)
    )
