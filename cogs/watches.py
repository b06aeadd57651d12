"""/watch, /unwatch and /watchlist: which channels hear about which shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.watching import resolve_show, unwatch_show, watch_lines, watch_show
from cogs.render import untrusted, watchlist_embed
from cogs.shared import not_found_text, services_of, show_autocomplete

if TYPE_CHECKING:
    from discord.ext.commands import Bot

REQUIRED = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
}
AlertChannel = discord.TextChannel | discord.Thread


def missing_permissions(channel: AlertChannel, me: discord.Member) -> list[str]:
    """The permissions the bot lacks to post alerts in a channel, by their Discord names."""
    granted = channel.permissions_for(me)
    needed = dict(REQUIRED)
    if isinstance(channel, discord.Thread):
        needed["send_messages_in_threads"] = "Send Messages in Threads"
        needed.pop("send_messages")
    return [label for flag, label in needed.items() if not getattr(granted, flag)]


@app_commands.guild_only()
class WatchCommands(commands.Cog):
    """Setting up alerts for a server."""

    @app_commands.command(name="watch", description="Post alerts about a show in a channel")
    @app_commands.describe(
        show="The show's name (pick from the list or type a new one)",
        channel="Where to post (default: this channel)",
        role="A role to mention in each alert (optional)",
    )
    @app_commands.autocomplete(show=show_autocomplete)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def watch(
        self,
        interaction: discord.Interaction,
        show: str,
        channel: AlertChannel | None = None,
        role: discord.Role | None = None,
    ) -> None:
        """Watch a show."""
        services = services_of(interaction.client)
        target = channel or interaction.channel
        guild = interaction.guild
        if guild is None or not isinstance(target, discord.TextChannel | discord.Thread):
            await interaction.response.send_message(
                "Pick a text channel in this server for the alerts.", ephemeral=True
            )
            return
        missing = missing_permissions(target, guild.me)
        if missing:
            await interaction.response.send_message(
                f"I can't post alerts in {target.mention}: I'm missing "
                f"**{', '.join(missing)}** there. Grant {'it' if len(missing) == 1 else 'them'} "
                "to my role in the channel settings, then try again.",
                ephemeral=True,
            )
            return
        choice = resolve_show(services, show)
        if choice.show is None and (choice.candidates or not choice.query):
            await interaction.response.send_message(not_found_text(choice), ephemeral=True)
            return
        if role is not None and role.is_default():
            await interaction.response.send_message(
                "I won't ping @everyone. Pick a role made for these alerts, or leave it empty.",
                ephemeral=True,
            )
            return
        outcome = await watch_show(
            services,
            choice,
            guild_id=guild.id,
            channel_id=target.id,
            role_id=role.id if role else None,
            user_id=interaction.user.id,
        )
        name = untrusted(outcome.watch.show_name)
        ping = f", mentioning {role.mention}" if role else ""
        if outcome.created:
            text = f"Watching **{name}**: alerts will be posted in {target.mention}{ping}."
        else:
            text = f"Updated: alerts about **{name}** go to {target.mention}{ping}."
        if outcome.learned_show:
            text += " It's new to me, so I'll look out for its news from now on."
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="unwatch", description="Stop alerts about a show")
    @app_commands.describe(
        show="The show's name",
        channel="Only stop in this channel (default: every channel of this server)",
    )
    @app_commands.autocomplete(show=show_autocomplete)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def unwatch(
        self,
        interaction: discord.Interaction,
        show: str,
        channel: AlertChannel | None = None,
    ) -> None:
        """Stop watching a show."""
        services = services_of(interaction.client)
        assert interaction.guild_id is not None
        choice = resolve_show(services, show)
        if choice.show is None:
            await interaction.response.send_message(not_found_text(choice), ephemeral=True)
            return
        removed = await unwatch_show(
            services,
            choice.show,
            guild_id=interaction.guild_id,
            channel_id=channel.id if channel else None,
        )
        name = untrusted(choice.show.name)
        where = f" in {channel.mention}" if channel else ""
        text = (
            f"Stopped alerts about **{name}**{where}."
            if removed
            else f"**{name}** wasn't watched{where}. See `/watchlist`."
        )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="watchlist", description="The shows this server watches")
    async def watchlist(self, interaction: discord.Interaction) -> None:
        """This server's watches."""
        services = services_of(interaction.client)
        guild = interaction.guild
        assert guild is not None
        lines = await watch_lines(services, guild.id)
        await interaction.response.send_message(
            embed=watchlist_embed(lines, guild.name), ephemeral=True
        )


async def setup(bot: Bot) -> None:
    """Load the cog (discord.py extension entry point)."""
    await bot.add_cog(WatchCommands())
