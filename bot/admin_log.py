"""The admin log: when something breaks, one message in the server's log channel (set with
`/settings log-channel`) says what broke and how to fix it.

Causes: a watch disabled because Discord refused its channel (deleted, permission lost), a
feed disabled, and alerts to a channel that keep failing. Each cause is logged at most
once per server-local day (the notices table's unique key); a server without a log
channel is not logged to. The messages are queued in the transaction that records the
problem and sent by the delivery worker, exactly once like alerts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.records import Delivery, FeedRecord, GuildSettingsRecord
from bot.server_settings import ServerDefaults, resolve
from db.store import Tx

# The log's day is the server's; no other default matters here.
_DEFAULTS = ServerDefaults()
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]])")
FIX_PERMISSIONS = (
    "give me **View Channel**, **Send Messages** and **Embed Links** there "
    "(and **Send Messages in Threads** for a forum or thread)"
)


def plain(text: str) -> str:
    """Text from outside (feed names, errors) shown as written: no Markdown, no mentions."""
    return _MARKDOWN.sub(r"\\\1", text).replace("@", "@\u200b")


def _shows(names: Sequence[str]) -> str:
    listed = [f"**{plain(name)}**" for name in names[:5]]
    if len(names) > 5:
        listed.append(f"{len(names) - 5} more")
    return ", ".join(listed[:-1]) + " and " + listed[-1] if len(listed) > 1 else "".join(listed)


def channel_refused_text(
    channel_id: int, shows: Sequence[str], reason: str, *, deleted: bool
) -> str:
    """A watch (or several) disabled because Discord refused the channel."""
    about = f" about {_shows(shows)}" if shows else ""
    fix = (
        "pick another channel with `/watch`"
        if deleted
        else f"{FIX_PERMISSIONS}, then run `/watch` again for each show"
    )
    return (
        f"⚠️ I stopped posting alerts{about} in <#{channel_id}>: {plain(reason)}. To fix it, {fix}."
    )


def delivery_failing_text(delivery: Delivery, error: str, *, gave_up: bool) -> str:
    """Alerts to a channel that keep failing (or one given up)."""
    what = "I gave up on an alert" if gave_up else "Alerts keep failing"
    return (
        f"⚠️ {what} to <#{delivery.channel_id}> (about **{plain(delivery.change.show)}**): "
        f"{plain(error)}. If this goes on, check that I may post there ({FIX_PERMISSIONS}) "
        "and whether Discord is having trouble (<https://discordstatus.com>)."
    )


def feed_disabled_text(feed: FeedRecord) -> str:
    """A feed the bot stopped reading."""
    reason = feed.disabled_reason or feed.last_error or "it kept failing"
    return (
        f"⚠️ I stopped reading the **{plain(feed.name)}** feed (<{feed.url}>): {plain(reason)}. "
        "Its news won't reach your alerts until the bot's owner enables it again "
        "(`/feeds enable`) or replaces it (`/feeds list`)."
    )


async def _log(tx: Tx, settings: GuildSettingsRecord, cause: str, text: str, now: datetime) -> bool:
    server = resolve(settings, _DEFAULTS)
    if server.log_channel_id is None:
        return False
    return await tx.notices.add(
        guild_id=server.guild_id,
        channel_id=server.log_channel_id,
        cause=cause,
        day=server.today(now),
        text=text,
        now=now,
    )


async def log_channel_refused(
    tx: Tx,
    guild_id: int,
    channel_id: int,
    shows: Sequence[str],
    reason: str,
    *,
    deleted: bool,
    now: datetime,
) -> bool:
    """Tell a server its watches on a channel were disabled; returns whether logged."""
    text = channel_refused_text(channel_id, shows, reason, deleted=deleted)
    settings = await tx.guild_settings.get(guild_id)
    return await _log(tx, settings, f"channel-refused:{channel_id}", text, now)


async def log_delivery_failing(
    tx: Tx, delivery: Delivery, error: str, *, gave_up: bool, now: datetime
) -> bool:
    """Tell a server alerts to one of its channels keep failing; returns whether logged."""
    text = delivery_failing_text(delivery, error, gave_up=gave_up)
    settings = await tx.guild_settings.get(delivery.guild_id)
    return await _log(tx, settings, f"delivery-failing:{delivery.channel_id}", text, now)


async def log_feed_disabled(tx: Tx, feed: FeedRecord, *, now: datetime) -> int:
    """Tell every server with a log channel that a feed was disabled; returns how many."""
    text = feed_disabled_text(feed)
    logged = 0
    for settings in await tx.guild_settings.with_log_channel():
        logged += await _log(tx, settings, f"feed-disabled:{feed.id}", text, now)
    return logged
