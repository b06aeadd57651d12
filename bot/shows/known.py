"""The shows the bot knows: the catalogue recognition reads with, the index users search,
and the store, kept in step when a new show is learned.

Two tiers. The shows the news is read for — the shipped list, shows learned from the news,
watched shows — are in the `Catalogue` (found in running text) and the rich `ShowIndex`.
The shows only TVmaze knows of (up to ~100,000) are in a lean `CompactIndex` behind both:
names are canonicalised and found by users, but never looked for in running text. A
mirror show moves to the first tier when it is watched or in the news (`promote`).

Several processes on one store (bot/cluster.py) each keep their own `KnownShows`: what one
process adds (a show learned, watched, in the news, mirrored or renamed by a TVmaze sync)
it records in the store's catalogue change log in the same transaction (`share`), and the
others take it in every few seconds (`catch_up`).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from bot.models import Show
from bot.shows.catalogue import Catalogue, seed_shows
from bot.shows.compact import CompactIndex
from bot.shows.lookup import ShowIndex
from bot.shows.names import name_key
from db.store import Store, Tx

log = logging.getLogger(__name__)
READ, MIRROR, RENAMED = "read", "mirror", "renamed"  # the kinds of change the log holds


class KnownShows:
    """Catalogue + lookup index over the store's shows. Build with `await load(store)`."""

    # Outlets needed to learn a name the text did not set apart (no quotes).
    CONFIRMING_OUTLETS = 2

    def __init__(self, shows: Iterable[Show], mirror: CompactIndex | None = None) -> None:
        shows = list(shows)
        self._preparing: asyncio.Future[None] | None = None
        self.mirror = mirror if mirror is not None else CompactIndex()
        self.catalogue = Catalogue(shows, more=self.mirror)
        self.index = ShowIndex(shows, more=self.mirror)
        self._sightings: dict[str, set[str]] = {}
        # Who this instance is in the change log, and the last change it has taken in.
        self.origin = uuid.uuid4().hex[:16]
        self.seen_change = 0

    def confirmed(self, name: str, outlet: str) -> bool:
        """Record that `outlet` named an unknown show `name` without setting it apart; True
        once enough different outlets have, so the name is a show and not a fragment."""
        outlets = self._sightings.setdefault(name_key(name), set())
        outlets.add(outlet.casefold())
        return len(outlets) >= self.CONFIRMING_OUTLETS

    @classmethod
    async def load(cls, store: Store, *, seed: bool = True) -> KnownShows:
        """Load every stored show, first adding what the store lacks of the shipped
        catalogue when `seed`. Only reads when nothing is missing, so that a command that
        only reads never waits for another process's write."""
        async with store.read() as tx:
            # Read first: a change made while loading is taken in again (harmlessly).
            seen_change = await tx.catalogue_changes.last_id()
            shows, rows, aliases = await _stored(tx)
        if seed and _missing_from(seed_shows(), shows, rows, aliases):
            async with store.transaction() as tx:
                await tx.shows.ensure_many(seed_shows(), origin="catalogue")
                shows, rows, aliases = await _stored(tx)
        # Building allocates ~1M small objects that all live on: the cyclic collector
        # would walk them again and again for nothing (a third of the build time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            mirror = CompactIndex.build(rows, aliases)
            del rows, aliases
        finally:
            if collecting:
                gc.enable()
        known = cls(shows, mirror)
        known.seen_change = seen_change
        # Words and typos are indexed in a worker thread while the bot connects; a query
        # that needs them first waits for it (see CompactIndex.prepare_words).
        known._preparing = asyncio.get_running_loop().run_in_executor(None, mirror.prepare_words)
        return known

    async def ready(self) -> None:
        """Wait until the mirror's words are indexed too (queries never need to: they
        wait on their own when they need the words)."""
        if self._preparing is not None:
            await self._preparing

    async def learn(self, tx: Tx, show: Show, *, origin: str) -> Show:
        """Add a show to the store (if new) and to the in-memory catalogue and index;
        returns the stored show with its id."""
        stored = await tx.shows.ensure(show, origin=origin)
        await self.read_news_of(tx, stored)
        return stored

    async def read_news_of(self, tx: Tx, show: Show) -> None:
        """`promote`, in this process now and in the others once `tx` commits."""
        await self.share(tx, read=[show])
        self.promote(show)

    def promote(self, show: Show) -> None:
        """Make a show one whose news is read (found in running text), e.g. once watched."""
        if show.id is not None:
            self.mirror.remove(show.id)
        if self.catalogue.get_own(show.name) is None:
            self.catalogue.add(show)
            self.index.add(show)

    def absorb(self, added: Iterable[Show], renamed: Iterable[tuple[Show, Show]]) -> None:
        """Take in what a TVmaze sync changed: new mirror shows, shows renamed upstream."""
        for show in added:
            if self.catalogue.get_own(show.name) is None:
                self.mirror.put(show)
        for before, after in renamed:
            if before.id is not None and before.id in self.mirror:
                self.mirror.put(after)
            else:
                self.index.replace(before, after)
                self.catalogue.add(after)

    async def share(
        self,
        tx: Tx,
        *,
        read: Iterable[Show] = (),
        added: Iterable[Show] = (),
        renamed: Iterable[tuple[Show, Show]] = (),
    ) -> None:
        """Record in the change log what this process adds to its known shows (with
        `promote` or `absorb`), for the other processes sharing the store."""
        changes: list[tuple[str, int, str | None]] = [
            *((READ, show.id, None) for show in read if show.id is not None),
            *((MIRROR, show.id, None) for show in added if show.id is not None),
            *((RENAMED, after.id, before.name) for before, after in renamed if after.id),
        ]
        await tx.catalogue_changes.record(changes, origin=self.origin, now=datetime.now(UTC))

    async def catch_up(self, store: Store, batch: int = 1000) -> int:
        """Take in the changes other processes made since the last call; returns how many."""
        taken = 0
        while True:
            async with store.read() as tx:
                changes = await tx.catalogue_changes.after(self.seen_change, limit=batch)
                theirs = [change for change in changes if change.origin != self.origin]
                shows = await tx.shows.many(change.show_id for change in theirs)
            for change in theirs:
                show = shows.get(change.show_id)
                if show is None:  # removed since
                    continue
                if change.kind == READ:
                    self.promote(show)
                elif change.kind == MIRROR:
                    self.absorb([show], [])
                elif change.kind == RENAMED and change.before_name:
                    before = Show(name=change.before_name, network=show.network, id=show.id)
                    self.absorb([], [(before, show)])
                taken += 1
            if changes:
                self.seen_change = changes[-1].id
            if len(changes) < batch:
                if taken:
                    log.debug("took in %d catalogue changes from other processes", taken)
                return taken

    def __len__(self) -> int:
        return len(self.catalogue) + len(self.mirror)


_MirrorRows = list[tuple[int, str, str, str | None]]


async def _stored(tx: Tx) -> tuple[list[Show], _MirrorRows, list[tuple[int, str]]]:
    """The followed shows, and the rows and aliases of the shows only TVmaze knows of."""
    shows = await tx.shows.followed()
    return shows, await tx.mirror.catalogue_rows(), await tx.mirror.catalogue_aliases()


def _missing_from(
    catalogue: Iterable[Show],
    shows: Iterable[Show],
    rows: _MirrorRows,
    aliases: Iterable[tuple[int, str]],
) -> bool:
    """Whether a name of a catalogue show (its own or an alias) is not in the store yet,
    neither among the followed shows nor among TVmaze's (a show renamed upstream keeps its
    old name as an alias, and seeding adds nothing for a name another show answers to)."""
    needed = {name_key(name) for show in catalogue for name in (show.name, *show.aliases)}
    needed -= {name_key(name) for show in shows for name in (show.name, *show.aliases)}
    needed -= {key for _id, _name, key, _network in rows}
    if needed:  # the mirror's aliases are many: only looked at when something is left
        needed -= {name_key(alias) for _id, alias in aliases}
    return bool(needed)
