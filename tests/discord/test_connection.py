"""The client logs in, syncs commands and stays connected through the fake Discord."""

from __future__ import annotations

import discord

from bot.client import CliffhangerBot
from tests.discord.conftest import BotFactory
from tests.fake_discord import FakeDiscord, Perm
from tests.fake_discord.standard_world import StandardWorld

GUILDS_INTENT = 1


async def test_client_becomes_ready_with_the_guilds(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    assert bot.is_ready()
    assert bot.user is not None and bot.user.id == fake.bot_user.id
    assert [guild.id for guild in bot.guilds] == [world.guild.id]
    assert bot.get_channel(world.alerts.id) is not None


async def test_client_identifies_with_the_guilds_intent_only(
    fake: FakeDiscord, bot: CliffhangerBot
) -> None:
    (identify,) = fake.gateway.identify_payloads
    assert identify["intents"] == GUILDS_INTENT


async def test_commands_are_synced_to_the_dev_guild_only(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    assert "echo" in fake.registered_commands(world.guild)
    assert "feeds" in fake.registered_commands(world.guild)
    assert fake.registered_commands() == []


async def test_commands_are_synced_globally_without_a_dev_guild(
    fake: FakeDiscord, make_bot: BotFactory
) -> None:
    async with fake.running(make_bot(dev_guild_id=None)):
        assert "echo" in fake.registered_commands()
        assert fake.commands.sync_count == {None: 1}


async def test_services_are_handed_to_cogs(fake: FakeDiscord, make_bot: BotFactory) -> None:
    async with fake.running(make_bot(services="the-services")):
        result = await fake.invoke("services")
    assert result.content == "'the-services'"


async def test_bot_permissions_match_discords_rules(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.set_bot_permissions(world.alerts, deny=Perm.SEND_MESSAGES)
    fake.set_overwrite(world.general, world.guild.everyone, deny=Perm.EMBED_LINKS)
    await fake.sync_gateway()
    me = bot.guilds[0].me
    for channel in (world.alerts, world.general):
        cached = bot.get_channel(channel.id)
        assert isinstance(cached, discord.TextChannel)
        theirs = cached.permissions_for(me)
        ours = fake.permissions_in(channel, fake.bot_user)
        assert theirs.send_messages == bool(ours & Perm.SEND_MESSAGES)
        assert theirs.embed_links == bool(ours & Perm.EMBED_LINKS)
        assert theirs.view_channel == bool(ours & Perm.VIEW_CHANNEL)
    alerts = bot.get_channel(world.alerts.id)
    assert isinstance(alerts, discord.TextChannel)
    assert not alerts.permissions_for(me).send_messages


async def test_gateway_drop_is_followed_by_resume_and_events_still_arrive(
    fake: FakeDiscord, bot: CliffhangerBot
) -> None:
    await fake.drop_gateway()
    # Dispatched while the bot is disconnected: it must arrive through the RESUME replay.
    result = await fake.invoke("echo", {"text": "still here"})
    await fake.wait_for_resume()
    assert result.content == "still here"
    assert fake.gateway.identify_count == 1
    assert fake.gateway.resume_count == 1


async def test_events_after_a_resume_arrive(fake: FakeDiscord, bot: CliffhangerBot) -> None:
    await fake.drop_gateway()
    await fake.wait_for_resume()
    result = await fake.invoke("echo", {"text": "after resume"})
    assert result.content == "after resume"
    assert fake.gateway.identify_count == 1


async def test_channel_deletion_reaches_the_cache(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.delete_channel(world.alerts)
    await fake.sync_gateway()
    assert bot.get_channel(world.alerts.id) is None
