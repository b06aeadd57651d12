"""The shared resources every part of the bot uses, created once at start-up.

The Discord client, the scheduler jobs and the CLI receive a `Services`; none of them open
their own database or HTTP session.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.clock import Clock, utc_now
from bot.feeds.urls import URLPolicy
from bot.process import WorkerRole, process_name
from bot.settings import Settings
from bot.shows.known import KnownShows
from db.store import Store

if TYPE_CHECKING:  # APScheduler and the poller are loaded by the running bot only
    from bot.feeds.schedule import FeedSchedule


@dataclass
class Services:
    """Settings, the store and the known shows (catalogue + lookup index)."""

    settings: Settings
    store: Store
    known: KnownShows
    url_policy: URLPolicy = field(default_factory=URLPolicy)
    clock: Clock = field(default=utc_now)
    # Set while the bot runs, so feed commands schedule (and unschedule) polling at once.
    feed_schedule: FeedSchedule | None = None
    # Set by the running delivery worker: call after queuing deliveries to send them now.
    wake_delivery: Callable[[], None] | None = None
    # Set by the running premiere events sync (cogs/premiere_events.py).
    wake_events: Callable[[], None] | None = None
    # This process's name and role among the processes sharing the store (bot/cluster.py);
    # alone on a store it is always the worker.
    name: str = field(default_factory=process_name)
    role: WorkerRole = field(default_factory=WorkerRole)

    def deliveries_queued(self) -> None:
        """Tell the delivery worker (if one runs in this process) there is work; news
        worth an alert may also move a premiere, so the premiere events look too."""
        if self.wake_delivery is not None:
            self.wake_delivery()
        self.premieres_changed()

    def premieres_changed(self) -> None:
        """Tell the premiere events sync (if one runs) to reconcile soon: a date, a watch
        or a server's settings changed."""
        if self.wake_events is not None:
            self.wake_events()

    @classmethod
    async def open(
        cls,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        settle: bool = True,
        named_first: bool = False,
    ) -> Services:
        """Open (and migrate) the store and load the known shows; `settle` (see
        `keep_loop_smooth`) is for a process that goes on running: a command that answers
        and exits has no event loop to keep smooth and would only pay for the collection.
        `named_first` for a command that only looks one show up (see `KnownShows.load`)."""
        store = await Store.open(
            settings.database_url, busy_timeout=settings.database_busy_timeout_seconds
        )
        try:
            # A process that goes on running builds the whole index now, before the heap
            # is settled; a command that answers and exits, only what its query needs.
            known = await KnownShows.load(store, words=settle, named_first=named_first)
        except BaseException:
            await store.close()
            raise
        if settle:
            keep_loop_smooth()
        return cls(
            settings=settings,
            store=store,
            known=known,
            url_policy=URLPolicy.from_settings(settings),
            clock=clock,
        )

    async def close(self) -> None:
        """Release the store's connections."""
        await self.store.close()


# Worker threads (parsing, recognition) may hold the GIL for a whole switch interval before
# the event loop gets it back. CPython's 5 ms put a changed cycle's loop-lag p99 at 10-11 ms
# on a slow machine; 1 ms gave 7.3 ms there, at the same CPU per cycle (bench/loop_lag.py).
LOOP_SWITCH_INTERVAL = 0.001


def keep_loop_smooth() -> None:
    """Ready a process that goes on running to answer promptly while it works: settle the
    heap (`settle_heap`) and let the event loop take the GIL back from worker threads
    sooner."""
    settle_heap()
    sys.setswitchinterval(LOOP_SWITCH_INTERVAL)


def settle_heap() -> None:
    """Exempt everything loaded so far (modules, the recognition model, the catalogue) from
    the cyclic collector: it lives as long as the process, and a full collection walking it
    all would stall the event loop for tens of milliseconds in the middle of a poll."""
    gc.collect()
    gc.freeze()
