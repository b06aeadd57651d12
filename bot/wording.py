"""How the bot words a show's state, the same on Discord and on the command line."""

from __future__ import annotations

from datetime import date

from bot.models import Certainty, SeasonState, Show, Status

STATUS_LABELS = {
    Status.RENEWED: "Renewed",
    Status.CANCELLED: "Cancelled",
    Status.ENDING: "Final season",
    Status.UNKNOWN: "No decision yet",
}
CERTAINTY_LABELS = {
    Certainty.OFFICIAL: "official",
    Certainty.REPORTED: "reported, not confirmed",
    Certainty.SPECULATION: "speculation",
}


def status_label(state: SeasonState) -> str:
    """Renewed / Cancelled / Final season / No decision yet."""
    return STATUS_LABELS[state.status]


def certainty_label(certainty: Certainty | None) -> str:
    """How sure we are, in words."""
    return CERTAINTY_LABELS[certainty] if certainty else "unknown"


def season_title(show: Show | str, season: int | None) -> str:
    """ "Citadel season 2", or just the name when the season is not known."""
    name = show.name if isinstance(show, Show) else show
    return name if season is None else f"{name} season {season}"


def window_words(start: date, end: date, text: str) -> str:
    """A window as written plus its normalised range, e.g. "late 2024 or even early 2025
    (Sep 2024 – Apr 2025)"."""
    span = (
        f"{start:%b %Y}"
        if (start.year, start.month) == (end.year, end.month)
        else (f"{start:%b %Y} – {end:%b %Y}")
    )
    return f"{text} ({span})" if text else span
