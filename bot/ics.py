"""Upcoming premieres as an iCalendar file (RFC 5545), written with the `icalendar` library.

Each premiere is an all-day event whose UID comes from the premiere's identity (show and
season, not the date), so importing the file again, or refreshing a subscription, moves
the event when the date moves instead of adding a second one. SEQUENCE grows with each
new date (it counts minutes from 2020 to when the shown date was first reported), as
RFC 5545 asks of a revised event. The description says how sure the date is and where it
was read; STATUS is CONFIRMED for an official date and TENTATIVE for a reported one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from bot.models import Certainty
from bot.premieres import Premiere
from bot.shows.names import fold_text

PRODID = "-//Cliffhanger//TV premieres//EN"
UID_DOMAIN = "cliffhanger.premieres"
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_SLUG = re.compile(r"[^a-z0-9]+")


def event_uid(premiere: Premiere) -> str:
    """A stable UID: a readable slug of the show and season, and a hash of the premiere's
    identity (two shows whose names slug alike still differ)."""
    state = premiere.state
    slug = _SLUG.sub("-", fold_text(state.show)).strip("-")[:60] or "show"
    season = "" if state.season is None else f"-s{state.season}"
    digest = hashlib.sha256(premiere.identity.encode()).hexdigest()[:10]
    return f"{slug}{season}-premiere-{digest}@{UID_DOMAIN}"


def _sequence(premiere: Premiere) -> int:
    first = premiere.state.premiere_first_reported
    if first is None:
        return 0
    return max(0, int((first - _EPOCH).total_seconds() // 60))


def _event(premiere: Premiere, now: datetime) -> Event:
    state = premiere.state
    event = Event()
    event.add("uid", event_uid(premiere))
    event.add("dtstamp", now)
    event.add("summary", premiere.title)
    event.add("dtstart", premiere.day)
    event.add("dtend", premiere.day + timedelta(days=1))
    event.add("description", premiere.description())
    event.add("location", premiere.location)
    official = premiere.certainty is Certainty.OFFICIAL
    event.add("status", "CONFIRMED" if official else "TENTATIVE")
    event.add("transp", "TRANSPARENT")  # a premiere does not make anyone busy
    event.add("sequence", _sequence(premiere))
    if state.updated is not None:
        event.add("last-modified", state.updated)
    link = next((s.link for s in state.sources if s.link), None)
    if link:
        event.add("url", link)
    return event


def premieres_calendar(premieres: Sequence[Premiere], *, name: str, now: datetime) -> bytes:
    """The premieres as one calendar named `name`; `now` is the file's DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for premiere in premieres:
        calendar.add_component(_event(premiere, stamp))
    return bytes(calendar.to_ical())


def calendar_filename(show: str | None) -> str:
    """ "citadel-premieres.ics", or "premieres.ics" for several shows."""
    if show is None:
        return "premieres.ics"
    slug = _SLUG.sub("-", fold_text(show)).strip("-")[:60] or "show"
    return f"{slug}-premieres.ics"
