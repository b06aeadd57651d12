"""Fixtures for the TVmaze tests: a fake TVmaze and a sync wired to a real store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime

import pytest

from bot.shows.known import KnownShows
from bot.tvmaze.client import TvmazeClient
from bot.tvmaze.sync import CatalogueSync
from db.store import Store
from tests.tvmaze.fake_tvmaze import FakeTvmaze

TODAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTvmaze]:
    """A started fake TVmaze (no shows yet) whose "today" is TODAY."""
    async with FakeTvmaze(today=TODAY) as server:
        yield server


class Clock:
    """A settable clock for the syncs."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


SyncFactory = Callable[..., CatalogueSync]


@pytest.fixture
async def make_sync(fake: FakeTvmaze, clock: Clock) -> AsyncIterator[SyncFactory]:
    """Build a CatalogueSync on a store against the fake (a fast limiter by default)."""
    clients: list[TvmazeClient] = []

    def build(
        store: Store, known: KnownShows, *, calls: int = 1000, period: float = 1.0
    ) -> CatalogueSync:
        client = TvmazeClient(
            fake.url,
            user_agent="Cliffhanger-tests (tests@example.org)",
            calls=calls,
            period=period,
            backoff=0.05,
        )
        clients.append(client)
        return CatalogueSync(store, client, known, clock=clock)

    yield build
    for client in clients:
        await client.close()
