"""/settings: a server's timezone, reminder and digest hours, and admin log channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.server_settings import (
    InvalidSettingError,
    ServerDefaults,
    ServerSettings,
    change_settings,
    check_hour,
    parse_timezone,
    server_settings,
    timezone_suggestions,
)
from cogs.render import settings_embed
from cogs.shared import services_of
from cogs.watches import missing_permissions

if TYPE_CHECKING:
    from discord.ext.commands import Bot

Hour = app_commands.Range[int, 0, 23]
# Discord hides the group from members without Manage Server (default_permissions); a
# server may override that, so each command checks it too.
manage_server = app_commands.checks.has_permissions(manage_guild=True)


async def timezone_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """IANA timezone names matching what the user typed."""
    return [app_commands.Choice(name=name, value=name) for name in timezone_suggestions(current)]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class SettingsCommands(
    commands.GroupCog,
    group_name="settings",
    group_description="This server's timezone, reminder and digest hours, and log channel",
):
    """Server settings; every reply is private."""

    async def _change(self, interaction: discord.Interaction, **values: object) -> ServerSettings:
        services = services_of(interaction.client)
        assert interaction.guild_id is not None
        return await change_settings(
            services.store,
            ServerDefaults.from_settings(services.settings),
            interaction.guild_id,
            now=services.clock(),
            **values,
        )

    @app_commands.command(name="show", description="This server's settings")
    @manage_server
    async def show(self, interaction: discord.Interaction) -> None:
        """Every setting, marking the defaults."""
        services = services_of(interaction.client)
        guild = interaction.guild
        assert guild is not None
        settings = await server_settings(
            services.store, ServerDefaults.from_settings(services.settings), guild.id
        )
        await interaction.response.send_message(
            embed=settings_embed(settings, guild.name), ephemeral=True
        )

    @app_commands.command(name="timezone", description="The timezone for reminders and digests")
    @manage_server
    @app_commands.describe(timezone="An IANA timezone such as Europe/Berlin (pick from the list)")
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def timezone(self, interaction: discord.Interaction, timezone: str) -> None:
        """Set the server's timezone."""
        try:
            name = parse_timezone(timezone)
        except InvalidSettingError as error:
            await interaction.response.send_message(str(error), ephemeral=True)
            return
        settings = await self._change(interaction, timezone=name)
        await interaction.response.send_message(
            f"This server now runs on **{name}** time: reminders at "
            f"{settings.reminder_hour:02d}:00 and digests at {settings.digest_hour:02d}:00.",
            ephemeral=True,
        )

    @app_commands.command(name="reminder-hour", description="When premiere reminders are posted")
    @manage_server
    @app_commands.describe(hour="Hour of the day in server time, 0-23 (default 10)")
    async def reminder_hour(self, interaction: discord.Interaction, hour: Hour) -> None:
        """Set the hour of premiere reminders."""
        settings = await self._change(interaction, reminder_hour=check_hour(hour))
        await interaction.response.send_message(
            f"Premiere reminders will be posted at **{hour:02d}:00** ({settings.timezone}), "
            "the day before and on the day.",
            ephemeral=True,
        )

    @app_commands.command(name="digest-hour", description="When daily digests are posted")
    @manage_server
    @app_commands.describe(hour="Hour of the day in server time, 0-23 (default 18)")
    async def digest_hour(self, interaction: discord.Interaction, hour: Hour) -> None:
        """Set the hour of daily digests."""
        settings = await self._change(interaction, digest_hour=check_hour(hour))
        await interaction.response.send_message(
            f"Digests will be posted at **{hour:02d}:00** ({settings.timezone}), on days with "
            "news. `/watch … mode:` picks which watches send digests.",
            ephemeral=True,
        )

    @app_commands.command(name="log-channel", description="Where I report problems to admins")
    @manage_server
    @app_commands.describe(channel="The channel for problem reports (leave empty to stop them)")
    async def log_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        """Set (or clear) the admin log channel."""
        guild = interaction.guild
        assert guild is not None
        if channel is None:
            await self._change(interaction, log_channel_id=None)
            await interaction.response.send_message(
                "I won't report problems in a channel any more.", ephemeral=True
            )
            return
        missing = [name for name in missing_permissions(channel, guild.me) if name != "Embed Links"]
        if missing:
            await interaction.response.send_message(
                f"I can't post in {channel.mention}: I'm missing **{', '.join(missing)}** "
                "there. Grant it to my role in the channel settings, then try again.",
                ephemeral=True,
            )
            return
        await self._change(interaction, log_channel_id=channel.id)
        await interaction.response.send_message(
            f"I'll report problems in {channel.mention}: a watch I had to stop, a feed I "
            "stopped reading, or alerts that keep failing (at most once a day for each).",
            ephemeral=True,
        )


async def setup(bot: Bot) -> None:
    """Load the cog (discord.py extension entry point)."""
    await bot.add_cog(SettingsCommands())
