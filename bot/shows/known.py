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

    def __init__(self, shows: list[Show]) -> None:
        self.catalogue = Catalogue(shows)
        self.index = ShowIndex(shows)

    @classmethod
    async def load(cls, store: Store, *, seed: bool = True) -> KnownShows:
        """Load every stored show, first adding what the store lacks of the shipped
        catalogue when `seed`. Only reads when nothing is missing, so that a command that
        only reads never waits for another process's write."""
        async with store.read() as tx:
            shows = await tx.shows.all()
        if seed and _missing_from(shows, seed_shows()):
            async with store.transaction() as tx:
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


def _missing_from(stored: list[Show], catalogue: tuple[Show, ...]) -> bool:
    """Whether a catalogue show, or one of its names, is not in the store yet."""
    show_keys = {name_key(show.name) for show in stored}
    name_keys = show_keys | {name_key(alias) for show in stored for alias in show.aliases}
    return any(
        name_key(show.name) not in show_keys
        or any(name_key(alias) not in name_keys for alias in show.aliases)
        for show in catalogue
    )
