"""Posting queued alerts to Discord: the sender the delivery worker uses (text and
announcement channels, forums, threads; single alerts and digests; the admin log; DMs to
followers), and the cog that runs the worker while the bot is connected."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from asyncio import FIRST_COMPLETED
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord.ext import commands

from bot.alerts.delivery import (
    DeliveryWorker,
    Gone,
    PostGone,
    RateLimiter,
    Rejected,
    Retry,
    SendOutcome,
    Sent,
)
from bot.alerts.direct import CANNOT_DM
from bot.alerts.message import format_alert, format_digest
from bot.alerts.outcomes import Closed
from bot.models import TargetKind
from bot.records import Delivery, DirectDelivery, Notice
from cogs.render import alert_embed, digest_embed, untrusted
from cogs.shared import services_of

if TYPE_CHECKING:
    from discord.ext.commands import Bot

log = logging.getLogger(__name__)


# A forum post opened by an attempt that crashed before recording it was created after the
# attempt noted it was starting; this much slack covers clock skew with Discord.
POST_CLOCK_SLACK = timedelta(minutes=5)
ALREADY_CROSSPOSTED = 40033


def _failure(error: discord.HTTPException) -> SendOutcome:
    """A failed request as an outcome: gone (the channel refuses us), rejected (this
    message will never be accepted) or passing."""
    if isinstance(error, discord.Forbidden):
        return Gone(f"I lost permission to post there ({error.status}: {error.text})")
    if isinstance(error, discord.NotFound):
        return Gone(f"the channel was deleted ({error.status}: {error.text})", deleted=True)
    if 400 <= error.status < 500 and error.status != 429:
        return Rejected(f"Discord refused the message ({error.status}: {error.text})")
    retry_after = getattr(error, "retry_after", None)
    return Retry(f"Discord answered {error.status}: {error.text}", retry_after)


@dataclass(frozen=True, slots=True)
class _Message:
    """What a delivery posts: its roles' mentions (the only pings allowed) and an embed."""

    content: str | None
    embed: discord.Embed
    mentions: discord.AllowedMentions

    @classmethod
    def of(cls, delivery: Delivery) -> _Message:
        if delivery.is_digest:
            embed = digest_embed(format_digest(delivery))
        else:
            embed = alert_embed(format_alert(delivery.change, delivery.role_id))
        roles = delivery.role_ids
        return cls(
            content=" ".join(f"<@&{role}>" for role in roles) or None,
            embed=embed,
            mentions=discord.AllowedMentions(
                everyone=False,
                users=False,
                replied_user=False,
                roles=[discord.Object(id=role) for role in roles] if roles else False,
            ),
        )


class DiscordAlertSender:
    """Sends deliveries with their nonces (`enforce_nonce`), pinging only their roles, to
    each kind of target, and the admin log's messages."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def send(self, delivery: Delivery) -> SendOutcome:
        """Post the alert (or digest); classify failures as passing (Retry) or final."""
        message = _Message.of(delivery)
        try:
            if delivery.target is TargetKind.FORUM:
                return await self._to_forum(delivery, message)
            message_id = delivery.message_id
            if message_id is None:  # else posted before, only publishing failed
                message_id = await self._post(delivery.channel_id, message, delivery.nonce)
            if delivery.target is TargetKind.ANNOUNCEMENT:
                return await self._publish(delivery.channel_id, message_id)
            return Sent(message_id)
        except discord.HTTPException as error:
            return _failure(error)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Retry(f"network error: {type(error).__name__}: {error}")

    async def send_notice(self, notice: Notice) -> SendOutcome:
        """Post an admin log message; it pings nobody."""
        channel = self._client.get_partial_messageable(notice.channel_id)
        try:
            posted = await channel.send(
                content=notice.text,
                nonce=notice.nonce,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as error:
            return _failure(error)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Retry(f"network error: {type(error).__name__}: {error}")
        return Sent(posted.id)

    async def send_direct(self, delivery: DirectDelivery) -> SendOutcome | Closed:
        """DM an alert to a follower; a user whose DMs refuse the bot is `Closed`."""
        change = delivery.change
        try:
            channel = await self._client.create_dm(discord.Object(id=delivery.user_id))
            posted = await channel.send(
                content=(
                    f"You follow **{untrusted(change.show)}** (`/unfollow` stops these messages)."
                ),
                embed=alert_embed(format_alert(change, None)),
                nonce=delivery.nonce,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.Forbidden as error:
            why = "your DMs are closed" if error.code == CANNOT_DM else "Discord refused"
            return Closed(f"{why} ({error.status} {error.code}: {error.text})")
        except discord.NotFound as error:  # the user's account is gone
            return Closed(f"the user is gone ({error.status}: {error.text})")
        except discord.HTTPException as error:
            return _failure(error)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Retry(f"network error: {type(error).__name__}: {error}")
        return Sent(posted.id)

    async def _post(self, channel_id: int, message: _Message, nonce: str) -> int:
        posted = await self._client.get_partial_messageable(channel_id).send(
            content=message.content,
            embed=message.embed,
            nonce=nonce,
            allowed_mentions=message.mentions,
        )
        return posted.id

    async def _publish(self, channel_id: int, message_id: int) -> SendOutcome:
        """Crosspost a posted alert to the announcement channel's followers."""
        partial = self._client.get_partial_messageable(channel_id).get_partial_message(message_id)
        try:
            await partial.publish()
        except discord.HTTPException as error:
            if error.code == ALREADY_CROSSPOSTED:  # a retry after publishing worked
                return Sent(message_id)
            outcome = _failure(error)
            if isinstance(outcome, Retry):
                return Retry(
                    f"publishing failed: {outcome.error}", outcome.after_seconds, message_id
                )
            if isinstance(outcome, Rejected):
                log.warning("alert %s is posted but could not be published: %s", message_id, error)
                return Sent(message_id)
            return outcome
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Retry(f"publishing failed: {type(error).__name__}: {error}", None, message_id)
        return Sent(message_id)

    async def _to_forum(self, delivery: Delivery, message: _Message) -> SendOutcome:
        """Into the show's post; the first alert about a show opens the post."""
        if delivery.post_thread_id is not None:
            try:
                return Sent(await self._post(delivery.post_thread_id, message, delivery.nonce))
            except discord.NotFound as error:
                return PostGone(f"the show's post was deleted ({error.status}: {error.text})")
        forum = self._client.get_channel(delivery.channel_id) or await self._client.fetch_channel(
            delivery.channel_id
        )
        if not isinstance(forum, discord.ForumChannel):
            return Gone("the channel is no longer a forum")
        title = delivery.change.show[:100]
        if delivery.post_started_at is not None:  # an earlier attempt may have opened it
            found = await self._find_post(forum, title, delivery.post_started_at)
            if found is not None:
                return Sent(found.id, thread_id=found.id)
        created = await forum.create_thread(
            name=title,
            content=message.content,
            embed=message.embed,
            allowed_mentions=message.mentions,
        )
        return Sent(created.message.id, thread_id=created.thread.id)

    async def _find_post(
        self, forum: discord.ForumChannel, title: str, since: datetime
    ) -> discord.Thread | None:
        me = self._client.user
        for thread in await forum.guild.active_threads():
            if (
                thread.parent_id == forum.id
                and me is not None
                and thread.owner_id == me.id
                and thread.name == title
                and (thread.created_at is None or thread.created_at >= since - POST_CLOCK_SLACK)
            ):
                return thread
        return None


class AlertDelivery(commands.Cog):
    """Runs the delivery worker while the bot runs and this process is the worker
    (bot/cluster.py): a standby's worker waits, and stops when the role goes."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        services = services_of(bot)
        sender = DiscordAlertSender(bot)
        self.worker = DeliveryWorker(
            services.store,
            sender,
            clock=services.clock,
            concurrency=services.settings.delivery_concurrency,
            limiter=RateLimiter(services.settings.delivery_rate_per_second),
            direct=sender,
            owner=services.name,
            claim=timedelta(seconds=services.settings.delivery_claim_seconds),
        )
        services.wake_delivery = self.worker.wake
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        """Start delivering once the gateway is ready."""
        self._task = asyncio.create_task(self._run(), name="alert-delivery")

    async def _run(self) -> None:
        await self._bot.wait_until_ready()
        role = services_of(self._bot).role
        while True:
            await role.until(worker=True)
            delivering = asyncio.create_task(self.worker.run_forever(), name="deliveries")
            stepped_down = asyncio.create_task(role.until(worker=False))
            try:
                await asyncio.wait({delivering, stepped_down}, return_when=FIRST_COMPLETED)
            finally:
                for task in (delivering, stepped_down):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            # Another process may be the worker now: let it send what we had claimed.
            with contextlib.suppress(Exception):
                await self.worker.release_claims()

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
