"""A summary of how the feeds are doing, for `feeds list` and `/status`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.feeds.decide import DISABLED, FAILING, OK
from bot.records import FeedRecord


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """Counts by status, the latest poll and success, and the feeds needing attention."""

    total: int
    ok: int
    failing: int
    disabled: int
    last_polled_at: datetime | None
    last_success_at: datetime | None
    problems: tuple[FeedRecord, ...]  # failing and disabled feeds, disabled first


def feed_health(feeds: Iterable[FeedRecord]) -> FeedHealth:
    """Summarise the feeds' state."""
    counts = {OK: 0, FAILING: 0, DISABLED: 0}
    polled: list[datetime] = []
    succeeded: list[datetime] = []
    problems: list[FeedRecord] = []
    total = 0
    for feed in feeds:
        total += 1
        counts[feed.status] = counts.get(feed.status, 0) + 1
        if feed.last_polled_at is not None:
            polled.append(feed.last_polled_at)
        if feed.last_success_at is not None:
            succeeded.append(feed.last_success_at)
        if feed.status != OK:
            problems.append(feed)
    problems.sort(key=lambda feed: (feed.status != DISABLED, -feed.failures, feed.url))
    return FeedHealth(
        total=total,
        ok=counts[OK],
        failing=counts[FAILING],
        disabled=counts[DISABLED],
        last_polled_at=max(polled, default=None),
        last_success_at=max(succeeded, default=None),
        problems=tuple(problems),
    )


def utc_text(moment: datetime) -> str:
    """A moment for a terminal: UTC, to the minute."""
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def describe_feed(feed: FeedRecord, when: Callable[[datetime], str] = utc_text) -> str:
    """One line about a feed's state for a terminal or (with `when` rendering a Discord
    timestamp, which each reader sees in their own timezone) a Discord embed field."""
    name = feed.name if feed.name != feed.url else ""
    head = f"{name} <{feed.url}>" if name else feed.url
    if feed.status == DISABLED:
        return f"{head}: disabled — {feed.disabled_reason or 'no reason recorded'}"
    if feed.status == FAILING:
        return f"{head}: failing ({feed.failures} in a row) — {feed.last_error or 'unknown error'}"
    if feed.last_success_at is None:
        return f"{head}: ok, not polled yet"
    return f"{head}: ok, last read {when(feed.last_success_at)}"
