"""/watch, /unwatch and /watchlist: which channels hear about which shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.models import AlertFilter, CertaintyFilter, DeliveryMode, TargetKind
from bot.watching import (
    ALERT_LABELS,
    CERTAINTY_LABELS,
    MODE_LABELS,
    resolve_show,
    unwatch_show,
    watch_lines,
    watch_show,
)
from cogs.render import untrusted, watchlist_embed
from cogs.shared import not_found_text, services_of, show_autocomplete

if TYPE_CHECKING:
    from discord.ext.commands import Bot

REQUIRED = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
}
IN_THREADS = {"send_messages_in_threads": "Send Messages in Threads"}
AlertChannel = discord.TextChannel | discord.Thread | discord.ForumChannel
ALERT_CHOICES = [
    app_commands.Choice(name=label, value=k.value) for k, label in ALERT_LABELS.items()
]
CERTAINTY_CHOICES = [
    app_commands.Choice(name=label, value=k.value) for k, label in CERTAINTY_LABELS.items()
]
MODE_CHOICES = [app_commands.Choice(name=label, value=k.value) for k, label in MODE_LABELS.items()]


def target_kind(channel: AlertChannel) -> TargetKind:
    """What kind of place a channel is for alerts."""
    if isinstance(channel, discord.Thread):
        return TargetKind.THREAD
    if isinstance(channel, discord.ForumChannel):
        return TargetKind.FORUM
    return TargetKind.ANNOUNCEMENT if channel.is_news() else TargetKind.TEXT


def missing_permissions(channel: AlertChannel, me: discord.Member) -> list[str]:
    """The permissions the bot lacks to post alerts in a channel, by their Discord names:
    a thread takes Send Messages in Threads instead of Send Messages; a forum takes both
    (one to open a show's post, the other for the alerts after it)."""
    granted = channel.permissions_for(me)
    needed = dict(REQUIRED)
    if isinstance(channel, discord.Thread):
        needed.pop("send_messages")
    if isinstance(channel, discord.Thread | discord.ForumChannel):
        needed.update(IN_THREADS)
    return [label for flag, label in needed.items() if not getattr(granted, flag)]


def _where(kind: TargetKind, channel: AlertChannel) -> str:
    if kind is TargetKind.FORUM:
        return f"{channel.mention} (a post per show)"
    if kind is TargetKind.ANNOUNCEMENT:
        return f"{channel.mention} (published to followers)"
    return channel.mention


@app_commands.guild_only()
class WatchCommands(commands.Cog):
    """Setting up alerts for a server."""

    @app_commands.command(name="watch", description="Post alerts about a show in a channel")
    @app_commands.describe(
        show="The show's name (pick from the list or type a new one)",
        channel="Where to post: a text, announcement or forum channel, or a thread (default: here)",
        role="A role to mention in each alert (optional)",
        alerts="Which news to alert on (default: everything)",
        certainty="How sure the news must be (default: official and reported)",
        mode="Each alert at once, or one digest a day (default: at once)",
        new_show="A show I don't know yet: watch the name exactly as typed",
    )
    @app_commands.choices(alerts=ALERT_CHOICES, certainty=CERTAINTY_CHOICES, mode=MODE_CHOICES)
    @app_commands.autocomplete(show=show_autocomplete)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def watch(
        self,
        interaction: discord.Interaction,
        show: str,
        channel: AlertChannel | None = None,
        role: discord.Role | None = None,
        alerts: str | None = None,
        certainty: str | None = None,
        mode: str | None = None,
        new_show: bool = False,
    ) -> None:
        """Watch a show."""
        services = services_of(interaction.client)
        target = channel or interaction.channel
        guild = interaction.guild
        if guild is None or not isinstance(
            target, discord.TextChannel | discord.Thread | discord.ForumChannel
        ):
            await interaction.response.send_message(
                "Pick a text, announcement or forum channel, or a thread, in this server for "
                "the alerts.",
                ephemeral=True,
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
        choice = await resolve_show(services, show, new_show=new_show)
        if choice.show is None and (choice.candidates or not choice.query):
            await interaction.response.send_message(not_found_text(choice, "watch"), ephemeral=True)
            return
        if role is not None and role.is_default():
            await interaction.response.send_message(
                "I won't ping @everyone. Pick a role made for these alerts, or leave it empty.",
                ephemeral=True,
            )
            return
        kind = target_kind(target)
        outcome = await watch_show(
            services,
            choice,
            guild_id=guild.id,
            channel_id=target.id,
            role_id=role.id if role else None,
            user_id=interaction.user.id,
            target=kind,
            alerts=AlertFilter(alerts) if alerts else None,
            certainty=CertaintyFilter(certainty) if certainty else None,
            mode=DeliveryMode(mode) if mode else None,
        )
        watch = outcome.watch
        name = untrusted(watch.show_name)
        ping = f", mentioning {role.mention}" if role else ""
        where = _where(kind, target)
        if outcome.created:
            text = f"Watching **{name}**: alerts will be posted in {where}{ping}."
        else:
            text = f"Updated: alerts about **{name}** go to {where}{ping}."
        if (watch.alerts, watch.certainty) != (AlertFilter.ALL, CertaintyFilter.REPORTED):
            text += (
                f" Alerting on {ALERT_LABELS[watch.alerts]}, {CERTAINTY_LABELS[watch.certainty]}."
            )
        if watch.mode is DeliveryMode.DIGEST:
            text += " They come as one digest a day (see `/settings show` for the hour)."
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
        choice = await resolve_show(services, show)
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
