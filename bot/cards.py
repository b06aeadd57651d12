"""What `/when` (and `python -m bot when`) answers: a show's card, as data.

The cog renders it as an embed with Discord timestamps; the CLI renders it as text with
`render_text`. Both call `answer_when`, so there is one implementation of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.models import SeasonState, Show, Source, Status
from bot.records import MirrorInfo
from bot.shows.known import KnownShows
from bot.tvmaze import CREDIT, CREDIT_URL
from bot.tvmaze.shapes import ENDED
from bot.wording import certainty_label, status_label, window_words
from db.store import Store, Tx

MAX_SEASONS = 2


@dataclass(frozen=True, slots=True)
class ShowCard:
    """A show and its latest seasons' states (newest season first)."""

    show: Show
    seasons: tuple[SeasonState, ...]
    network: str | None
    updated: datetime | None
    tvmaze: MirrorInfo | None = None  # what TVmaze says about the show, when mirrored

    @property
    def credit(self) -> str | None:
        """The link TVmaze's licence asks for when the card shows its data, else None."""
        if self.tvmaze is None and not any(s.listed_date for s in self.seasons):
            return None
        return (self.tvmaze.url if self.tvmaze else None) or CREDIT_URL

    @property
    def ended(self) -> bool:
        """TVmaze says the show ended and no news says it was cancelled or is ending (the
        news decides "cancelled": TVmaze has no such status)."""
        decided = any(s.status in (Status.CANCELLED, Status.ENDING) for s in self.seasons)
        return self.tvmaze is not None and self.tvmaze.status == ENDED and not decided

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of the shown seasons, one per outlet, oldest first."""
        seen: dict[str, Source] = {}
        for state in sorted(self.seasons, key=lambda s: _season_order(s.season)):
            for source in state.sources:
                seen.setdefault(source.outlet, source)
        return tuple(seen.values())


@dataclass(frozen=True, slots=True)
class WhenAnswer:
    """The answer to "when is SHOW back?": a card, or suggestions, or nothing."""

    query: str
    card: ShowCard | None = None
    candidates: tuple[Show, ...] = ()


async def answer_when(store: Store, known: KnownShows, query: str) -> WhenAnswer:
    """Look a show up by what a user typed and gather its latest seasons' state, in one
    read of the store (a second one cost a trip to the pool and the database for every
    card: a PostgreSQL connection is pinged when taken)."""
    query = query.strip()
    if not query:
        return WhenAnswer(query=query)
    # Outside a transaction: nothing to begin or end (round trips of their own), and the
    # card is read the moment after the lookup.
    async with store.read(snapshot=False) as tx:
        found = await known.lookup(query, tx)
        if found.show is None or found.show.id is None:
            return WhenAnswer(query=query, candidates=found.candidates)
        return WhenAnswer(query=query, card=await show_card(tx, found.show))


async def show_card(tx: Tx, show: Show) -> ShowCard:
    """The card of a known show (with no seasons when nothing is known yet)."""
    assert show.id is not None
    states, tvmaze = await tx.mirror.card(show.id, latest=MAX_SEASONS)
    latest = _latest_seasons(states)
    updated = max((s.updated for s in latest if s.updated), default=None)
    network = show.network or next((s.network for s in latest if s.network), None)
    if network is None and tvmaze is not None:
        network = tvmaze.channel
    return ShowCard(show=show, seasons=latest, network=network, updated=updated, tvmaze=tvmaze)


def _season_order(season: int | None) -> int:
    return -1 if season is None else season


def _latest_seasons(states: list[SeasonState]) -> tuple[SeasonState, ...]:
    numbered = sorted(
        (s for s in states if s.season is not None), key=lambda s: s.season or 0, reverse=True
    )
    chosen = numbered[:MAX_SEASONS]
    unnumbered = [s for s in states if s.season is None]
    # News without a season number ("X cancelled") only shows when it is newer than the
    # numbered seasons' news, or when it is all we have.
    for state in unnumbered:
        newest = max((s.updated for s in chosen if s.updated), default=None)
        if not chosen or (state.updated and newest and state.updated > newest):
            chosen.insert(0, state)
    return tuple(chosen)


def long_date(day: date) -> str:
    """ "Thursday, April 2, 2026"."""
    return f"{day:%A, %B} {day.day}, {day.year}"


def premiere_how(state: SeasonState) -> str:
    """How sure the shown premiere date is, and whether TVmaze lists it: "official",
    "listed on TVmaze", "official; listed on TVmaze"."""
    certainty = certainty_label(state.premiere_certainty)
    if state.premiere_date is None or state.listed_date != state.premiere_date:
        return certainty
    if state.news_date == state.premiere_date and state.news_certainty is not None:
        return f"{certainty_label(state.news_certainty)}; listed on TVmaze"
    return "listed on TVmaze"


def premiere_other(state: SeasonState) -> tuple[str, date] | None:
    """A date another source gives that differs from the shown one — shown, not hidden:
    ("TVmaze lists", day) or ("the news said … (certainty)", day)."""
    shown = state.premiere_date
    if state.listed_date is not None and state.listed_date != shown:
        return "TVmaze lists", state.listed_date
    if state.news_date is not None and state.news_date != shown and state.listed_date == shown:
        return f"the news said ({certainty_label(state.news_certainty)})", state.news_date
    return None


def premiere_line(state: SeasonState) -> str:
    """The premiere as plain text, with how sure we are and any other source's date."""
    certainty = certainty_label(state.premiere_certainty)
    other = premiere_other(state)
    note = f"; {other[0]} {long_date(other[1])}" if other else ""
    if state.premiere_date is not None:
        return f"premieres {long_date(state.premiere_date)} ({premiere_how(state)}){note}"
    if state.premiere_window is not None:
        window = state.premiere_window
        words = window_words(window.start, window.end, window.text)
        return f"premiere date not announced; expected {words} ({certainty}){note}"
    return "premiere date not announced" + note


def render_text(answer: WhenAnswer) -> str:
    """The answer as plain text, for the command line."""
    if answer.card is None:
        if not answer.query:
            return "Tell me which show, e.g. `when citadel`."
        if answer.candidates:
            names = ", ".join(show.name for show in answer.candidates[:5])
            return f'I don\'t know a show called "{answer.query}". Did you mean: {names}?'
        return (
            f'I don\'t know a show called "{answer.query}" yet. Check the spelling, or '
            "watch it with /watch so I start following its news."
        )
    card = answer.card
    heading = card.show.name + (f" ({card.network})" if card.network else "")
    lines = [heading]
    if card.tvmaze is not None:
        lines.append(f"On TVmaze: {tvmaze_status(card)}")
    if not card.seasons:
        if card.tvmaze is None:
            lines.append("Nothing is known yet: no renewal, cancellation or premiere news so far.")
        elif not card.ended:
            lines.append("No premiere date listed and no renewal or cancellation news so far.")
        if card.credit:
            lines.append(f"{CREDIT}: {card.credit}")
        return "\n".join(lines)
    for state in card.seasons:
        label = "Season ?" if state.season is None else f"Season {state.season}"
        status = status_label(state)
        if state.status is not Status.UNKNOWN:
            status += f" ({certainty_label(state.status_certainty)})"
        lines.append(f"{label}: {status}; {premiere_line(state)}")
    lines.append("Sources:")
    lines.extend(f"  - {s.outlet}: {s.link or s.title}" for s in card.sources)
    if card.updated:
        lines.append(f"Last updated {card.updated:%Y-%m-%d %H:%M} UTC")
    if card.credit:
        lines.append(f"{CREDIT}: {card.credit}")
    return "\n".join(lines)


def tvmaze_status(card: ShowCard) -> str:
    """TVmaze's status in words: "Ended (ran 2013-06-24 to 2015-09-10)", "Running"..."""
    info = card.tvmaze
    if info is None:
        return ""
    if info.status == ENDED:
        run = f" (ran {info.premiered} to {info.ended})" if info.premiered and info.ended else ""
        return f"Ended{run}"
    status = info.status or "status unknown"
    return f"{status} (since {info.premiered})" if info.premiered else status
