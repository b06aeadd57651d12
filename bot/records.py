"""Records the store keeps: feeds and their poll state, entries, watches, deliveries,
forum posts, server settings, log-channel notices, the TVmaze mirror and its listings, the
processes sharing the store and the catalogue changes they pass each other.

The domain defines them and decides their content; db/ reads and writes them, so the
store depends on the domain and never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.models import (
    AlertChange,
    AlertFilter,
    Announcement,
    CertaintyFilter,
    DeliveryMode,
    Entry,
    SeasonState,
    Show,
    TargetKind,
)

if TYPE_CHECKING:
    from bot.state.fold_step import FoldSummary


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
    """An entry as stored, with its feed and when it was first seen; `new` when the write
    that hands it over is the one that first recorded it (nothing was recognised from it
    before, so it has no announcements to replace)."""

    id: int
    feed_id: int
    entry: Entry
    first_seen: datetime
    new: bool = False


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
    alerts: AlertFilter = AlertFilter.ALL
    certainty: CertaintyFilter = CertaintyFilter.REPORTED
    mode: DeliveryMode = DeliveryMode.INSTANT
    target: TargetKind = TargetKind.TEXT


@dataclass(frozen=True, slots=True)
class Delivery:
    """One alert to post in one channel (a row of the outbox), or a digest: the lead row
    of a bundle, carrying every alert of the bundle in `digest`."""

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
    show_id: int = 0
    target: TargetKind = TargetKind.TEXT
    post_thread_id: int | None = None  # forum: the thread of the show's post, once opened
    post_started_at: datetime | None = None  # forum: when a send began opening the post
    digest_day: date | None = None  # a digest: the server-local day it covers
    digest: tuple[AlertChange, ...] = ()  # a digest: its alerts, oldest first
    digest_role_ids: tuple[int, ...] = ()  # a digest: the roles its watches mention

    @property
    def is_digest(self) -> bool:
        """Whether this row sends a day's digest rather than one alert."""
        return self.digest_day is not None

    @property
    def role_ids(self) -> tuple[int, ...]:
        """The roles the message mentions."""
        if self.is_digest:
            return self.digest_role_ids
        return () if self.role_id is None else (self.role_id,)


@dataclass(frozen=True, slots=True)
class GuildSettingsRecord:
    """A server's stored settings; None means not set (bot/server_settings.py has the
    defaults)."""

    guild_id: int
    timezone: str | None = None
    reminder_hour: int | None = None
    digest_hour: int | None = None
    log_channel_id: int | None = None
    premiere_events: bool | None = None


@dataclass(frozen=True, slots=True)
class HeldDelivery:
    """A delivery waiting for its server's digest."""

    id: int
    guild_id: int
    channel_id: int
    show_id: int
    target: TargetKind
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ForumPost:
    """A show's post in a forum: its thread once opened, and when a send started it."""

    thread_id: int | None
    started_at: datetime


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for a server's log channel (a row of the notices outbox)."""

    id: int
    guild_id: int
    channel_id: int
    cause: str
    day: date
    text: str
    nonce: str
    status: str
    attempts: int
    message_id: int | None


@dataclass(frozen=True, slots=True)
class ListingRecord:
    """A season's premiere date as a listings source (TVmaze) gives it."""

    show_id: int
    season: int
    premiere_date: date
    link: str | None
    listed_at: datetime  # when this date was first seen for the season
    show_name: str = ""  # the catalogue name, when read from the store


@dataclass(frozen=True, slots=True)
class MirrorInfo:
    """What TVmaze says about a show, for its card: status, run, where, its page."""

    tvmaze_id: int
    name: str
    status: str | None
    premiered: date | None
    ended: date | None
    channel: str | None
    url: str | None


@dataclass(slots=True)
class MirrorChanges:
    """What applying a batch of TVmaze shows changed."""

    added: list[Show] = field(default_factory=list)  # new catalogue shows
    linked: list[Show] = field(default_factory=list)  # catalogue shows now on TVmaze
    renamed: list[tuple[Show, Show]] = field(default_factory=list)  # (before, after)
    updated: int = 0  # mirrored shows whose TVmaze record changed
    unchanged: int = 0

    def extend(self, other: MirrorChanges) -> None:
        """Add another batch's changes to these."""
        self.added.extend(other.added)
        self.linked.extend(other.linked)
        self.renamed.extend(other.renamed)
        self.updated += other.updated
        self.unchanged += other.unchanged


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


@dataclass(frozen=True, slots=True)
class PremiereEventRecord:
    """The scheduled event made for a season's premiere in a server; `event_id` is None
    while a sync is creating it."""

    guild_id: int
    show_id: int
    season: int | None
    event_id: int | None
    name: str
    premiere_date: date
    starts_at: datetime
    fingerprint: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class DirectDelivery:
    """One alert to DM to one following user (a row of the DM outbox)."""

    id: int
    alert_id: int
    user_id: int
    nonce: str
    status: str  # pending | sent | failed
    attempts: int
    message_id: int | None
    change: AlertChange
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class DmPause:
    """A user whose DMs refused the bot: follows paused since `paused_at`; `shows` are
    those whose news went unsent; `told_at` is when a command reply said so."""

    user_id: int
    paused_at: datetime
    reason: str
    shows: tuple[str, ...]
    told_at: datetime | None


@dataclass(frozen=True, slots=True)
class ProcessRecord:
    """A process running on the store, as it last said."""

    name: str
    shards: str
    worker: bool
    started_at: datetime
    seen_at: datetime
    polled_at: datetime | None


@dataclass(frozen=True, slots=True)
class CatalogueChange:
    """A show one process added to its known shows."""

    id: int
    show_id: int
    kind: str  # read (its news is read) | mirror (only TVmaze knows it) | renamed
    before_name: str | None
    origin: str


@dataclass(frozen=True, slots=True)
class NameSearch:
    """What `ShowRepo.search` looks for; a part with a zero limit is not asked.

    * "exact": spellings whose name key is `key` or whose loose key is `loose`;
    * "starting": spellings whose loose key starts with `loose` (at most `starting`, in
      their order);
    * "words": shows using every word of `whole` and a word starting with `prefix` (at most
      `words` by name key; with no `whole`, from the first `words` × 8 shows using a word
      with that prefix, in the order of the words); with `meet`, found by reading every
      posting of those words and of the prefix's words and keeping the shows they meet on
      (the same shows: a cheaper read when the words are not common, see db/name_search.py);
      else with `meet_prefix` (on PostgreSQL), only the first whole word's and the
      prefix's, the shows they meet on tested for the other whole words;
    * "typos": shows using a word of each of `groups` (at most `typos`, by name key); with
      `alone`, when none uses one of each, those using a word of the first group; with
      `meet`, the postings of every group are met (as for words); else with `met` (2 or
      more, fewer than the groups; on PostgreSQL), those of the first `met` groups, and the
      shows they meet on are tested for the others' words (the same shows, either way);
      or, found in memory (`MirrorPostings`, a running bot's), the shows `chosen` (ids).
    """

    key: str = ""
    loose: str = ""
    starting: int = 0
    whole: tuple[str, ...] = ()
    prefix: str = ""
    words: int = 0
    meet: bool = False
    meet_prefix: bool = False
    groups: tuple[tuple[str, ...], ...] = ()
    typos: int = 0
    alone: bool = False
    met: int = 0
    chosen: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class AnnouncementChanges:
    """What storing a batch of entries' announcements changed, season by season."""

    touched: set[tuple[int, int | None]] = field(default_factory=set)  # to fold again
    # What each season gained, as stored (read back as `announcements_of` reads them), for
    # the seasons that only gained: the rest of `touched` lost some, and refolds in full.
    added: dict[tuple[int, int | None], list[Announcement]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredFold:
    """A season's stored fold, as folding news into it needs it: the show's name as the
    store has it, the summary the fold goes on from (None: refold in full) and the stored
    state, read only when asked for (it is compared only where alerts may follow)."""

    show: str
    summary: FoldSummary | None
    state: SeasonState | None = None
