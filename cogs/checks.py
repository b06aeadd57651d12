"""App-command checks shared by cogs.

Each check raises an `app_commands.CheckFailure` subclass whose text is shown to the user
as is by the bot's error handler (see `bot.client.user_message`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands
from discord.ext import commands

T = TypeVar("T")

NOT_OWNER_MESSAGE = "Only the bot's owner can use this command."


class NotOwner(app_commands.CheckFailure):
    """The user is neither the application's owner nor a member of its team."""

    def __init__(self) -> None:
        super().__init__(NOT_OWNER_MESSAGE)


async def is_owner(interaction: discord.Interaction) -> bool:
    """Whether the user owns the application (or is an admin or developer of its team).

    discord.py fetches the application once and caches the owner ids on the bot.
    """
    client = interaction.client
    # AutoShardedBot is not a subclass of Bot; both get is_owner from BotBase.
    if not isinstance(client, commands.Bot | commands.AutoShardedBot):
        return False
    return await client.is_owner(interaction.user)


def owner_only() -> Callable[[T], T]:
    """Restrict an app command to the application's owner or team: `@owner_only()`."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if await is_owner(interaction):
            return True
        raise NotOwner()

    return app_commands.check(predicate)
