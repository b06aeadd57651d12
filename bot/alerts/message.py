"""What an alert says, as data: the cog turns an `AlertMessage` (or a `DigestMessage`, a
day's alerts for one channel) into a Discord embed. Dates and moments stay dates and
datetimes here; the cog renders them as Discord timestamps, which every reader sees in
their own timezone.

Text that came from feeds (headlines, outlet names) is marked untrusted so the renderer
escapes Markdown and mentions in it; the only mention an alert may make is its watch's role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.models import AlertChange, Event
from bot.records import Delivery
from bot.wording import certainty_label, season_title, window_words

# Colours per kind of alert (RGB), so a channel can tell them apart at a glance.
COLOURS = {
    Event.RENEWED.value: 0x2ECC71,
    Event.CANCELLED.value: 0xE74C3C,
    Event.ENDING.value: 0x9B59B6,
    Event.PREMIERE_DATE.value: 0x3498DB,
    Event.PREMIERE_WINDOW.value: 0x1ABC9C,
    "reminder_day_before": 0xF1C40F,
    "reminder_today": 0xE67E22,
}


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """An alert ready to render: the title and lines are ours, `headline` is untrusted."""

    title: str
    what: str  # one sentence: what happened
    certainty: str
    colour: int
    headline: str  # untrusted: the source's title
    outlet: str  # untrusted
    link: str | None
    role_id: int | None
    premiere: date | None = None  # rendered as a Discord timestamp when set
    previous_premiere: date | None = None  # a moved date: the one it replaces
    reported: datetime | None = None  # when the source published it


@dataclass(frozen=True, slots=True)
class DigestMessage:
    """A day's alerts for one channel, in one message."""

    day: date  # the server-local day the digest covers
    alerts: tuple[AlertMessage, ...]
    role_ids: tuple[int, ...]


def _what(change: AlertChange) -> tuple[str, str, date | None]:
    name = season_title(change.show, change.season)
    on = f" on {change.network}" if change.network else ""
    if change.event == Event.RENEWED:
        return f"{name} is happening", f"{change.show} has been renewed{on}.", None
    if change.event == Event.CANCELLED:
        return f"{change.show} cancelled", f"{change.show} has been cancelled{on}.", None
    if change.event == Event.ENDING:
        return f"{name}: final season", f"{name} will be the last.", None
    if change.event in (Event.PREMIERE_DATE, "reminder_day_before", "reminder_today"):
        day = date.fromisoformat(change.value)
        if change.event == "reminder_day_before":
            return f"{name} premieres tomorrow", f"{name} premieres tomorrow{on}.", day
        if change.event == "reminder_today":
            return f"{name} premieres today", f"{name} premieres today{on}.", day
        return f"{name} premiere date", f"{name} premieres{on}", day
    if change.event == Event.PREMIERE_WINDOW:
        start, _, end = change.value.partition("..")
        words = window_words(
            date.fromisoformat(start), date.fromisoformat(end), change.extra.get("window_text", "")
        )
        return f"{name} premiere window", f"{name} is expected {words}{on}.", None
    return name, change.event, None


def format_alert(change: AlertChange, role_id: int | None) -> AlertMessage:
    """The message for one alert in one channel."""
    title, what, premiere = _what(change)
    previous = change.extra.get("previous_date")
    return AlertMessage(
        title=title,
        what=what,
        certainty=certainty_label(change.certainty).capitalize(),
        colour=COLOURS.get(change.event, 0x95A5A6),
        headline=change.source.title,
        outlet=change.source.outlet,
        link=change.source.link,
        role_id=role_id,
        premiere=premiere,
        previous_premiere=date.fromisoformat(previous) if previous else None,
        reported=change.source.published,
    )


def format_digest(delivery: Delivery) -> DigestMessage:
    """The message for a digest delivery: each alert it carries, oldest first."""
    assert delivery.digest_day is not None, "not a digest"
    return DigestMessage(
        day=delivery.digest_day,
        alerts=tuple(format_alert(change, None) for change in delivery.digest),
        role_ids=delivery.digest_role_ids,
    )
