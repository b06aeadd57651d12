"""Fixtures for driving the real client through the fake Discord.

* `fake`: a running `FakeDiscord` (fast heartbeats); fails the test if the bot called a
  route the fake does not implement.
* `world`: the standard server (`StandardWorld`) inside `fake`.
* `make_bot`: builds a `CliffhangerBot` with the throwaway plumbing cog, syncing to the
  world's guild; pass `extensions=`, `services=` or `dev_guild_id=` to change that.
* `bot`: a bot from `make_bot()`, connected and ready for the whole test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence

import pytest

from bot.client import CliffhangerBot
from tests.fake_discord import FakeDiscord
from tests.fake_discord.standard_world import StandardWorld, build_standard_world

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
