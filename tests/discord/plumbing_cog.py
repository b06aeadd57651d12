"""A throwaway cog that exercises the client plumbing (not product behaviour).

Loaded as the extension `tests.discord.plumbing_cog`.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CliffhangerBot
from cogs.checks import owner_only

SHOWS = ["Citadel", "Cheers", "Chernobyl", "Severance", "Slow Horses"]
CUSTOM_REFUSAL = "Feeds can only be managed from the #bot-admin channel."


class WrongChannel(app_commands.CheckFailure):
    """A check failure with a message meant for the user."""

    def __init__(self) -> None:
        super().__init__(CUSTOM_REFUSAL)


async def refuse_wrong_channel(interaction: discord.Interaction) -> bool:
    raise WrongChannel()


class VoteView(discord.ui.View):
    """A button that updates the message it is attached to."""

    @discord.ui.button(label="Yes", custom_id="vote:yes")
    async def yes(
        self, interaction: discord.Interaction, button: discord.ui.Button[VoteView]
    ) -> None:
        await interaction.response.edit_message(content="voted yes", view=None)

    @discord.ui.button(label="Later", custom_id="vote:later")
    async def later(
        self, interaction: discord.Interaction, button: discord.ui.Button[VoteView]
    ) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="decided later", view=None)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    """A one-field form."""

    text: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="What do you think?", custom_id="feedback:text"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class PlumbingCog(commands.Cog):
    """Commands that touch each part of the interaction plumbing once."""

    feeds = app_commands.Group(name="feeds", description="Manage feeds")

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot

    @app_commands.command(description="Repeat some text")
    async def echo(self, interaction: discord.Interaction, text: str, private: bool = True) -> None:
        await interaction.response.send_message(text, ephemeral=private)

    @app_commands.command(description="Pick a show")
    async def show(self, interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(f"You picked {name}", ephemeral=True)

    @show.autocomplete("name")
    async def show_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        matches = [s for s in SHOWS if s.lower().startswith(current.lower())]
        return [app_commands.Choice(name=s, value=s.lower()) for s in matches]

    @feeds.command(name="add", description="Add a feed")
    async def feeds_add(self, interaction: discord.Interaction, url: str) -> None:
        await interaction.response.send_message(f"added {url}", ephemeral=True)

    @app_commands.command(description="Route alerts to a channel")
    async def route(
        self, interaction: discord.Interaction, channel: discord.TextChannel, role: discord.Role
    ) -> None:
        assert interaction.guild is not None and interaction.guild.me is not None
        cached = interaction.guild.get_channel(channel.id)
        assert isinstance(cached, discord.TextChannel)
        can = cached.permissions_for(interaction.guild.me)
        await interaction.response.send_message(
            f"{channel.name} {role.name} send={can.send_messages} embed={can.embed_links}",
            ephemeral=True,
        )

    @app_commands.command(description="Think, then answer")
    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("done thinking", ephemeral=True)
        await interaction.followup.send("one more thing", ephemeral=True)

    @app_commands.command(description="Think, then edit the answer")
    async def later(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="edited answer")

    @app_commands.command(description="Fail with a bug")
    async def boom(self, interaction: discord.Interaction) -> None:
        raise RuntimeError("kaboom")

    @app_commands.command(description="Fail with a bug after deferring")
    async def boom_later(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        raise RuntimeError("kaboom after defer")

    @app_commands.command(description="Refused by a check with a message")
    @app_commands.check(refuse_wrong_channel)
    async def guarded(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("unreachable")

    @app_commands.command(description="Refused by a plain check")
    @app_commands.check(lambda interaction: False)
    async def plain_guarded(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("unreachable")

    @app_commands.command(description="Needs the bot to embed links")
    @app_commands.checks.bot_has_permissions(embed_links=True)
    async def needs_embeds(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=discord.Embed(title="ok"))

    @app_commands.command(description="Owner only")
    @owner_only()
    async def shutdown(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("owner ok", ephemeral=True)

    @app_commands.command(description="Server managers only")
    @app_commands.default_permissions(manage_guild=True)
    async def configure(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("configured", ephemeral=True)

    @app_commands.command(description="Vote with a button")
    async def vote(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Renew Citadel?", view=VoteView(timeout=None))

    @app_commands.command(description="Open a form")
    async def feedback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @app_commands.command(description="Which services object the bot got")
    async def services(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(repr(self.bot.services), ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CliffhangerBot)
    await bot.add_cog(PlumbingCog(bot))
