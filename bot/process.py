"""This process among the processes sharing a store: its name, and whether it is the
worker (the one that polls feeds, syncs TVmaze, queues reminders and sends alerts)."""

from __future__ import annotations

import asyncio
import os
import socket


def process_name() -> str:
    """`host:pid`: unique among running processes, and says where to look."""
    return f"{socket.gethostname()}:{os.getpid()}"


class WorkerRole:
    """Whether this process is the worker now. Alone on a store it always is; in a
    cluster (bot/cluster.py) the role comes and goes, and the delivery cog follows it."""

    def __init__(self, *, worker: bool = True) -> None:
        self._worker = worker
        self._changed = asyncio.Event()

    @property
    def worker(self) -> bool:
        """True while this process does the background work."""
        return self._worker

    def set(self, worker: bool) -> None:
        """Take the role up or give it up, waking whoever waits for the change."""
        if worker == self._worker:
            return
        self._worker = worker
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def until(self, *, worker: bool) -> None:
        """Wait until the role is `worker` (returns at once if it is)."""
        while self._worker != worker:
            await self._changed.wait()
