"""Premieres as Discord scheduled events: the discord.py side of bot/premiere_events.py
(create, edit, delete and find a server's external events), and the cog that runs the
sync while the bot is connected — at start (reconciling what a restart left), whenever a
date, a watch or a setting changes, and every quarter of an hour."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord.ext import commands

from bot.premiere_events import (
    EventOutcome,
    EventPlan,
    EventSync,
    Failed,
    GuildGone,
    Made,
    Missing,
    Refused,
)
from bot.server_settings import ServerDefaults
from cogs.shared import services_of

if TYPE_CHECKING:
    from discord.ext.commands import Bot

log = logging.getLogger(__name__)

REASON = "Cliffhanger: a premiere date of a show watched here"
SYNC_EVERY_SECONDS = 900.0
STOP_WAIT_SECONDS = 5.0
# An event made by an attempt that crashed before recording it was created after the
# attempt noted it was starting; this much slack covers clock skew with Discord.
CLOCK_SLACK = timedelta(minutes=5)


def _failure(error: discord.HTTPException) -> EventOutcome:
    if isinstance(error, discord.Forbidden):
        return Refused(f"I'm missing the Manage Events permission ({error.status}: {error.text})")
    if isinstance(error, discord.NotFound):
        return Missing()
    if 400 <= error.status < 500 and error.status != 429:
        log.error("Discord refused a premiere event: %s %s", error.status, error.text)
    return Failed(f"Discord answered {error.status}: {error.text}")


class DiscordScheduledEvents:
    """A server's external scheduled events, through discord.py."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def create(self, plan: EventPlan) -> EventOutcome:
        """Create the premiere's event."""
        guild = self._client.get_guild(plan.guild_id)
        if guild is None:
            return GuildGone()
        try:
            event = await guild.create_scheduled_event(
                name=plan.name,
                start_time=plan.starts_at,
                end_time=plan.ends_at,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location=plan.location,
                description=plan.description,
                reason=REASON,
            )
        except discord.NotFound:
            return GuildGone()
        except discord.HTTPException as error:
            return _failure(error)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Failed(f"network error: {type(error).__name__}: {error}")
        return Made(event.id)

    async def edit(self, event_id: int, plan: EventPlan) -> EventOutcome:
        """Make the event say what the plan says (Missing if someone deleted it)."""
        guild = self._client.get_guild(plan.guild_id)
        if guild is None:
            return GuildGone()
        try:
            event = await guild.fetch_scheduled_event(event_id)
            edited = await event.edit(
                name=plan.name,
                description=plan.description,
                start_time=plan.starts_at,
                end_time=plan.ends_at,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location=plan.location,
                reason=REASON,
            )
        except discord.HTTPException as error:
            return _failure(error)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Failed(f"network error: {type(error).__name__}: {error}")
        return Made(edited.id)

    async def delete(self, guild_id: int, event_id: int) -> EventOutcome:
        """Delete the event (Missing when it was gone already)."""
        guild = self._client.get_guild(guild_id)
        if guild is None:
            return GuildGone()
        try:
            event = await guild.fetch_scheduled_event(event_id)
            await event.delete(reason=REASON)
        except discord.HTTPException as error:
            return _failure(error)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Failed(f"network error: {type(error).__name__}: {error}")
        return Made(event_id)

    async def find(self, guild_id: int, name: str, since: datetime) -> int | None:
        """An event of that name the bot created since `since` (a create that crashed
        before it was recorded)."""
        guild = self._client.get_guild(guild_id)
        me = self._client.user
        if guild is None or me is None:
            return None
        try:
            events = await guild.fetch_scheduled_events(with_counts=False)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError, OSError) as error:
            log.warning("could not list the events of server %s: %s", guild_id, error)
            return None
        for event in events:
            made = discord.utils.snowflake_time(event.id)
            if event.creator_id == me.id and event.name == name and made >= since - CLOCK_SLACK:
                return event.id
        return None


class PremiereEvents(commands.Cog):
    """Runs the premiere events sync while the bot runs."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        services = services_of(bot)
        self.sync = EventSync(
            services.store,
            DiscordScheduledEvents(bot),
            defaults=ServerDefaults.from_settings(services.settings),
            clock=services.clock,
            on_logged=services.deliveries_queued,
        )
        services.wake_events = self.sync.wake
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        """Reconcile once the gateway is ready (the guilds are known), then keep at it."""
        self._task = asyncio.create_task(self._run(), name="premiere-events")

    async def _run(self) -> None:
        await self._bot.wait_until_ready()
        await self.sync.run_forever(SYNC_EVERY_SECONDS)

    async def cog_unload(self) -> None:
        """Stop between two Discord calls; the store says what was made."""
        services_of(self._bot).wake_events = None
        self.sync.stop()
        if self._task is not None:
            # Let a pass under way finish (they are short); cancel one that hangs.
            done, _ = await asyncio.wait({self._task}, timeout=STOP_WAIT_SECONDS)
            if not done:
                self._task.cancel()
            # A client that never logged in ends the task with an error of its own.
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await self._task


async def setup(bot: Bot) -> None:
    """Load the cog (discord.py extension entry point)."""
    await bot.add_cog(PremiereEvents(bot))
