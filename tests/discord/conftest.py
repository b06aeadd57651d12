"""Fixtures for driving the real client through the fake Discord.

* `fake`: a running `FakeDiscord` (fast heartbeats); fails the test if the bot called a
  route the fake does not implement.
* `world`: the standard server (`StandardWorld`) inside `fake`.
* `make_bot`: builds a `CliffhangerBot` with the throwaway plumbing cog, syncing to the
  world's guild; pass `extensions=`, `services=` or `dev_guild_id=` to change that.
* `bot`: a bot from `make_bot()`, connected and ready for the whole test.

Product fixtures (see tests/discord/product.py):

* `clock`: the fake clock every product part reads (starts 2024-06-02 12:00 UTC).
* `feed_server`: the local feed server (tests/feeds/feed_server.py).
* `services`: real `Services` on a temp SQLite store, with `clock`, fetching only from
  `feed_server`.
* `runtime`: the `FeedRuntime` over `services`, its scheduler started paused.
* `desk`: a `NewsDesk` that publishes stories on `feed_server` and polls them in.
* `app`: the bot loaded with `bot.runtime.EXTENSIONS` on `services`, connected and ready.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

from bot.client import CliffhangerBot
from bot.runtime import FeedRuntime
from bot.services import Services
from tests.discord.product import (
    FakeClock,
    NewsDesk,
    open_runtime,
    open_services,
    product_bot,
)
from tests.fake_discord import FakeDiscord
from tests.fake_discord.standard_world import StandardWorld, build_standard_world
from tests.feeds.feed_server import FeedServer

PLUMBING = "tests.discord.plumbing_cog"
FAST_GUILD_READY = 0.02

BotFactory = Callable[..., CliffhangerBot]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A fake Discord on 127.0.0.1, pointing discord.py at itself while the test runs."""
    async with FakeDiscord(heartbeat_interval_ms=250) as running:
        yield running
        assert not running.unknown_routes, f"routes the fake lacks: {running.unknown_routes}"


@pytest.fixture
def world(fake: FakeDiscord) -> StandardWorld:
    """The standard test server."""
    return build_standard_world(fake)


@pytest.fixture
def make_bot(world: StandardWorld) -> BotFactory:
    """Build (but do not start) a bot; defaults load the plumbing cog into the world's
    guild."""

    def build(
        *,
        extensions: Sequence[str] = (PLUMBING,),
        services: object = None,
        dev_guild_id: int | None = world.guild.id,
    ) -> CliffhangerBot:
        return CliffhangerBot(
            services=services,
            extensions=extensions,
            dev_guild_id=dev_guild_id,
            guild_ready_timeout=FAST_GUILD_READY,
        )

    return build


@pytest.fixture
async def bot(fake: FakeDiscord, make_bot: BotFactory) -> AsyncIterator[CliffhangerBot]:
    """A bot connected to the fake and ready."""
    async with fake.running(make_bot()) as connected:
        yield connected


# -- the product: real services, runtime and cogs ------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    """Now is 2024-06-02 12:00 UTC until the test moves it."""
    return FakeClock()


@pytest.fixture
async def services(
    tmp_path: Path, clock: FakeClock, feed_server: FeedServer
) -> AsyncIterator[Services]:
    """Real services on a fresh SQLite store."""
    async with open_services(tmp_path, clock, feed_server) as opened:
        yield opened


@pytest.fixture
async def runtime(services: Services) -> AsyncIterator[FeedRuntime]:
    """The feed runtime (poller, sink, schedules) with a paused scheduler."""
    async with open_runtime(services) as started:
        yield started


@pytest.fixture
def desk(
    feed_server: FeedServer, services: Services, runtime: FeedRuntime, clock: FakeClock
) -> NewsDesk:
    """Publishes stories on the local feed server and polls them into the store."""
    return NewsDesk(feed_server, services, runtime, clock)


@pytest.fixture
async def app(
    fake: FakeDiscord, world: StandardWorld, services: Services, runtime: FeedRuntime
) -> AsyncIterator[CliffhangerBot]:
    """The product bot (every cog of bot.runtime.EXTENSIONS), connected and ready."""
    async with fake.running(product_bot(services, world.guild.id)) as connected:
        yield connected
