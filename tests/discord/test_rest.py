"""discord.py's REST behaviour against the fake: retries, nonces and error mapping."""

from __future__ import annotations

import discord
import pytest

from bot.client import CliffhangerBot
from tests.fake_discord import FakeDiscord, Perm
from tests.fake_discord.standard_world import StandardWorld

SEND = "POST /channels/{channel_id}/messages"


def text_channel(bot: CliffhangerBot, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_server_error_then_success_is_retried(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    rule = fake.fail_next(SEND, status=500)
    sent = await text_channel(bot, world.alerts.id).send("after a 500")
    assert rule.hits == 1
    assert [m.id for m in fake.messages(world.alerts)] == [sent.id]
    assert [r.status for r in fake.requests(SEND)] == [500, 200]


async def test_rate_limited_request_is_retried_after_retry_after(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    rule = fake.fail_next(SEND, status=429, retry_after=0.05)
    await text_channel(bot, world.alerts.id).send("after a 429")
    assert rule.hits == 1
    assert [m.content for m in fake.messages(world.alerts)] == ["after a 429"]
    assert [r.status for r in fake.requests(SEND)] == [429, 200]


async def test_global_rate_limit_is_retried(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.fail_next(SEND, status=429, retry_after=0.05, is_global=True)
    await text_channel(bot, world.alerts.id).send("after a global 429")
    assert len(fake.messages(world.alerts)) == 1


async def test_unavailable_service_is_not_retried(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    # discord.py retries 500, 502, 504 and 524 only.
    fake.fail_next(SEND, status=503)
    with pytest.raises(discord.DiscordServerError):
        await text_channel(bot, world.alerts.id).send("lost")
    assert fake.messages(world.alerts) == []


async def test_same_nonce_twice_creates_one_message(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    channel = text_channel(bot, world.alerts.id)
    first = await channel.send("alert", nonce="alert-42")
    second = await channel.send("alert", nonce="alert-42")
    other = await channel.send("alert", nonce="alert-43")
    assert first.id == second.id != other.id
    assert [m.nonce for m in fake.messages(world.alerts)] == ["alert-42", "alert-43"]


async def test_nonce_is_per_channel(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    await text_channel(bot, world.alerts.id).send("a", nonce="same")
    await text_channel(bot, world.general.id).send("b", nonce="same")
    assert len(fake.messages(world.alerts)) == len(fake.messages(world.general)) == 1


async def test_missing_send_permission_raises_forbidden(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.set_bot_permissions(world.alerts, deny=Perm.SEND_MESSAGES)
    with pytest.raises(discord.Forbidden) as caught:
        await bot.get_partial_messageable(world.alerts.id).send("nope")
    assert caught.value.code == 50013
    assert caught.value.text == "Missing Permissions"


async def test_embed_without_embed_links_raises_forbidden(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.set_bot_permissions(world.alerts, deny=Perm.EMBED_LINKS)
    channel = bot.get_partial_messageable(world.alerts.id)
    await channel.send("plain text still works")
    with pytest.raises(discord.Forbidden) as caught:
        await channel.send(embed=discord.Embed(title="Citadel renewed"))
    assert caught.value.code == 50013


async def test_hidden_channel_raises_forbidden(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.set_bot_permissions(world.alerts, deny=Perm.VIEW_CHANNEL)
    with pytest.raises(discord.Forbidden) as caught:
        await bot.get_partial_messageable(world.alerts.id).send("nope")
    assert caught.value.code == 50001


async def test_deleted_channel_raises_not_found(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.delete_channel(world.alerts)
    with pytest.raises(discord.NotFound) as caught:
        await bot.get_partial_messageable(world.alerts.id).send("gone")
    assert caught.value.code == 10003


async def test_message_body_is_validated_like_discord(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    with pytest.raises(discord.HTTPException) as caught:
        await bot.get_partial_messageable(world.alerts.id).send("x" * 2001)
    assert caught.value.status == 400
    assert caught.value.code == 50035


async def test_messages_record_what_discord_would_ping(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    channel = bot.get_partial_messageable(world.alerts.id)
    text = f"<@&{world.fans.id}> Citadel is back"
    await channel.send(text)  # the bot's default allowed_mentions ping nobody
    await channel.send(text, allowed_mentions=discord.AllowedMentions(roles=True))
    quiet, loud = fake.messages(world.alerts)[-2:]
    assert quiet.pinged_role_ids() == []
    assert loud.pinged_role_ids() == [world.fans.id]


async def test_unmentionable_role_is_not_pinged(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    roles_allowed = discord.AllowedMentions(roles=True)
    channel = bot.get_partial_messageable(world.alerts.id)
    await channel.send(f"<@&{world.moderators.id}> meeting", allowed_mentions=roles_allowed)
    (message,) = fake.messages(world.alerts)
    assert message.pinged_role_ids() == []  # Moderators is not mentionable
