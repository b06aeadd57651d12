"""Waiting for conditions over state that synchronous code mutates."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Changes:
    """A change notifier: mutators call `notify()`, waiters re-check a predicate after each
    change. Cheap enough to call on every message of a benchmark (no task per notify)."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None

    def notify(self) -> None:
        """Wake everyone waiting; they re-check their predicates."""
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until `predicate()` holds; returns False if `timeout` seconds pass first."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    if self._event is None:
                        self._event = asyncio.Event()
                    await self._event.wait()
        except TimeoutError:
            return predicate()
        return True
