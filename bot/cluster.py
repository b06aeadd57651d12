"""Several processes on one store: one worker does the background work, the others stand by.

Every process answers the Discord commands of its own shards (SHARD_COUNT, SHARD_IDS).
The background work (feed polling, the TVmaze syncs, the reminder and digest sweeps, alert
delivery) runs only in the worker: the process that holds the store's worker lock
(db/cluster.py; on PostgreSQL an advisory lock on a connection of its own). APScheduler 3
cannot share its jobs between processes, so they live in the worker's `FeedRuntime` and
are rebuilt from the store by whoever takes over. Every CLUSTER_CHECK_SECONDS each process:

* as a standby, tries the lock; once it has it, it starts the work. The lock frees itself
  when the worker's connection drops: at once when the process is killed (the system
  closes its socket), within PostgreSQL's TCP keepalive time (~11 s) when its host is
  lost. A takeover therefore takes one check interval after that, at most.
* as the worker, checks that its lock connection still answers; if it does not, it stops
  the work at once (a standby may be taking over) and tries the lock again.
* writes its heartbeat (shards, role, last poll) for /status, and takes in the shows the
  other processes learned (`KnownShows.catch_up`).

A delivery is claimed before it is sent (bot/alerts/delivery.py), so a worker stepping
down mid-send and the one taking over never send it both; its nonce is the last guard.

On SQLite the lock is a file lock: the store serves one process, and a second `run` stops
with a message saying so (StoreInUseError).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from bot.services import Services

log = logging.getLogger(__name__)

# How long the log of catalogue changes and the rows of vanished processes are kept.
KEEP_CHANGES = timedelta(days=7)
KEEP_PROCESSES = timedelta(days=1)
_PRUNE_EVERY = 3600.0  # seconds


class Work(Protocol):
    """The background work the worker runs (bot.runtime.FeedRuntime)."""

    async def start(self) -> None:
        """Start polling, syncing and sweeping."""
        ...

    async def stop(self) -> None:
        """Stop, letting started writes finish."""
        ...

    @property
    def last_polled_at(self) -> datetime | None:
        """When the work last fetched a feed."""
        ...


class Cluster:
    """This process's part: standby or worker, checked every CLUSTER_CHECK_SECONDS."""

    def __init__(self, services: Services, work: Callable[[], Work]) -> None:
        self.services = services
        self._make_work = work
        self._work: Work | None = None
        self._lock = services.store.worker_lock()
        self.check_seconds = services.settings.cluster_check_seconds
        self.shards = services.settings.shards_label
        self._started_at = services.clock()
        self._polled_at: datetime | None = None
        self._pruned_at = -_PRUNE_EVERY

    @property
    def is_worker(self) -> bool:
        """Whether this process runs the background work now."""
        return self._work is not None

    async def join(self) -> None:
        """The first check, before Discord connects: become the worker if the lock is
        free. Raises StoreInUseError when another process runs on this SQLite file."""
        self.services.role.set(False)
        await self.check()

    async def check(self) -> None:
        """One round: take over or keep the role, then heartbeat and catch up."""
        if self._work is None:
            if await self._lock.try_acquire():
                await self._take_over()
        elif not await self._lock.still_held(within=self.check_seconds):
            await self._step_down("lost the worker lock")
        await self._beat()
        await self.services.known.catch_up(self.services.store)

    async def run(self) -> None:
        """Check every CLUSTER_CHECK_SECONDS until cancelled; a failed check (the
        database away) is logged and the next one tried."""
        while True:
            await asyncio.sleep(self.check_seconds)
            try:
                await self.check()
            except Exception as error:
                log.warning("cluster check failed (%s); trying again", error)

    async def leave(self) -> None:
        """Stop the work if this process does it, free the lock, and say goodbye."""
        if self._work is not None:
            await self._step_down("stopping")
        await self._lock.release()
        with contextlib.suppress(Exception):
            async with self.services.store.transaction() as tx:
                await tx.processes.leave(self.services.name)

    async def _take_over(self) -> None:
        log.info("%s (shards %s) is the worker now", self.services.name, self.shards)
        work = self._make_work()
        self._work = work
        self.services.role.set(True)
        try:
            await work.start()
        except BaseException:
            await self._step_down("the work failed to start")
            await self._lock.release()
            raise

    async def _step_down(self, why: str) -> None:
        work, self._work = self._work, None
        self.services.role.set(False)
        if work is None:
            return
        # Losing the lock is news; stepping down to stop is routine.
        level = logging.INFO if why == "stopping" else logging.WARNING
        log.log(level, "%s stops being the worker: %s", self.services.name, why)
        self._polled_at = work.last_polled_at or self._polled_at
        await work.stop()

    async def _beat(self) -> None:
        now = self.services.clock()
        if self._work is not None:
            self._polled_at = self._work.last_polled_at or self._polled_at
        async with self.services.store.transaction() as tx:
            await tx.processes.beat(
                self.services.name,
                shards=self.shards,
                worker=self._work is not None,
                now=now,
                started_at=self._started_at,
                polled_at=self._polled_at,
            )
            if self._work is not None and time.monotonic() - self._pruned_at > _PRUNE_EVERY:
                self._pruned_at = time.monotonic()
                await tx.processes.forget_before(now - KEEP_PROCESSES)
                await tx.catalogue_changes.forget_before(now - KEEP_CHANGES)
