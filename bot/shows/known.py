"""The shows the bot knows: the catalogue recognition reads with, the index users search,
and the store, kept in step when a new show is learned."""

from __future__ import annotations

from bot.models import Show
from bot.shows.catalogue import Catalogue, seed_shows
from bot.shows.lookup import ShowIndex
from bot.shows.names import name_key
from db.store import Store, Tx


class KnownShows:
    """Catalogue + lookup index over the store's shows. Build with `await load(store)`."""

    # Outlets needed to learn a name the text did not set apart (no quotes).
    CONFIRMING_OUTLETS = 2

    def __init__(self, shows: list[Show]) -> None:
        self.catalogue = Catalogue(shows)
        self.index = ShowIndex(shows)
        self._sightings: dict[str, set[str]] = {}

    def confirmed(self, name: str, outlet: str) -> bool:
        """Record that `outlet` named an unknown show `name` without setting it apart; True
        once enough different outlets have, so the name is a show and not a fragment."""
        outlets = self._sightings.setdefault(name_key(name), set())
        outlets.add(outlet.casefold())
        return len(outlets) >= self.CONFIRMING_OUTLETS

    @classmethod
    async def load(cls, store: Store, *, seed: bool = True) -> KnownShows:
        """Load every stored show, first adding the shipped catalogue when `seed`."""
        async with store.transaction() as tx:
            if seed:
                await tx.shows.ensure_many(seed_shows(), origin="catalogue")
            shows = await tx.shows.all()
        return cls(shows)

    async def learn(self, tx: Tx, show: Show, *, origin: str) -> Show:
        """Add a show to the store (if new) and to the in-memory catalogue and index;
        returns the stored show with its id."""
        stored = await tx.shows.ensure(show, origin=origin)
        if self.catalogue.get(stored.name) is None:
            self.catalogue.add(stored)
            self.index.add(stored)
        return stored

    def __len__(self) -> int:
        return len(self.catalogue)
