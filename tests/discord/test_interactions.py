"""Interactions reach the bot's commands and its answers reach the fake."""

from __future__ import annotations

import pytest

from bot.client import CliffhangerBot
from tests.fake_discord import CallbackType, FakeDiscord, InvocationError, Perm
from tests.fake_discord.standard_world import StandardWorld


async def test_ephemeral_answer(fake: FakeDiscord, bot: CliffhangerBot) -> None:
    result = await fake.invoke("echo", {"text": "hello"})
    assert result.response_type is CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    assert result.content == "hello"
    assert result.ephemeral


async def test_public_answer_is_visible_in_the_channel(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    result = await fake.invoke("echo", {"text": "for all", "private": False}, channel=world.alerts)
    assert not result.ephemeral
    assert [m.content for m in fake.messages(world.alerts)] == ["for all"]
    assert fake.messages(world.alerts)[0].interaction_id == result.id


async def test_subcommand_of_a_group(fake: FakeDiscord, bot: CliffhangerBot) -> None:
    result = await fake.invoke("feeds add", {"url": "https://tvline.com/feed"})
    assert result.content == "added https://tvline.com/feed"


async def test_channel_and_role_options_are_resolved(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    fake.set_bot_permissions(world.alerts, deny=Perm.EMBED_LINKS)
    result = await fake.invoke(
        "route", {"channel": world.alerts, "role": world.fans}, user=world.moderator
    )
    assert result.content == "tv-alerts Citadel fans send=True embed=False"


async def test_autocomplete_returns_choices(fake: FakeDiscord, bot: CliffhangerBot) -> None:
    choices = await fake.autocomplete("show", "name", "ch")
    assert choices == [
        {"name": "Cheers", "value": "cheers"},
        {"name": "Chernobyl", "value": "chernobyl"},
    ]


async def test_deferred_answer_and_follow_ups(fake: FakeDiscord, bot: CliffhangerBot) -> None:
    result = await fake.invoke("slow")
    assert result.deferred
    followups = await result.wait_for_followups(2)
    assert [m.content for m in followups] == ["done thinking", "one more thing"]
    assert result.content == "done thinking"  # the first follow-up fills the deferred answer
    assert all(m.ephemeral for m in result.messages)


async def test_deferred_answer_edited_in_place(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    result = await fake.invoke("later")
    assert result.content == "edited answer"
    assert not result.ephemeral
    assert [m.content for m in fake.messages(world.general)] == ["edited answer"]


async def test_command_hidden_by_default_permissions(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    with pytest.raises(InvocationError):
        await fake.invoke("configure", user=world.member)
    result = await fake.invoke("configure", user=world.moderator)
    assert result.content == "configured"


async def test_fake_refuses_options_discord_would_not_send(
    fake: FakeDiscord, bot: CliffhangerBot
) -> None:
    with pytest.raises(InvocationError):
        await fake.invoke("echo", {"txt": "typo"})
    with pytest.raises(InvocationError):
        await fake.invoke("echo", {})
    with pytest.raises(InvocationError):
        await fake.invoke("feeds", {"url": "x"})


async def test_button_click_updates_the_message(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    question = await fake.invoke("vote")
    assert question.original is not None
    clicked = await fake.click(question.original, "vote:yes", user=world.member)
    assert clicked.response_type is CallbackType.UPDATE_MESSAGE
    assert question.original.content == "voted yes"
    assert question.original.components == []


async def test_deferred_click_then_edit(
    fake: FakeDiscord, world: StandardWorld, bot: CliffhangerBot
) -> None:
    question = await fake.invoke("vote")
    assert question.original is not None
    clicked = await fake.click(question.original, "vote:later", user=world.member)
    assert clicked.response_type is CallbackType.DEFERRED_UPDATE_MESSAGE
    assert question.original.content == "decided later"


async def test_modal_is_opened_and_submitted(fake: FakeDiscord, bot: CliffhangerBot) -> None:
    opened = await fake.invoke("feedback")
    assert opened.modal is not None and opened.modal["title"] == "Feedback"
    submitted = await fake.submit_modal(opened, {"feedback:text": "love it"})
    assert submitted.content == "thanks: love it"
    assert submitted.ephemeral
