"""Watches as the slash commands see them: which show, which channel, and its status."""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import (
    AlertFilter,
    CertaintyFilter,
    DeliveryMode,
    SeasonState,
    Show,
    TargetKind,
)
from bot.records import WatchRecord
from bot.services import Services
from bot.shows.names import name_key

# How /watch offers, and /watchlist shows, what a watch alerts on and how.
ALERT_LABELS = {
    AlertFilter.ALL: "everything",
    AlertFilter.STATUS: "status news only",
    AlertFilter.DATES: "dates only",
}
CERTAINTY_LABELS = {
    CertaintyFilter.OFFICIAL: "official only",
    CertaintyFilter.REPORTED: "official and reported",
}
MODE_LABELS = {
    DeliveryMode.INSTANT: "each alert at once",
    DeliveryMode.DIGEST: "one digest a day",
}


@dataclass(frozen=True, slots=True)
class ShowChoice:
    """What a user's text resolved to: a show, or suggestions, or nothing."""

    query: str
    show: Show | None = None
    candidates: tuple[Show, ...] = ()


@dataclass(frozen=True, slots=True)
class WatchOutcome:
    """The result of /watch: the watch, whether it is new, whether the show was learned."""

    watch: WatchRecord
    created: bool
    learned_show: bool


@dataclass(frozen=True, slots=True)
class WatchLine:
    """One row of /watchlist."""

    watch: WatchRecord
    latest: SeasonState | None


def _spelled(show: Show, query: str) -> bool:
    """Whether `query` is the show's name or an alias (not a near name)."""
    key = name_key(query)
    return any(name_key(name) == key for name in (show.name, *show.aliases))


async def resolve_show(services: Services, query: str, *, new_show: bool = False) -> ShowChoice:
    """Find the show a user means; ambiguity gives candidates, never a guess. `new_show`:
    the user says it is a show nobody knows yet, so near names are no reason to stop (a
    name that is a known show's is still that show)."""
    query = " ".join(query.split())
    if not query:
        return ShowChoice(query=query)
    found = await services.known.lookup(query)
    if new_show and not (found.show is not None and _spelled(found.show, query)):
        return ShowChoice(query=query)
    return ShowChoice(query=query, show=found.show, candidates=found.candidates)


async def watch_show(
    services: Services,
    choice: ShowChoice,
    *,
    guild_id: int,
    channel_id: int,
    role_id: int | None,
    user_id: int | None,
    target: TargetKind = TargetKind.TEXT,
    alerts: AlertFilter | None = None,
    certainty: CertaintyFilter | None = None,
    mode: DeliveryMode | None = None,
) -> WatchOutcome:
    """Watch the chosen show in a channel; an unknown show (no close match at all) is
    added to the catalogue so its news is recognised from now on. Filters and mode left
    None keep an existing watch's (a new watch gets the defaults)."""
    now = services.clock()
    async with services.store.transaction() as tx:
        show = choice.show
        learned = False
        if show is None:
            show = await services.known.learn(tx, Show(name=choice.query), origin="watch")
            learned = True
        assert show.id is not None
        watch, created = await tx.watches.add(
            guild_id=guild_id,
            channel_id=channel_id,
            show_id=show.id,
            role_id=role_id,
            created_by=user_id,
            now=now,
            target=target,
            alerts=alerts,
            certainty=certainty,
            mode=mode,
        )
        # A watched show's news is read from now on, by whichever process polls.
        await services.known.read_news_of(tx, show)
    services.premieres_changed()  # its premiere may belong in the server's events
    return WatchOutcome(watch=watch, created=created, learned_show=learned)


async def unwatch_show(
    services: Services, show: Show, *, guild_id: int, channel_id: int | None
) -> int:
    """Stop watching a show in one channel (or every channel); returns how many stopped."""
    assert show.id is not None
    async with services.store.transaction() as tx:
        removed = await tx.watches.remove(guild_id=guild_id, show_id=show.id, channel_id=channel_id)
    services.premieres_changed()
    return removed


async def watch_lines(services: Services, guild_id: int) -> list[WatchLine]:
    """A guild's watches with each show's latest season state."""
    lines = []
    async with services.store.read() as tx:
        for watch in await tx.watches.for_guild(guild_id):
            states = await tx.shows.states(watch.show_id)
            lines.append(WatchLine(watch=watch, latest=states[0] if states else None))
    return lines
