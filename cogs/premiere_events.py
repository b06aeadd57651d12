"""Premieres as Discord scheduled events: the discord.py side of bot/premiere_events.py
(create, edit, delete and find a server's external events), and the cog that runs the
sync while the bot is connected and this process is the worker (bot/cluster.py) — at
start (reconciling what a restart left), whenever a date, a watch or a setting changes in
this process, and every quarter of an hour."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from asyncio import FIRST_COMPLETED
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

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


UNKNOWN_GUILD = 10004
UNKNOWN_EVENT = 10070
MISSING_ACCESS = 50001  # the bot is not in the server any more
NETWORK_ERRORS = (aiohttp.ClientError, TimeoutError, OSError)


def _failure(error: discord.HTTPException) -> EventOutcome:
    if error.code in (UNKNOWN_GUILD, MISSING_ACCESS):
        return GuildGone()
    if isinstance(error, discord.Forbidden):
        return Refused(f"I'm missing the Manage Events permission ({error.status}: {error.text})")
    if isinstance(error, discord.NotFound):
        return Missing()
    if 400 <= error.status < 500 and error.status != 429:
        log.error("Discord refused a premiere event: %s %s", error.status, error.text)
    return Failed(f"Discord answered {error.status}: {error.text}")


def _payload(plan: EventPlan) -> dict[str, Any]:
    """The external event as Discord's API takes it."""
    return {
        "name": plan.name,
        "description": plan.description,
        "scheduled_start_time": plan.starts_at.isoformat(),
        "scheduled_end_time": plan.ends_at.isoformat(),
        "entity_type": discord.EntityType.external.value,
        "privacy_level": discord.PrivacyLevel.guild_only.value,
        "entity_metadata": {"location": plan.location},
        "channel_id": None,
    }


class DiscordScheduledEvents:
    """A server's external scheduled events, through discord.py's REST client: a server
    need not be in this process's cache (its shard may run in another process)."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def create(self, plan: EventPlan) -> EventOutcome:
        """Create the premiere's event."""
        payload = _payload(plan)
        del payload["channel_id"]
        try:
            made = await self._client.http.create_guild_scheduled_event(
                plan.guild_id, reason=REASON, **payload
            )
        except discord.HTTPException as error:
            return _failure(error)
        except NETWORK_ERRORS as error:
            return Failed(f"network error: {type(error).__name__}: {error}")
        return Made(int(made["id"]))

    async def edit(self, event_id: int, plan: EventPlan) -> EventOutcome:
        """Make the event say what the plan says (Missing if someone deleted it)."""
        try:
            edited = await self._client.http.edit_scheduled_event(
                plan.guild_id, event_id, reason=REASON, **_payload(plan)
            )
        except discord.HTTPException as error:
            return _failure(error)
        except NETWORK_ERRORS as error:
            return Failed(f"network error: {type(error).__name__}: {error}")
        return Made(int(edited["id"]))

    async def delete(self, guild_id: int, event_id: int) -> EventOutcome:
        """Delete the event (Missing when it was gone already)."""
        try:
            await self._client.http.delete_scheduled_event(guild_id, event_id, reason=REASON)
        except discord.HTTPException as error:
            return _failure(error)
        except NETWORK_ERRORS as error:
            return Failed(f"network error: {type(error).__name__}: {error}")
        return Made(event_id)

    async def find(self, guild_id: int, name: str, since: datetime) -> int | None:
        """An event of that name the bot created since `since` (a create that crashed
        before it was recorded)."""
        me = self._client.user
        if me is None:
            return None
        try:
            events = await self._client.http.get_scheduled_events(guild_id, False)
        except (discord.HTTPException, *NETWORK_ERRORS) as error:
            log.warning("could not list the events of server %s: %s", guild_id, error)
            return None
        for event in events:
            event_id = int(event["id"])
            made = discord.utils.snowflake_time(event_id)
            mine = str(event.get("creator_id")) == str(me.id)
            if mine and event.get("name") == name and made >= since - CLOCK_SLACK:
                return event_id
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
        role = services_of(self._bot).role
        while not self.sync.stopping:
            await role.until(worker=True)
            syncing = asyncio.create_task(self.sync.run_forever(SYNC_EVERY_SECONDS))
            stepped_down = asyncio.create_task(role.until(worker=False))
            try:
                await asyncio.wait({syncing, stepped_down}, return_when=FIRST_COMPLETED)
            finally:
                stepped_down.cancel()
                if not syncing.done():  # another process is the worker now
                    syncing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.gather(syncing, stepped_down)

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
