"""Turning the domain's answers into Discord embeds. Text from feeds is escaped here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from urllib.parse import quote, urlsplit

import discord
from discord.utils import escape_markdown, escape_mentions, format_dt

from bot.alerts.message import AlertMessage, DigestMessage
from bot.cards import ShowCard, premiere_how, premiere_other, tvmaze_status
from bot.feeds.urls import MAX_URL_LENGTH
from bot.models import DeliveryMode, SeasonState, Source, Status
from bot.server_settings import ServerSettings
from bot.tvmaze import CREDIT, CREDIT_URL
from bot.watching import ALERT_LABELS, CERTAINTY_LABELS, WatchLine
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
    other = premiere_other(state)
    note = f"\n⚠️ {other[0]} {date_stamp(other[1])}" if other else ""
    if state.premiere_date is not None:
        return f"{date_stamp(state.premiere_date)} · {premiere_how(state)}{note}"
    if state.premiere_window is not None:
        window = state.premiere_window
        words = untrusted(window_words(window.start, window.end, window.text))
        return f"Date not announced; expected {words} · {certainty}{note}"
    return "Date not announced" + note


def credit_text(url: str | None = None) -> str:
    """The credit TVmaze's licence (CC BY-SA) asks for, as a link (to TVmaze's home page
    when the show's own page is not a link fit to show)."""
    return f"[{CREDIT}]({safe_link(url) or CREDIT_URL})"


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
    if card.tvmaze is not None:
        embed.add_field(name="On TVmaze", value=untrusted(tvmaze_status(card)), inline=False)
    if not card.seasons:
        if card.tvmaze is None:
            embed.description = (
                "Nothing is known yet: no renewal, cancellation or premiere news so far. "
                "Use `/watch` to get an alert when there is."
            )
        elif not card.ended:
            embed.description = (
                "No premiere date listed and no renewal or cancellation news so far. "
                "Use `/watch` to get an alert when there is."
            )
        if card.credit:
            embed.add_field(name="Credit", value=credit_text(card.credit), inline=False)
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
    if card.credit:
        embed.add_field(name="Credit", value=credit_text(card.credit), inline=False)
    return embed


def _alert_what(message: AlertMessage) -> str:
    # Show names and networks may come from feeds or users: escape them like headlines.
    what = untrusted(message.what)
    if message.premiere is not None:
        what = f"{what.rstrip('.')} {date_stamp(message.premiere)}."
    if message.previous_premiere is not None:
        what += f" (It was {format_dt(_midday(message.previous_premiere), 'D')}.)"
    return what


def _alert_source(message: AlertMessage) -> str:
    source = masked_link(message.outlet or "source", message.link)
    if len(source) > MAX_FIELD // 2:  # keep room for the headline; the title links anyway
        source = untrusted(message.outlet or "source")
    if message.headline:
        source = f"{source}: {untrusted(message.headline)}"
    return source


def alert_embed(message: AlertMessage) -> discord.Embed:
    """An alert posted to a watching channel."""
    embed = discord.Embed(
        title=untrusted(message.title),
        description=_alert_what(message),
        colour=message.colour,
        url=safe_link(message.link),
    )
    embed.add_field(name="How sure", value=message.certainty, inline=True)
    if message.reported is not None:
        embed.add_field(name="Reported", value=format_dt(message.reported, "R"), inline=True)
    embed.add_field(name="Source", value=_alert_source(message)[:MAX_FIELD], inline=False)
    return embed


MAX_DESCRIPTION = 4000


def digest_embed(digest: DigestMessage) -> discord.Embed:
    """A day's alerts for one channel, one paragraph each, within an embed's size."""
    header = f"TV news up to {format_dt(_midday(digest.day), 'D')}:"
    parts = [header]
    used = len(header)
    for index, alert in enumerate(digest.alerts):
        part = (
            f"**{untrusted(alert.title)}**\n{_alert_what(alert)} · {alert.certainty} · "
            f"{_alert_source(alert)}"
        )
        more = len(digest.alerts) - index
        if used + len(part) + 2 > MAX_DESCRIPTION - 60:
            parts.append(f"…and {more} more. `/when` has every show's latest.")
            break
        parts.append(part)
        used += len(part) + 2
    count = len(digest.alerts)
    title = f"Your Cliffhanger digest: {count} {'update' if count == 1 else 'updates'}"
    return discord.Embed(title=title, description="\n\n".join(parts), colour=BRAND)


def settings_embed(settings: ServerSettings, guild_name: str) -> discord.Embed:
    """/settings show: each setting, and whether it is the server's choice or the default."""

    def marked(name: str, text: str) -> str:
        return text if name in settings.chosen else f"{text} (default)"

    log_channel = f"<#{settings.log_channel_id}>" if settings.log_channel_id else "none (default)"
    embed = discord.Embed(title=f"Settings of {untrusted(guild_name)}", colour=BRAND)
    embed.add_field(name="Timezone", value=marked("timezone", settings.timezone), inline=False)
    embed.add_field(
        name="Premiere reminders",
        value=marked("reminder_hour", f"{settings.reminder_hour:02d}:00 server time"),
        inline=False,
    )
    embed.add_field(
        name="Daily digest",
        value=marked("digest_hour", f"{settings.digest_hour:02d}:00 server time"),
        inline=False,
    )
    embed.add_field(name="Log channel", value=log_channel, inline=False)
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
        row += f" · {ALERT_LABELS[watch.alerts]}, {CERTAINTY_LABELS[watch.certainty]}"
        if watch.mode is DeliveryMode.DIGEST:
            row += ", daily digest"
        row += f" · {status}"
        if watch.disabled_reason:
            row += f"\n  ⚠️ paused: {watch.disabled_reason}. Fix it, then `/watch` again."
        rows.append(row)
    embed.description = "\n".join(rows)[:4000]
    return embed
