"""Records the store keeps: feeds and their poll state, entries, watches and deliveries.

The domain defines them and decides their content; db/ reads and writes them, so the
store depends on the domain and never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.models import AlertChange, Entry


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """A followed feed with its HTTP validators and failure state."""

    id: int
    url: str
    title: str | None
    outlet: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    status: str  # ok | failing | disabled
    failures: int
    last_error: str | None
    disabled_reason: str | None
    initialised: bool
    next_poll_at: datetime | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    created_at: datetime

    @property
    def name(self) -> str:
        """What to call the feed's outlet in messages."""
        return self.outlet or self.title or self.url


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """An entry as stored, with its feed and when it was first seen."""

    id: int
    feed_id: int
    entry: Entry
    first_seen: datetime


@dataclass(frozen=True, slots=True)
class WatchRecord:
    """A channel watching a show for a guild."""

    id: int
    guild_id: int
    channel_id: int
    show_id: int
    show_name: str
    role_id: int | None
    created_by: int | None
    created_at: datetime
    disabled_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One alert to post in one channel (a row of the outbox)."""

    id: int
    alert_id: int
    watch_id: int
    guild_id: int
    channel_id: int
    role_id: int | None
    nonce: str
    status: str  # pending | sent | failed
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    message_id: int | None
    change: AlertChange


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """A feed's state after a poll, every field written as given (see bot/feeds/decide.py)
    except `moved_to`: the feed's new URL after a permanent redirect, None to keep it."""

    title: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    status: str  # ok | failing | disabled
    failures: int
    last_error: str | None
    disabled_reason: str | None
    initialised: bool
    next_poll_at: datetime | None
    last_polled_at: datetime
    last_success_at: datetime | None
    moved_to: str | None = None


@dataclass(frozen=True, slots=True)
class EntryChanges:
    """What `upsert_entries` changed: the entries that are new or whose title changed (in
    the order given), and the ids of those that were new."""

    stored: tuple[StoredEntry, ...]
    inserted: frozenset[int]
