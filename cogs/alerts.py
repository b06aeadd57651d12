"""Posting queued alerts to Discord: the sender the delivery worker uses, and the cog that
runs the worker while the bot is connected."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord.ext import commands

from bot.alerts.delivery import (
    DeliveryWorker,
    Gone,
    RateLimiter,
    Rejected,
    Retry,
    SendOutcome,
    Sent,
)
from bot.alerts.message import format_alert
from bot.records import Delivery
from cogs.render import alert_embed
from cogs.shared import services_of

if TYPE_CHECKING:
    from discord.ext.commands import Bot

log = logging.getLogger(__name__)


class DiscordAlertSender:
    """Sends one delivery with its nonce (`enforce_nonce`), pinging only its role."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def send(self, delivery: Delivery) -> SendOutcome:
        """Post the alert; classify failures as passing (Retry) or final (Gone)."""
        message = format_alert(delivery.change, delivery.role_id)
        channel = self._client.get_partial_messageable(delivery.channel_id)
        role = discord.Object(id=delivery.role_id) if delivery.role_id else None
        try:
            posted = await channel.send(
                content=f"<@&{delivery.role_id}>" if delivery.role_id else None,
                embed=alert_embed(message),
                nonce=delivery.nonce,
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, users=False, replied_user=False, roles=[role] if role else False
                ),
            )
        except discord.Forbidden as error:
            return Gone(f"I lost permission to post there ({error.status}: {error.text})")
        except discord.NotFound as error:
            return Gone(f"the channel was deleted ({error.status}: {error.text})")
        except discord.HTTPException as error:
            if 400 <= error.status < 500 and error.status != 429:
                return Rejected(f"Discord refused the message ({error.status}: {error.text})")
            retry_after = getattr(error, "retry_after", None)
            return Retry(f"Discord answered {error.status}: {error.text}", retry_after)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Retry(f"network error: {type(error).__name__}: {error}")
        return Sent(posted.id)


class AlertDelivery(commands.Cog):
    """Runs the delivery worker while the bot runs."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        services = services_of(bot)
        self.worker = DeliveryWorker(
            services.store,
            DiscordAlertSender(bot),
            clock=services.clock,
            concurrency=services.settings.delivery_concurrency,
            limiter=RateLimiter(services.settings.delivery_rate_per_second),
        )
        services.wake_delivery = self.worker.wake
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        """Start delivering once the gateway is ready."""
        self._task = asyncio.create_task(self._run(), name="alert-delivery")

    async def _run(self) -> None:
        await self._bot.wait_until_ready()
        await self.worker.run_forever()

    async def cog_unload(self) -> None:
        """Stop between deliveries; whatever is pending stays in the outbox."""
        services_of(self._bot).wake_delivery = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def setup(bot: Bot) -> None:
    """Load the cog (discord.py extension entry point)."""
    await bot.add_cog(AlertDelivery(bot))
