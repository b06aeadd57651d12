"""The fake's model of Discord's rate limits, alone and against discord.py."""

from __future__ import annotations

import asyncio

import discord

from bot.client import CliffhangerBot
from tests.fake_discord import FakeDiscord, RateLimitConfig
from tests.fake_discord.ratelimits import RateLimitModel
from tests.fake_discord.standard_world import StandardWorld


class ManualClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_channel_bucket_refuses_the_sixth_message_in_five_seconds() -> None:
    clock = ManualClock()
    model = RateLimitModel(RateLimitConfig(), clock)
    for expected_remaining in ["4", "3", "2", "1", "0"]:
        limited, headers = model.check_channel_message(1)
        assert limited is None
        assert dict(headers)["X-RateLimit-Remaining"] == expected_remaining
    clock.now += 2.0
    limited, _ = model.check_channel_message(1)
    assert limited is not None and limited.status == 429
    assert isinstance(limited.body, dict)
    assert limited.body["retry_after"] == 3.0
    assert limited.body["global"] is False
    assert dict(limited.headers)["Via"]
    assert model.check_channel_message(2)[0] is None  # other channels have their own bucket
    clock.now += 3.0
    assert model.check_channel_message(1)[0] is None
    assert model.stats.channel_limited == 1


def test_global_limit_is_fifty_requests_a_second() -> None:
    clock = ManualClock()
    model = RateLimitModel(RateLimitConfig(), clock)
    assert all(model.check_global() is None for _ in range(50))
    limited = model.check_global()
    assert limited is not None and isinstance(limited.body, dict)
    assert limited.body["global"] is True
    assert ("X-RateLimit-Global", "true") in limited.headers
    clock.now += 1.0
    assert model.check_global() is None
    assert model.stats.total == 1


async def test_discord_py_paces_itself_from_the_bucket_headers(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.enable_rate_limits(RateLimitConfig(channel_message_window=0.2))
    channel = bot.get_partial_messageable(world.alerts.id)
    await asyncio.gather(*(channel.send(f"alert {i}") for i in range(12)))
    assert len(fake.messages(world.alerts)) == 12
    assert fake.rate_limit_stats.total == 0


async def test_global_rate_limit_is_waited_out(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.enable_rate_limits(RateLimitConfig(global_limit=2, global_window=0.5))
    for _ in range(3):
        channel = await bot.fetch_channel(world.alerts.id)
        assert isinstance(channel, discord.TextChannel)
    assert fake.rate_limit_stats.global_limited >= 1
    assert [r.status for r in fake.requests("GET /channels/*")][-1] == 200
