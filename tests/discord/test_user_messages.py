"""What users read when a command fails."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.client import (
    BOT_FORBIDDEN,
    FAILED_CHECK,
    GENERIC_FAILURE,
    permission_label,
    user_message,
)


class ForbiddenResponse:
    """The two attributes discord.HTTPException reads from an HTTP response."""

    status = 403
    reason = "Forbidden"


def test_missing_bot_permissions_are_listed() -> None:
    error = app_commands.BotMissingPermissions(["send_messages", "embed_links"])
    assert user_message(error) == (
        "I need the **Send Messages** and **Embed Links** permissions in this channel. "
        "Ask a server admin to grant them, then try again."
    )


def test_missing_user_permission_uses_discords_name() -> None:
    error = app_commands.MissingPermissions(["manage_guild"])
    assert user_message(error) == "You need the **Manage Server** permission to use this command."


def test_check_failure_subclass_message_is_shown() -> None:
    class NotHere(app_commands.CheckFailure):
        pass

    assert user_message(NotHere("Use this in #bot-admin.")) == "Use this in #bot-admin."
    assert user_message(app_commands.CheckFailure("internal")) == FAILED_CHECK


def test_forbidden_inside_a_command_explains_the_permissions() -> None:
    body = {"message": "Missing Permissions", "code": 50013}
    forbidden = discord.Forbidden(ForbiddenResponse(), body)
    assert user_message(invoke_error(forbidden)) == BOT_FORBIDDEN


def test_unknown_errors_get_the_generic_message() -> None:
    assert user_message(invoke_error(RuntimeError("bug"))) == GENERIC_FAILURE


def test_permission_labels() -> None:
    assert permission_label("view_channel") == "View Channel"
    assert permission_label("attach_files") == "Attach Files"


async def _noop(interaction: discord.Interaction) -> None:
    return None


def invoke_error(original: Exception) -> app_commands.CommandInvokeError:
    """What the tree raises when a command's callback raised `original`."""
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name="x", description="x", callback=_noop
    )
    return app_commands.CommandInvokeError(command, original)
