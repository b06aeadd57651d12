"""Upcoming premieres as the calendar features show them: a server's scheduled events, the
`.ics` calendar and (through the alerts) personal follows.

They read the same season states as `/when` and the channel alerts, and name each
premiere by its season's identity (`bot.models.season_identity`, the start of every alert
key about that season): one premiere, one identity, wherever it is shown, so a moved date
edits the event it already has instead of adding one.

Only firm dates count (official or reported, from the news or TVmaze); a window has no
day to put on a calendar, and a cancelled season has no premiere to wait for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.cards import long_date, premiere_how, premiere_other
from bot.models import Certainty, SeasonState, Status, season_identity
from bot.tvmaze import CREDIT, CREDIT_URL
from bot.wording import season_title
from db.store import Tx

FIRM = frozenset({Certainty.OFFICIAL, Certainty.REPORTED})
HORIZON = timedelta(days=731)  # how far ahead "upcoming" looks
NO_NETWORK = "Network not announced"


@dataclass(frozen=True, slots=True)
class Premiere:
    """A season's known premiere date, its state and where it airs."""

    show_id: int
    state: SeasonState
    network: str | None = None  # the state's network, else the catalogue's or TVmaze's

    @property
    def day(self) -> date:
        """The premiere date."""
        assert self.state.premiere_date is not None, "a premiere has a date"
        return self.state.premiere_date

    @property
    def identity(self) -> str:
        """The season's identity with "premiere": the same for every date it is given."""
        return f"{season_identity(self.state.show, self.state.season)}|premiere"

    @property
    def certainty(self) -> Certainty:
        """How sure the date is."""
        assert self.state.premiere_certainty is not None, "a premiere has a certainty"
        return self.state.premiere_certainty

    @property
    def title(self) -> str:
        """ "Citadel — Season 2 premiere" (or "Citadel — premiere" without a season)."""
        season = self.state.season
        what = "premiere" if season is None else f"Season {season} premiere"
        return f"{self.state.show} — {what}"

    @property
    def location(self) -> str:
        """The network or streamer."""
        return self.network or self.state.network or NO_NETWORK

    @property
    def credit(self) -> bool:
        """Whether TVmaze's data is shown (its licence asks for the credit)."""
        return self.state.listed_date is not None

    def description(self, *, max_sources: int = 8) -> str:
        """What the premiere is, how sure the date is, and where it was read."""
        state = self.state
        where = f" on {self.location}" if self.location != NO_NETWORK else ""
        lines = [
            f"{season_title(state.show, state.season)} premieres {long_date(self.day)}{where}.",
            f"How sure: {premiere_how(state)}.",
        ]
        other = premiere_other(state)
        if other is not None:
            lines.append(f"Note: {other[0]} {long_date(other[1])}.")
        sources = [s for s in state.sources if s.outlet or s.link][:max_sources]
        if sources:
            lines.append("Sources:")
            lines.extend(f"- {s.outlet or 'source'}: {s.link or s.title}" for s in sources)
        if self.credit:
            lines.append(f"{CREDIT}: {CREDIT_URL}")
        return "\n".join(lines)


def is_upcoming(state: SeasonState, today: date) -> bool:
    """A firm premiere date on or after `today` of a season that is not cancelled."""
    return (
        state.premiere_date is not None
        and state.premiere_date >= today
        and state.premiere_certainty in FIRM
        and state.status is not Status.CANCELLED
    )


def called_off(state: SeasonState, others: Iterable[SeasonState]) -> bool:
    """Whether a later cancellation voids this season's premiere: news says a show is
    cancelled after the season that last aired ("cancels Severance after two seasons", and
    "cancels Severance season 3" reads the same) or says no season at all, so a season 3
    premiere date reported before it is no longer coming. A renewal or a date reported
    after the cancellation (a revival) stands."""
    if state.season is None:
        return False
    own_news = [
        moment
        for moment in (state.premiere_first_reported, state.status_first_reported)
        if moment is not None
    ]
    return any(
        other.status is Status.CANCELLED
        and (other.season is None or other.season < state.season)
        and other.status_first_reported is not None
        and all(other.status_first_reported >= moment for moment in own_news)
        for other in others
    )


async def upcoming_premieres(
    tx: Tx, show_ids: Iterable[int] | None, *, today: date
) -> list[Premiere]:
    """The upcoming premieres of these shows (of every show when None), in date order."""
    ids = None if show_ids is None else sorted(set(show_ids))
    if ids is not None and not ids:
        return []
    found = await tx.shows.premieres_between(today, today + HORIZON, ids)
    premieres: list[Premiere] = []
    networks: dict[int, str | None] = {}
    found = [(show_id, state) for show_id, state in found if is_upcoming(state, today)]
    cancelled = await tx.shows.cancellations(show_id for show_id, _ in found) if found else {}
    for show_id, state in found:
        if called_off(state, cancelled.get(show_id, ())):
            continue
        network = state.network
        if network is None:
            if show_id not in networks:
                networks[show_id] = await _catalogue_network(tx, show_id)
            network = networks[show_id]
        premieres.append(Premiere(show_id=show_id, state=state, network=network))
    return premieres


async def _catalogue_network(tx: Tx, show_id: int) -> str | None:
    show = await tx.shows.get(show_id)
    if show is not None and show.network:
        return show.network
    info = await tx.mirror.info(show_id)
    return info.channel if info is not None else None
