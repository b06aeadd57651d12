"""/feeds (the bot owner's) and /status (anyone's): the feeds and the bot's health."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot.feed_admin import FeedChange, add_feed, enable_feed, list_feeds, remove_feed
from bot.feeds.health import describe_feed
from bot.feeds.urls import InvalidFeedURLError
from bot.reports import StatusReport, status_report
from cogs.checks import owner_only
from cogs.render import BRAND, untrusted
from cogs.shared import services_of
from db.errors import FeedExistsError, FeedNotFoundError

if TYPE_CHECKING:
    from discord.ext.commands import Bot

MAX_LINES = 25
NOT_FOLLOWED = "I don't follow that address. Copy it from `/feeds list`."


def _relative(moment: datetime) -> str:
    return format_dt(moment, "R")


def _feed_change_text(change: FeedChange) -> str:
    feed = change.feed
    if change.action == "added":
        return f"Following **{untrusted(feed.name)}** (<{feed.url}>). I'll read it shortly."
    if change.action == "enabled":
        return f"Enabled **{untrusted(feed.name)}** (<{feed.url}>) again. I'll read it shortly."
    return f"Stopped following <{feed.url}>; its entries were forgotten."


@app_commands.guild_only()
class FeedCommands(
    commands.GroupCog,
    group_name="feeds",
    group_description="Manage the news feeds (bot owner only)",
):
    """The owner's feed management."""

    @app_commands.command(name="list", description="Every feed and how it's doing")
    @owner_only()
    async def list_(self, interaction: discord.Interaction) -> None:
        """List feeds with their health."""
        feeds = await list_feeds(services_of(interaction.client))
        lines = [untrusted(describe_feed(feed, _relative)) for feed in feeds[:MAX_LINES]]
        if len(feeds) > MAX_LINES:
            lines.append(f"…and {len(feeds) - MAX_LINES} more (see `python -m bot feeds list`).")
        text = "\n".join(lines) or "No feeds yet. Add one with `/feeds add`."
        embed = discord.Embed(title=f"{len(feeds)} feeds", description=text[:4000], colour=BRAND)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="add", description="Follow a news feed (RSS or Atom)")
    @app_commands.describe(url="The feed's address, starting with https://")
    @owner_only()
    async def add(self, interaction: discord.Interaction, url: str) -> None:
        """Follow a feed."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            change = await add_feed(services_of(interaction.client), url)
        except InvalidFeedURLError as error:
            text = f"I can't follow that: {error}. Check the address and try again."
        except FeedExistsError:
            text = "I already follow that feed. See `/feeds list`."
        else:
            text = _feed_change_text(change)
        await interaction.followup.send(text, ephemeral=True)

    @app_commands.command(name="remove", description="Stop following a news feed")
    @app_commands.describe(url="The feed's address, as `/feeds list` shows it")
    @owner_only()
    async def remove(self, interaction: discord.Interaction, url: str) -> None:
        """Stop following a feed."""
        try:
            change = await remove_feed(services_of(interaction.client), url)
        except FeedNotFoundError:
            text = NOT_FOLLOWED
        else:
            text = _feed_change_text(change)
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="enable", description="Poll a disabled news feed again")
    @app_commands.describe(url="The feed's address, as `/feeds list` shows it")
    @owner_only()
    async def enable(self, interaction: discord.Interaction, url: str) -> None:
        """Enable a disabled feed."""
        try:
            change = await enable_feed(services_of(interaction.client), url)
        except FeedNotFoundError:
            text = NOT_FOLLOWED
        else:
            text = _feed_change_text(change)
        await interaction.response.send_message(text, ephemeral=True)


def _processes_text(report: StatusReport) -> str:
    """One line per process: the worker (its shards, its last poll), then the standbys;
    the one answering is marked."""
    lines = []
    for process in report.processes:
        if process.worker:
            polled = _relative(process.polled_at) if process.polled_at else "not yet"
            line = f"**worker** `{process.name}` · shards {process.shards} · polled {polled}"
        else:
            line = f"standby `{process.name}` · shards {process.shards}"
        if process.name == report.answering:
            line += " · answering you"
        lines.append(line)
    if report.worker is None:
        lines.insert(0, "**no worker**: feeds are not polled and alerts wait until one starts")
    return "\n".join(lines)[:1024]


class StatusCommands(commands.Cog):
    """Anyone may ask how the bot is doing."""

    @app_commands.command(name="status", description="Feed health, last poll and pending alerts")
    async def status(self, interaction: discord.Interaction) -> None:
        """The bot's health."""
        report = await status_report(services_of(interaction.client))
        health = report.feeds
        embed = discord.Embed(title="Cliffhanger status", colour=BRAND)
        embed.add_field(
            name="Feeds",
            value=f"{health.ok} ok · {health.failing} failing · {health.disabled} disabled",
            inline=False,
        )
        embed.add_field(
            name="Last poll",
            value=format_dt(health.last_polled_at, "R") if health.last_polled_at else "not yet",
        )
        embed.add_field(name="Alerts waiting", value=str(report.deliveries_pending))
        embed.add_field(name="Alerts failed", value=str(report.deliveries_failed))
        embed.add_field(name="Shows known", value=str(report.shows))
        if report.processes or report.answering:
            embed.add_field(name="Processes", value=_processes_text(report), inline=False)
        if health.problems:
            lines = [untrusted(describe_feed(feed, _relative)) for feed in health.problems[:5]]
            embed.add_field(name="Needs attention", value="\n".join(lines)[:1024], inline=False)
        await interaction.response.send_message(embed=embed)


async def setup(bot: Bot) -> None:
    """Load the cogs (discord.py extension entry point)."""
    await bot.add_cog(FeedCommands())
    await bot.add_cog(StatusCommands())
