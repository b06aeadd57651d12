"""/follow, /unfollow and /following: anyone, in a server or in DMs, hears about a show by
DM. A user whose DMs refused the bot is told so after their next command, once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.follows import (
    closed_dms_text,
    follow_show,
    following,
    has_untold_pause,
    unfollow_show,
    untold_pause,
)
from bot.watching import resolve_show
from cogs.render import following_embed, untrusted
from cogs.shared import not_found_text, services_of, show_autocomplete

if TYPE_CHECKING:
    from discord.ext.commands import Bot

log = logging.getLogger(__name__)


# Interactions whose user must be told their DMs are closed, noted before the command runs
# (so no store query is left running after the answer in the common case).
MAX_NOTED = 1000


class FollowCommands(commands.Cog):
    """Personal follows by DM."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self._to_tell: set[int] = set()

    async def cog_load(self) -> None:
        """Look, before each command, whether its user has closed DMs to be told about."""
        hooks = getattr(self._bot, "before_commands", None)
        if hooks is not None:
            hooks.append(self._note_untold)

    async def cog_unload(self) -> None:
        """Stop looking."""
        hooks = getattr(self._bot, "before_commands", None)
        if hooks is not None and self._note_untold in hooks:
            hooks.remove(self._note_untold)

    async def _note_untold(self, interaction: discord.Interaction) -> None:
        if await has_untold_pause(services_of(interaction.client), interaction.user.id):
            if len(self._to_tell) >= MAX_NOTED:  # commands that failed never got told
                self._to_tell.clear()
            self._to_tell.add(interaction.id)

    @app_commands.command(name="follow", description="Get a DM when a show has news")
    @app_commands.describe(
        show="The show's name (pick from the list or type it)",
        new_show="A show I don't know yet: follow the name exactly as typed",
    )
    @app_commands.autocomplete(show=show_autocomplete)
    async def follow(
        self, interaction: discord.Interaction, show: str, new_show: bool = False
    ) -> None:
        """Follow a show by DM."""
        services = services_of(interaction.client)
        choice = await resolve_show(services, show, new_show=new_show)
        if choice.show is None and (choice.candidates or not choice.query):
            await interaction.response.send_message(
                not_found_text(choice, "follow"), ephemeral=True
            )
            return
        outcome = await follow_show(services, choice, user_id=interaction.user.id)
        name = untrusted(outcome.show.name)
        if outcome.created:
            text = (
                f"Following **{name}**: I'll DM you its renewal, cancellation and premiere "
                "news, and remind you the day before it premieres."
            )
        else:
            text = f"You already follow **{name}**."
        if outcome.resumed:
            text += " Your follows are back on: I'll try DMing you again."
        if outcome.learned_show:
            text += " It's new to me, so I'll look out for its news from now on."
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="unfollow", description="Stop DMs about a show")
    @app_commands.describe(show="The show's name")
    @app_commands.autocomplete(show=show_autocomplete)
    async def unfollow(self, interaction: discord.Interaction, show: str) -> None:
        """Stop following a show."""
        services = services_of(interaction.client)
        choice = await resolve_show(services, show)
        if choice.show is None:
            await interaction.response.send_message(not_found_text(choice), ephemeral=True)
            return
        removed = await unfollow_show(services, choice.show, user_id=interaction.user.id)
        name = untrusted(choice.show.name)
        text = (
            f"Stopped following **{name}**."
            if removed
            else f"You don't follow **{name}**. See `/following`."
        )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="following", description="The shows you follow by DM")
    async def following(self, interaction: discord.Interaction) -> None:
        """Your follows."""
        services = services_of(interaction.client)
        found = await following(services, interaction.user.id)
        await interaction.response.send_message(embed=following_embed(found), ephemeral=True)

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction,
        command: app_commands.Command[commands.Cog, ..., object] | app_commands.ContextMenu,
    ) -> None:
        """After any command: tell a user whose DMs refused the bot, once."""
        if interaction.id not in self._to_tell:
            return
        self._to_tell.discard(interaction.id)
        services = services_of(interaction.client)
        pause = await untold_pause(services, interaction.user.id)
        if pause is None:
            return
        text = closed_dms_text(pause)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException as error:
            log.warning("could not tell user %s their DMs are closed: %s", pause.user_id, error)


async def setup(bot: Bot) -> None:
    """Load the cog (discord.py extension entry point)."""
    await bot.add_cog(FollowCommands(bot))
