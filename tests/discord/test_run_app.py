"""`python -m bot run`'s coroutine: the whole app starts, answers, and stops on SIGTERM
without losing anything."""

from __future__ import annotations

import asyncio
import signal

from bot.runtime import run
from bot.services import Services
from tests.discord.product import eventually
from tests.fake_discord import FakeDiscord
from tests.fake_discord.standard_world import StandardWorld
from tests.feeds.feed_server import FeedServer


async def test_run_serves_commands_and_stops_cleanly_on_sigterm(
    fake: FakeDiscord, world: StandardWorld, services: Services, feed_server: FeedServer
) -> None:
    # A followed local feed, so start-up seeds none of the public default feeds.
    async with services.store.transaction() as tx:
        await tx.feeds.add(feed_server.url("/local.xml"), outlet="Local")
    running = asyncio.create_task(run(services, fake.token))
    await fake.gateway.wait_for(lambda: fake.gateway.connected, timeout=10)

    async def synced() -> bool:  # globally: no DEV_GUILD_ID in these settings
        return "status" in fake.registered_commands()

    await eventually(synced, timeout=10, what="the command sync")

    answer = await fake.invoke("status", {}, user=world.member, channel=world.general)
    assert "1 ok" in answer.text()
    assert services.feed_schedule is not None and services.feed_schedule.scheduled()

    signal.raise_signal(signal.SIGTERM)
    await asyncio.wait_for(running, 10)
    assert services.feed_schedule is None  # polling stopped with the bot
    await fake.gateway.wait_for(lambda: not fake.gateway.connected, timeout=5)
    async with services.store.read() as tx:  # the store is intact and still usable
        assert [f.outlet for f in await tx.feeds.list()] == ["Local"]
