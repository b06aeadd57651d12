"""Turning the domain's answers into Discord embeds. Text from feeds is escaped here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from urllib.parse import quote, urlsplit

import discord
from discord.utils import escape_markdown, escape_mentions, format_dt

from bot.alerts.message import AlertMessage
from bot.cards import ShowCard
from bot.feeds.urls import MAX_URL_LENGTH
from bot.models import SeasonState, Source, Status
from bot.watching import WatchLine
from bot.wording import certainty_label, status_label, window_words

BRAND = 0x5865F2
MAX_FIELD = 1024
# What a link keeps as it is; anything else is percent-encoded. Leaves out what Markdown
# reads inside a masked link: ( ) [ ] < > and spaces, so a link cannot end its own masked
# link early and start another.
_LINK_SAFE = "-._~:/?#@!$&'*+,;=%"


def untrusted(text: str) -> str:
    """Text from a feed, safe to show: no Markdown tricks, no mentions."""
    return escape_mentions(escape_markdown(text))


def link_text(text: str) -> str:
    """Untrusted text inside a masked link's brackets, which it must not close early."""
    return untrusted(text).replace("[", "(").replace("]", ")")


def safe_link(link: str | None) -> str | None:
    """A link from a feed, fit for a masked link or an embed's URL: http(s) only, at most
    MAX_URL_LENGTH characters, percent-encoded where Markdown would read it; None if the
    link is unfit (then the outlet is shown without one)."""
    if not link or len(link) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    encoded = quote(link, safe=_LINK_SAFE)
    return encoded if len(encoded) <= MAX_URL_LENGTH else None


def masked_link(text: str, link: str | None) -> str:
    """Untrusted `text` as a masked link to `link`, or just the text when the link is unfit."""
    target = safe_link(link)
    return f"[{link_text(text)}]({target})" if target else untrusted(text)


def _midday(day: date) -> datetime:
    # Noon UTC shows the same calendar day in every time zone from UTC-11 to UTC+11.
    return datetime.combine(day, time(12), tzinfo=UTC)


def date_stamp(day: date) -> str:
    """A date as Discord timestamps: the date, and "in 3 days"."""
    moment = _midday(day)
    return f"{format_dt(moment, 'D')} ({format_dt(moment, 'R')})"


def premiere_text(state: SeasonState) -> str:
    """The premiere in words with Discord timestamps, and how sure we are."""
    certainty = certainty_label(state.premiere_certainty)
    if state.premiere_date is not None:
        return f"{date_stamp(state.premiere_date)} · {certainty}"
    if state.premiere_window is not None:
        window = state.premiere_window
        words = untrusted(window_words(window.start, window.end, window.text))
        return f"Date not announced; expected {words} · {certainty}"
    return "Date not announced"


def source_links(sources: tuple[Source, ...] | list[Source], limit: int = 8) -> str:
    """Sources as outlet-named links within an embed field's size: a link that does not
    fit whole is left out (cut in half, it would show its Markdown), its outlet stays."""
    text = ""
    for source in list(sources)[:limit]:
        name = source.outlet or "source"
        for part in (masked_link(name, source.link), untrusted(name)):
            joined = f"{text} · {part}" if text else part
            if len(joined) <= MAX_FIELD:
                text = joined
                break
    return text or "—"


def when_embed(card: ShowCard) -> discord.Embed:
    """The /when card."""
    title = card.show.name + (f" · {card.network}" if card.network else "")
    embed = discord.Embed(title=untrusted(title), colour=BRAND)
    if not card.seasons:
        embed.description = (
            "Nothing is known yet: no renewal, cancellation or premiere news so far. "
            "Use `/watch` to get an alert when there is."
        )
        return embed
    for state in card.seasons:
        name = "Latest news" if state.season is None else f"Season {state.season}"
        status = status_label(state)
        if state.status is not Status.UNKNOWN:
            status = f"**{status}** · {certainty_label(state.status_certainty)}"
        embed.add_field(
            name=name, value=f"{status}\nPremiere: {premiere_text(state)}", inline=False
        )
    embed.add_field(name="Sources", value=source_links(card.sources), inline=False)
    if card.updated:
        embed.add_field(name="Last updated", value=format_dt(card.updated, "R"), inline=False)
    return embed


def alert_embed(message: AlertMessage) -> discord.Embed:
    """An alert posted to a watching channel."""
    # Show names and networks may come from feeds or users: escape them like headlines.
    what = untrusted(message.what)
    if message.premiere is not None:
        what = f"{what.rstrip('.')} {date_stamp(message.premiere)}."
    embed = discord.Embed(
        title=untrusted(message.title),
        description=what,
        colour=message.colour,
        url=safe_link(message.link),
    )
    embed.add_field(name="How sure", value=message.certainty, inline=True)
    source = masked_link(message.outlet or "source", message.link)
    if len(source) > MAX_FIELD // 2:  # keep room for the headline; the title links anyway
        source = untrusted(message.outlet or "source")
    if message.headline:
        source = f"{source}: {untrusted(message.headline)}"
    embed.add_field(name="Source", value=source[:MAX_FIELD], inline=False)
    return embed


def watchlist_embed(lines: list[WatchLine], guild_name: str) -> discord.Embed:
    """/watchlist: each watch with its channel, role and the show's status."""
    embed = discord.Embed(title=f"Watched in {untrusted(guild_name)}", colour=BRAND)
    if not lines:
        embed.description = "Nothing yet. Add a show with `/watch`."
        return embed
    rows = []
    for line in lines:
        watch = line.watch
        status = "no news yet"
        if line.latest is not None:
            season = line.latest.season
            label = status_label(line.latest)
            status = label if season is None else f"season {season}: {label}"
        row = f"**{untrusted(watch.show_name)}** → <#{watch.channel_id}>"
        if watch.role_id:
            row += f" (pings <@&{watch.role_id}>)"
        row += f" · {status}"
        if watch.disabled_reason:
            row += f"\n  ⚠️ paused: {watch.disabled_reason}. Fix it, then `/watch` again."
        rows.append(row)
    embed.description = "\n".join(rows)[:4000]
    return embed
