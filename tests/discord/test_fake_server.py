"""The fake itself: strict where Discord is strict, loud about what it does not know."""

from __future__ import annotations

import discord
import pytest
from discord.ext import commands

from bot.client import CliffhangerBot
from tests.discord.conftest import BotFactory
from tests.fake_discord import FakeDiscord, Perm
from tests.fake_discord.permissions import (
    ALL_PERMISSIONS,
    Overwrite,
    OverwriteType,
    base_permissions,
    channel_permissions,
)
from tests.fake_discord.routes import RoutePattern
from tests.fake_discord.standard_world import StandardWorld, build_standard_world

GUILD, OWNER, USER, ROLE = 1, 2, 3, 4


def resolve(
    overwrites: list[Overwrite],
    *,
    everyone: int = Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES | Perm.EMBED_LINKS,
    roles: dict[int, int] | None = None,
    user: int = USER,
) -> int:
    role_permissions = {GUILD: everyone, **(roles or {})}
    base = base_permissions(
        guild_id=GUILD,
        owner_id=OWNER,
        user_id=user,
        role_ids=list(roles or {}),
        role_permissions=role_permissions,
    )
    return channel_permissions(
        base,
        guild_id=GUILD,
        user_id=user,
        role_ids=list(roles or {}),
        overwrites=overwrites,
        is_text=True,
    )


def test_owner_and_administrators_bypass_overwrites() -> None:
    deny_all = [Overwrite(GUILD, OverwriteType.ROLE, deny=ALL_PERMISSIONS)]
    assert resolve(deny_all, user=OWNER) == ALL_PERMISSIONS
    assert resolve(deny_all, roles={ROLE: Perm.ADMINISTRATOR}) == ALL_PERMISSIONS


def test_role_allow_beats_everyone_deny_and_member_deny_beats_role_allow() -> None:
    everyone_deny = Overwrite(GUILD, OverwriteType.ROLE, deny=Perm.SEND_MESSAGES)
    role_allow = Overwrite(ROLE, OverwriteType.ROLE, allow=Perm.SEND_MESSAGES)
    member_deny = Overwrite(USER, OverwriteType.MEMBER, deny=Perm.SEND_MESSAGES)
    assert not resolve([everyone_deny]) & Perm.SEND_MESSAGES
    assert resolve([everyone_deny, role_allow], roles={ROLE: 0}) & Perm.SEND_MESSAGES
    assert (
        not resolve([everyone_deny, role_allow, member_deny], roles={ROLE: 0}) & Perm.SEND_MESSAGES
    )


def test_implicit_rules() -> None:
    no_view = Overwrite(GUILD, OverwriteType.ROLE, deny=Perm.VIEW_CHANNEL)
    no_send = Overwrite(GUILD, OverwriteType.ROLE, deny=Perm.SEND_MESSAGES)
    assert resolve([no_view]) == 0
    assert not resolve([no_send]) & Perm.EMBED_LINKS


def test_route_patterns() -> None:
    send = RoutePattern.parse("POST /channels/{channel_id}/messages")
    assert send.matches("POST", "/channels/12/messages")
    assert not send.matches("GET", "/channels/12/messages")
    assert not send.matches("POST", "/channels/12/messages/3")
    assert RoutePattern.parse("/channels/*/messages/*").matches("PATCH", "/channels/1/messages/2")
    assert RoutePattern.parse("/interactions/**").matches("POST", "/interactions/1/abc/callback")


async def test_unknown_routes_are_recorded_and_answered_404(
    fake: FakeDiscord, bot: CliffhangerBot
) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/voice/regions"))
    assert fake.unknown_routes == ["GET /voice/regions"]
    fake.unknown_routes.clear()  # the fixture fails tests that leave unknown routes behind


async def test_wrong_token_fails_login(fake: FakeDiscord, make_bot: BotFactory) -> None:
    bot = make_bot()
    with pytest.raises(discord.LoginFailure):
        await bot.login("not-the-token")
    await bot.close()


async def test_privileged_intents_are_refused(fake: FakeDiscord, world: StandardWorld) -> None:
    intents = discord.Intents.none()
    intents.guilds = intents.members = True
    client = commands.AutoShardedBot(command_prefix="!", intents=intents, guild_ready_timeout=0.02)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with fake.running(client):
            pass


class QuickReidentifyBot(CliffhangerBot):
    """discord.py waits 5 s before every IDENTIFY but the first; tests need not."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


async def test_unresumable_session_is_re_identified() -> None:
    async with FakeDiscord(history_limit=2, heartbeat_interval_ms=250) as fake:
        world = build_standard_world(fake)
        bot = QuickReidentifyBot(
            services=None,
            extensions=["tests.discord.plumbing_cog"],
            dev_guild_id=world.guild.id,
            guild_ready_timeout=0.02,
        )
        async with fake.running(bot):
            await fake.drop_gateway()
            for index in range(3):  # more than the history keeps: the session cannot resume
                fake.add_text_channel(world.guild, f"extra-{index}")
            await fake.gateway.wait_for(
                lambda: fake.gateway.identify_count == 2 and fake.gateway.connected
            )
            result = await fake.invoke("echo", {"text": "fresh session"})
        assert result.content == "fresh session"
        assert fake.gateway.invalid_session_count == 1
        assert fake.gateway.resume_count == 0


async def test_world_changes_reach_the_bot_cache(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    extra = fake.add_text_channel(world.guild, "late-channel")
    role = fake.add_role(world.guild, "Late role")
    await fake.sync_gateway()
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    assert guild.get_channel(extra.id) is not None
    assert guild.get_role(role.id) is not None
