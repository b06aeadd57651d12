"""The tree-level error handler answers privately and helpfully."""

from __future__ import annotations

import pytest

from bot.client import FAILED_CHECK, GENERIC_FAILURE, CliffhangerBot
from cogs.checks import NOT_OWNER_MESSAGE
from tests.discord.conftest import BotFactory
from tests.discord.plumbing_cog import CUSTOM_REFUSAL
from tests.fake_discord import FakeDiscord, Perm, TeamRole
from tests.fake_discord.standard_world import StandardWorld


async def test_exception_gives_a_friendly_ephemeral_message(
    fake: FakeDiscord, bot: CliffhangerBot, caplog: pytest.LogCaptureFixture
) -> None:
    result = await fake.invoke("boom")
    assert result.content == GENERIC_FAILURE
    assert result.ephemeral
    assert "kaboom" in caplog.text


async def test_exception_after_deferring_answers_with_a_follow_up(
    fake: FakeDiscord, bot: CliffhangerBot
) -> None:
    result = await fake.invoke("boom_later")
    assert result.content == GENERIC_FAILURE
    assert result.ephemeral


async def test_failed_check_shows_its_message(fake: FakeDiscord, bot: CliffhangerBot) -> None:
    result = await fake.invoke("guarded")
    assert result.content == CUSTOM_REFUSAL
    assert result.ephemeral


async def test_plain_failed_check_gets_a_generic_refusal(
    fake: FakeDiscord, bot: CliffhangerBot
) -> None:
    result = await fake.invoke("plain_guarded")
    assert result.content == FAILED_CHECK
    assert result.ephemeral


async def test_missing_bot_permission_is_named(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.set_bot_permissions(world.general, deny=Perm.EMBED_LINKS)
    result = await fake.invoke("needs_embeds", channel=world.general)
    assert "**Embed Links** permission" in result.content
    assert result.ephemeral


async def test_owner_check_refuses_a_non_owner(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    result = await fake.invoke("shutdown", user=world.member)
    assert result.content == NOT_OWNER_MESSAGE
    assert result.ephemeral


async def test_owner_check_accepts_the_owner(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    result = await fake.invoke("shutdown", user=world.app_owner)
    assert result.content == "owner ok"


async def test_owner_check_accepts_team_developers_only(
    fake: FakeDiscord, world: StandardWorld, make_bot: BotFactory
) -> None:
    fake.make_team([(world.moderator, TeamRole.DEVELOPER), (world.member, TeamRole.READ_ONLY)])
    async with fake.running(make_bot()):
        developer = await fake.invoke("shutdown", user=world.moderator)
        read_only = await fake.invoke("shutdown", user=world.member)
    assert developer.content == "owner ok"
    assert read_only.content == NOT_OWNER_MESSAGE
