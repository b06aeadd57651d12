"""Which changes of a season's state are worth an alert, decided once for every channel.

Alert-worthy: a season's first renewal, cancellation or ending that is official or
reported (a reversal such as "cancelled, then saved" is a new status and alerts too); an
official or reported premiere date that is new or changed; an official premiere window
while no date is known (including a date withdrawn by a newer window: a delay).

Not alert-worthy: another outlet repeating a known fact (it only adds a source), an
upgrade of a known fact from reported to official, speculation, a renewal of a season
already announced as the final one, and anything about a season that has premiered.

Every change carries a stable identity (`AlertChange.key`: show|season|event|value) so
the outbox delivers it once however many outlets report it; a moved date has a new value
and so a new key.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from bot.models import AlertChange, Certainty, Event, SeasonState, Source, Status, Window

__all__ = [
    "REMINDER_DAY_BEFORE",
    "REMINDER_TODAY",
    "SAME_NEWS_DAYS",
    "alert_worthy_changes",
    "reminder_changes",
    "told_by_sibling",
    "window_value",
]

REMINDER_DAY_BEFORE = "reminder_day_before"
REMINDER_TODAY = "reminder_today"

_FIRM = frozenset({Certainty.OFFICIAL, Certainty.REPORTED})
_STATUS_EVENT = {
    Status.RENEWED: Event.RENEWED,
    Status.CANCELLED: Event.CANCELLED,
    Status.ENDING: Event.ENDING,
}


# How far apart two readings of one status news may be reported ("Netflix renews X" and "X
# renewed for season 3") to be the same news.
SAME_NEWS_DAYS = 45


def told_by_sibling(change: AlertChange, siblings: Iterable[SeasonState]) -> bool:
    """True when a status alert is news another reading of the same story already gave:
    one outlet states no season ("Netflix Renews 'The Recruit'"), another states it
    ("'The Recruit' Renewed for Season 3"); that is one renewal, so one alert. The sibling
    is the show's season-less state for a numbered change and any numbered state for a
    season-less one, with the same firm status reported within SAME_NEWS_DAYS."""
    event = Event(change.event) if change.event in Event.__members__.values() else None
    if event not in _STATUS_EVENT.values():
        return False
    when = change.source.published
    for sibling in siblings:
        if (sibling.season is None) == (change.season is None):
            continue
        if _STATUS_EVENT.get(sibling.status) is not event or not _firm(sibling.status_certainty):
            continue
        first = sibling.status_first_reported
        if first is None or when is None or abs(when - first) <= timedelta(days=SAME_NEWS_DAYS):
            return True
    return False


def window_value(window: Window) -> str:
    """The stable value of a window in an alert key: ``start..end`` as ISO dates (the
    words may change between outlets, the range is the fact)."""
    return f"{window.start.isoformat()}..{window.end.isoformat()}"


def _firm(certainty: Certainty | None) -> bool:
    return certainty in _FIRM


def _known_status(state: SeasonState | None) -> Status | None:
    if state is None or state.status is Status.UNKNOWN or not _firm(state.status_certainty):
        return None
    return state.status


def _known_date(state: SeasonState | None) -> date | None:
    if state is None or not _firm(state.premiere_certainty):
        return None
    return state.premiere_date


def _official_window(state: SeasonState | None) -> Window | None:
    if state is None or state.premiere_date is not None:
        return None
    if state.premiere_certainty is not Certainty.OFFICIAL:
        return None
    return state.premiere_window


def _source(first: Source | None, state: SeasonState) -> Source:
    # A folded state always names its first source; a hand-made or partly stored one may
    # not, and an alert still needs one.
    if first is not None:
        return first
    return state.sources[0] if state.sources else Source(outlet="", link=None)


def _premiered(before: SeasonState | None, after: SeasonState, today: date) -> bool:
    """A firm premiere date before today: the season is out, its news is old. A date that
    has passed and then vanished (a stray window) does not reopen the season."""
    current = _known_date(after)
    if current is not None:
        return current < today
    previous = _known_date(before)
    return previous is not None and previous < today


def _status_change(before: SeasonState | None, after: SeasonState) -> AlertChange | None:
    status = _known_status(after)
    if status is None:
        return None
    previous = _known_status(before)
    if previous is status:
        return None  # a repeat, or the same fact made official
    if previous is Status.ENDING and status is Status.RENEWED:
        return None  # the final season was already announced, so was its renewal
    assert after.status_certainty is not None  # _known_status checked it
    extra = {"previous_status": previous.value} if previous is not None else {}
    # A season's first status has one identity whoever reports it; a reversal is news of
    # its own each time (renewed, cancelled, then saved again), so its value names what it
    # reversed and when the new status was first reported. A final season announced after
    # the renewal is no reversal.
    value = ""
    if previous is not None and (previous, status) != (Status.RENEWED, Status.ENDING):
        when = after.status_first_reported
        value = f"{previous.value}>{when.date().isoformat() if when else ''}"
    return AlertChange(
        show=after.show,
        season=after.season,
        event=_STATUS_EVENT[status].value,
        value=value,
        certainty=after.status_certainty,
        source=_source(after.status_first_source, after),
        network=after.network,
        extra=extra,
    )


def _premiere_change(
    before: SeasonState | None, after: SeasonState, today: date
) -> AlertChange | None:
    day = _known_date(after)
    certainty = after.premiere_certainty
    if day is not None and certainty is not None:
        previous = _known_date(before)
        if day == previous or day < today:
            return None
        extra = {"previous_date": previous.isoformat()} if previous is not None else {}
        return AlertChange(
            show=after.show,
            season=after.season,
            event=Event.PREMIERE_DATE.value,
            value=day.isoformat(),
            certainty=certainty,
            source=_source(after.premiere_first_source, after),
            network=after.network,
            extra=extra,
        )
    window = _official_window(after)
    if window is None or window.end < today:
        return None
    previous_window = _official_window(before)
    if previous_window is not None and window_value(previous_window) == window_value(window):
        return None
    extra = {"window_text": window.text}
    previous_day = _known_date(before)
    if previous_day is not None:
        extra["previous_date"] = previous_day.isoformat()  # a date withdrawn: a delay
    return AlertChange(
        show=after.show,
        season=after.season,
        event=Event.PREMIERE_WINDOW.value,
        value=window_value(window),
        certainty=Certainty.OFFICIAL,
        source=_source(after.premiere_first_source, after),
        network=after.network,
        extra=extra,
    )


def alert_worthy_changes(
    before: SeasonState | None, after: SeasonState, *, today: date
) -> list[AlertChange]:
    """The alert-worthy changes from `before` (None: nothing was known) to `after`, the
    same season folded again; status first, then premiere. Rules in the module docstring.

    `today` is the calendar date the bot lives in; a season whose firm premiere date is
    before it has premiered and yields nothing.
    """
    if _premiered(before, after, today):
        return []
    changes = [_status_change(before, after), _premiere_change(before, after, today)]
    return [change for change in changes if change is not None]


def reminder_changes(state: SeasonState, *, today: date) -> list[AlertChange]:
    """Premiere reminders due `today`: "reminder_day_before" when the season's official or
    reported premiere date is tomorrow, "reminder_today" when it is today. The value is the
    ISO date, so a moved date gets reminders of its own."""
    day = _known_date(state)
    if day is None or state.premiere_certainty is None:
        return []
    if day == today + timedelta(days=1):
        event = REMINDER_DAY_BEFORE
    elif day == today:
        event = REMINDER_TODAY
    else:
        return []
    return [
        AlertChange(
            show=state.show,
            season=state.season,
            event=event,
            value=day.isoformat(),
            certainty=state.premiere_certainty,
            source=_source(state.premiere_first_source, state),
            network=state.network,
        )
    ]
