"""Fixtures for the feed tests: the local feed server, fetchers, a clock the test moves,
and a sink that records what the poller gave it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.feeds.fetch import FeedFetcher
from bot.feeds.urls import URLPolicy
from bot.models import Announcement
from bot.records import FeedRecord, StoredEntry
from db.store import Tx

USER_AGENT = "CliffhangerTest/0.1 (+mailto:tests@example.org)"


def make_fetcher(policy: URLPolicy | None = None, **options: float) -> FeedFetcher:
    """A fetcher for tests: short timeout, small body cap, private hosts allowed unless a
    policy says otherwise."""
    settings: dict[str, float] = {"timeout": 5.0, "max_bytes": 300_000, "per_host": 2}
    settings.update(options)
    return FeedFetcher(
        user_agent=USER_AGENT,
        timeout=settings["timeout"],
        max_bytes=int(settings["max_bytes"]),
        per_host=int(settings["per_host"]),
        policy=policy or URLPolicy(allow_private=True),
    )


@pytest.fixture
async def fetcher() -> AsyncIterator[FeedFetcher]:
    """A fetcher that may reach 127.0.0.1 (FEED_ALLOW_PRIVATE_HOSTS=true)."""
    async with make_fetcher() as opened:
        yield opened


@dataclass
class ManualClock:
    """A clock that moves only when the test says so."""

    now: datetime = field(default_factory=lambda: datetime(2024, 6, 2, 12, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward and return the new time."""
        self.now += delta
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    """Now is 2024-06-02 12:00 UTC, the day after the fixture feeds were published."""
    return ManualClock()


@dataclass(frozen=True)
class SinkCall:
    """One call of the sink."""

    feed: FeedRecord
    entries: tuple[StoredEntry, ...]
    alertable: frozenset[int]


@dataclass
class RecordingSink:
    """A legitimate EntrySink that recognises nothing and remembers what it was given;
    `fail` makes it raise, as a failing recognition step would."""

    calls: list[SinkCall] = field(default_factory=list)
    fail: bool = False

    async def __call__(
        self,
        tx: Tx,
        feed: FeedRecord,
        entries: Sequence[StoredEntry],
        alertable: frozenset[int],
    ) -> Sequence[Announcement]:
        # Read inside the same transaction: the entries must already be visible there.
        stored = {entry.id for entry in await tx.feeds.entries(feed.id)}
        assert {entry.id for entry in entries} <= stored
        if self.fail:
            raise RuntimeError("recognition exploded")
        self.calls.append(SinkCall(feed, tuple(entries), alertable))
        return ()

    def titles(self) -> list[list[str]]:
        """The titles given in each call."""
        return [[stored.entry.title for stored in call.entries] for call in self.calls]


@pytest.fixture
def sink() -> RecordingSink:
    """A sink that records its calls."""
    return RecordingSink()
