"""What `/when` (and `python -m bot when`) answers: a show's card, as data.

The cog renders it as an embed with Discord timestamps; the CLI renders it as text with
`render_text`. Both call `answer_when`, so there is one implementation of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.models import SeasonState, Show, Source, Status
from bot.shows.known import KnownShows
from bot.wording import certainty_label, status_label, window_words
from db.store import Store

MAX_SEASONS = 2


@dataclass(frozen=True, slots=True)
class ShowCard:
    """A show and its latest seasons' states (newest season first)."""

    show: Show
    seasons: tuple[SeasonState, ...]
    network: str | None
    updated: datetime | None

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
    """Look a show up by what a user typed and gather its latest seasons' state."""
    query = query.strip()
    if not query:
        return WhenAnswer(query=query)
    found = known.index.lookup(query)
    if found.show is None or found.show.id is None:
        return WhenAnswer(query=query, candidates=found.candidates)
    return WhenAnswer(query=query, card=await show_card(store, found.show))


async def show_card(store: Store, show: Show) -> ShowCard:
    """The card of a known show (with no seasons when nothing is known yet)."""
    assert show.id is not None
    async with store.read() as tx:
        states = await tx.shows.states(show.id)
    latest = _latest_seasons(states)
    updated = max((s.updated for s in latest if s.updated), default=None)
    network = show.network or next((s.network for s in latest if s.network), None)
    return ShowCard(show=show, seasons=latest, network=network, updated=updated)


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


def premiere_line(state: SeasonState) -> str:
    """The premiere as plain text, with how sure we are."""
    certainty = certainty_label(state.premiere_certainty)
    if state.premiere_date is not None:
        return (
            f"premieres {state.premiere_date:%A, %B} {state.premiere_date.day}, "
            f"{state.premiere_date.year} ({certainty})"
        )
    if state.premiere_window is not None:
        window = state.premiere_window
        words = window_words(window.start, window.end, window.text)
        return f"premiere date not announced; expected {words} ({certainty})"
    return "premiere date not announced"


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
    if not card.seasons:
        return f"{heading}\nNothing is known yet: no renewal, cancellation or premiere news so far."
    lines = [heading]
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
    return "\n".join(lines)
