"""`run_bot` runs the client until a stop signal and closes it."""

from __future__ import annotations

import asyncio
import signal

from bot.client import run_bot
from tests.discord.conftest import BotFactory
from tests.fake_discord import FakeDiscord


async def test_sigterm_closes_the_client(fake: FakeDiscord, make_bot: BotFactory) -> None:
    bot = make_bot()
    running = asyncio.create_task(run_bot(bot, fake.token))
    await fake.gateway.wait_for(lambda: fake.gateway.connected, timeout=5)
    await asyncio.wait_for(bot.wait_until_ready(), 5)
    # run_bot installed its handler before connecting, so this does not kill pytest.
    signal.raise_signal(signal.SIGTERM)
    await asyncio.wait_for(running, 5)
    assert bot.is_closed()
    await fake.gateway.wait_for(lambda: not fake.gateway.connected, timeout=5)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


async def test_bot_that_stops_on_its_own_ends_run_bot(
    fake: FakeDiscord, make_bot: BotFactory
) -> None:
    bot = make_bot()
    running = asyncio.create_task(run_bot(bot, fake.token))
    await fake.gateway.wait_for(lambda: fake.gateway.connected, timeout=5)
    await asyncio.wait_for(bot.wait_until_ready(), 5)
    await bot.close()
    await asyncio.wait_for(running, 5)
    assert bot.is_closed()
