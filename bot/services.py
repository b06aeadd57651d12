"""The shared resources every part of the bot uses, created once at start-up.

The Discord client, the scheduler jobs and the CLI receive a `Services`; none of them open
their own database or HTTP session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock, utc_now
from bot.settings import Settings
from bot.shows.known import KnownShows
from db.store import Store


@dataclass
class Services:
    """Settings, the store and the known shows (catalogue + lookup index)."""

    settings: Settings
    store: Store
    known: KnownShows
    clock: Clock = field(default=utc_now)

    @classmethod
    async def open(cls, settings: Settings, *, clock: Clock = utc_now) -> Services:
        """Open (and migrate) the store and load the known shows."""
        store = await Store.open(settings.database_url)
        try:
            known = await KnownShows.load(store)
        except BaseException:
            await store.close()
            raise
        return cls(settings=settings, store=store, known=known, clock=clock)

    async def close(self) -> None:
        """Release the store's connections."""
        await self.store.close()
