"""What one poll of one feed did: the poller's result, for logs, `poll --once` and tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.models import Announcement


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one feed did, for logs and `poll --once`."""

    feed_id: int
    url: str
    outcome: str  # updated | unchanged | not_modified | failed | disabled | skipped | removed
    status: str | None = None  # the feed's status afterwards
    entries: int = 0  # entries in the document (when it was parsed)
    new: int = 0  # entries first seen now
    changed: int = 0  # known entries whose title changed
    alertable: int = 0
    announcements: tuple[Announcement, ...] = ()
    error: str | None = None
    next_poll_at: datetime | None = None
    moved_to: str | None = None  # the new URL after a permanent redirect

    def describe(self) -> str:
        """One line for a terminal."""
        parts = [f"{self.url}: {self.outcome}"]
        if self.entries:
            parts.append(f"{self.entries} entries, {self.new} new, {self.changed} retitled")
        if self.announcements:
            parts.append(f"{len(self.announcements)} announcements")
        if self.moved_to:
            parts.append(f"moved to {self.moved_to}")
        if self.error:
            parts.append(self.error)
        if self.next_poll_at is not None and self.outcome in ("failed", "skipped"):
            parts.append(f"next try after {self.next_poll_at:%Y-%m-%d %H:%M} UTC")
        return " — ".join(parts)
