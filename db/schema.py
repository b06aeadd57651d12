"""The whole schema in one module (SQLAlchemy Core). Migrations are generated from it.

Conventions: datetimes are stored as naive UTC and read back as aware UTC (`UTCDateTime`);
Discord snowflakes are BigInteger; a season that was not stated is stored as 0 so that
unique constraints work the same on SQLite and PostgreSQL (NULLs never collide).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# Text compared byte by byte on both engines (SQLite's default), so that a prefix is one
# index range whatever the PostgreSQL database's collation.
ORDERED_TEXT = Text().with_variant(Text(collation="C"), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every engine."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; all datetimes must be UTC-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("outlet", Text),  # display name of the source, e.g. "Deadline"
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_hash", Text),
    Column("status", Text, nullable=False, server_default="ok"),  # ok | failing | disabled
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("disabled_reason", Text),
    Column("initialised", Boolean, nullable=False, server_default="0"),  # first poll done
    Column("next_poll_at", UTCDateTime),  # earliest next fetch (backoff, Retry-After, max-age)
    Column("last_polled_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_id", ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("key", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False, server_default=""),
    Column("link", Text),
    Column("published", UTCDateTime),
    Column("categories", Text, nullable=False, server_default="[]"),  # JSON list
    Column("author", Text),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),  # last written: first seen or retitled
    UniqueConstraint("feed_id", "key"),
    Index(None, "published"),
)

shows = Table(
    "shows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False, unique=True),  # bot.shows.names.name_key(name)
    Column("network", Text),
    Column("origin", Text, nullable=False, server_default="catalogue"),  # | recognition | watch
    Column("created_at", UTCDateTime, nullable=False),
)

show_aliases = Table(
    "show_aliases",
    metadata,
    Column("key", Text, primary_key=True),  # name_key(alias); one show per alias key
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    # bot.shows.lookup.loose_key(alias): exact loose matches and name prefixes (autocomplete)
    Column("loose", ORDERED_TEXT),
    Index(None, "show_id"),
    Index(None, "loose", "show_id"),
)

# The name index users search the catalogue through (bot/shows/stored.py): every word of
# every spelling's loose key with the shows using it (a word, a word prefix and the shows
# sharing several words are index ranges), and the vocabulary with how many TVmaze shows
# use each word (kept in memory to pick the words a typed word may mean).
show_words = Table(
    "show_words",
    metadata,
    Column("word", ORDERED_TEXT, primary_key=True),
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True),
    # The show's name key (shows.key, kept in step) when only TVmaze knows the show, else
    # NULL: a word's TVmaze shows in (word, mirror_key) order are the name search's
    # answers in its order, read a few index entries at a time, never joined or sorted.
    Column("mirror_key", ORDERED_TEXT),
    # Both cover what the search reads: postings by key, and a show's words when testing it.
    Index(None, "word", "mirror_key", "show_id"),
    Index(None, "show_id", "word"),
)

name_words = Table(
    "name_words",
    metadata,
    Column("word", ORDERED_TEXT, primary_key=True),
    Column("shows", Integer, nullable=False, server_default="0"),
)

announcements = Table(
    "announcements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), nullable=False),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE")),
    Column("event", Text, nullable=False),
    Column("season", Integer, nullable=False, server_default="0"),  # 0 = not stated
    Column("premiere_date", Date),
    Column("window_start", Date),
    Column("window_end", Date),
    Column("window_text", Text),
    Column("network", Text),
    Column("certainty", Text, nullable=False),
    Column("evidence", Text, nullable=False, server_default=""),
    Column("outlet", Text, nullable=False, server_default=""),
    Column("link", Text),
    Column("title", Text, nullable=False, server_default=""),
    Column("published", UTCDateTime),
    Column("recognised_at", UTCDateTime, nullable=False),
    UniqueConstraint("entry_id", "show_id", "event", "season"),
    Index(None, "show_id", "season"),
)

show_mentions = Table(
    "show_mentions",
    metadata,
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Index(None, "entry_id"),
)

season_states = Table(
    "season_states",
    metadata,
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True),
    Column("season", Integer, primary_key=True),  # 0 = not stated
    Column("status", Text, nullable=False, server_default="unknown"),
    Column("status_certainty", Text),
    Column("status_first_reported", UTCDateTime),
    Column("status_source", Text),  # JSON of the first source, or NULL
    Column("premiere_date", Date),
    Column("window_start", Date),
    Column("window_end", Date),
    Column("window_text", Text),
    Column("premiere_certainty", Text),
    Column("premiere_first_reported", UTCDateTime),
    Column("premiere_source", Text),  # JSON of the first source, or NULL
    Column("network", Text),
    Column("sources", Text, nullable=False, server_default="[]"),  # JSON list of sources
    Column("updated_at", UTCDateTime, nullable=False),
    Column("listed_date", Date),  # the premiere date a listings source (TVmaze) gives
    Column("news_date", Date),  # the premiere date the news alone gives, when listed too
    Column("news_certainty", Text),
    # What continuing the fold needs (JSON, bot/state/fold_step.py); NULL: refold in full.
    Column("fold", Text),
    Index(None, "premiere_date"),
)

# The local mirror of TVmaze's show index (CC BY-SA: credit TVmaze wherever it is shown).
# Every mirrored show has a row in `shows` (its catalogue identity); `name` here is
# TVmaze's spelling, which `shows.name` may disambiguate ("The Office (2001)").
tvmaze_shows = Table(
    "tvmaze_shows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # TVmaze's show id
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("aliases", Text, nullable=False, server_default="[]"),  # JSON list (TVmaze AKAs)
    Column("network", Text),
    Column("web_channel", Text),
    Column("status", Text),  # Running | Ended | To Be Determined | In Development
    Column("premiered", Date),
    Column("ended", Date),
    Column("imdb", Text),
    Column("thetvdb", Integer),
    Column("url", Text),  # the show's page on tvmaze.com, for the credit link
    Column("weight", Integer),
    Column("updated", BigInteger, nullable=False),  # TVmaze's own epoch seconds
    Column("synced_at", UTCDateTime, nullable=False),
)

# Premiere dates a listings source gives, one per season: a source of their own beside
# the news (see bot/state/fold.py). `listed_at` is when this date was first seen.
listings = Table(
    "listings",
    metadata,
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True),
    Column("season", Integer, primary_key=True),
    Column("premiere_date", Date, nullable=False),
    Column("link", Text),
    Column("listed_at", UTCDateTime, nullable=False),
    Column("checked_at", UTCDateTime, nullable=False),
    Index(None, "premiere_date"),
)

# Small named values that outlive a process: HTTP validators per path, sync progress.
sync_state = Table(
    "sync_state",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),  # JSON
    Column("updated_at", UTCDateTime, nullable=False),
)

watches = Table(
    "watches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("channel_id", BigInteger, nullable=False),
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), nullable=False),
    Column("role_id", BigInteger),
    Column("created_by", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled_reason", Text),  # set when Discord says the channel is gone or forbidden
    Column("disabled_at", UTCDateTime),
    # What the watch alerts on and how (bot.models.AlertFilter, CertaintyFilter,
    # DeliveryMode, TargetKind values).
    Column("alerts", Text, nullable=False, server_default="all"),  # all | status | dates
    Column("certainty", Text, nullable=False, server_default="reported"),  # | official
    Column("mode", Text, nullable=False, server_default="instant"),  # | digest
    Column("target", Text, nullable=False, server_default="text"),  # | announcement|forum|thread
    UniqueConstraint("guild_id", "channel_id", "show_id"),
    Index(None, "show_id"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),  # AlertChange.key: show|season|event|value
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), nullable=False),
    Column("season", Integer, nullable=False, server_default="0"),
    Column("event", Text, nullable=False),
    Column("payload", Text, nullable=False),  # JSON of the AlertChange
    Column("certainty", Text, nullable=False, server_default="official"),  # watches filter on it
    Column("created_at", UTCDateTime, nullable=False),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("watch_id", ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
    Column("channel_id", BigInteger, nullable=False),
    Column("role_id", BigInteger),
    Column("nonce", Text, nullable=False),  # sent with enforce_nonce: a resend never duplicates
    # pending | sent | failed, and for digest watches: held (waiting for the digest) →
    # bundled (part of the digest whose lead delivery is `bundle_id`).
    Column("status", Text, nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("last_error", Text),
    Column("message_id", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("bundle_id", Integer),  # the digest's lead delivery (the lead's own id on the lead)
    Column("digest_day", Date),  # on a digest's lead: the server-local day it covers
    # The worker sending it, until when: another worker (after a takeover) leaves it alone
    # until then, so no two processes send one delivery at the same time.
    Column("claimed_by", Text),
    Column("claimed_until", UTCDateTime),
    UniqueConstraint("alert_id", "watch_id"),
    Index(None, "status", "next_attempt_at"),
    Index(None, "bundle_id"),
)

forum_posts = Table(
    "forum_posts",
    metadata,
    # One post per show in a forum channel; later alerts go into its thread. A row with no
    # thread yet records that a delivery started creating the post (so a retry after a
    # crash looks for it instead of opening a second one).
    Column("channel_id", BigInteger, primary_key=True, autoincrement=False),
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True),
    Column("thread_id", BigInteger),
    Column("started_at", UTCDateTime, nullable=False),
)

guild_settings = Table(
    "guild_settings",
    metadata,
    # NULL means "not set": bot/server_settings.py declares every default.
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("timezone", Text),
    Column("reminder_hour", Integer),
    Column("digest_hour", Integer),
    Column("log_channel_id", BigInteger),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("premiere_events", Boolean),  # premieres as the server's scheduled events
)

notices = Table(
    "notices",
    metadata,
    # Messages for a server's log channel, sent like deliveries (nonce, retries); at most
    # one per cause per server-local day.
    Column("id", Integer, primary_key=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("channel_id", BigInteger, nullable=False),
    Column("cause", Text, nullable=False),
    Column("day", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("nonce", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="pending"),  # pending|sent|failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("last_error", Text),
    Column("message_id", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    UniqueConstraint("guild_id", "cause", "day"),
    Index(None, "status", "next_attempt_at"),
)

# The Discord scheduled event made for a season's premiere in a server (one per server,
# show and season: the premiere's identity). A row without an event records that a sync
# started creating it, so a retry after a crash looks for that event instead of making a
# second one. `fingerprint` is what the event says, to edit it only when that changes.
premiere_events = Table(
    "premiere_events",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True),
    Column("season", Integer, primary_key=True, autoincrement=False),  # 0 = not stated
    Column("event_id", BigInteger),
    Column("name", Text, nullable=False),
    Column("premiere_date", Date, nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Personal follows: a user hears about a show by DM, whichever server they followed from.
follows = Table(
    "follows",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("show_id", ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "show_id"),
)

# Users whose DMs refused the bot (Discord error 50007): their follows are paused until
# they follow again; `told_at` is when a command reply told them so (once).
dm_pauses = Table(
    "dm_pauses",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("paused_at", UTCDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("shows", Text, nullable=False, server_default="[]"),  # JSON: what went unsent
    Column("told_at", UTCDateTime),
)

# The DM outbox: one row per alert per following user, sent with a nonce like deliveries.
direct_deliveries = Table(
    "direct_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("nonce", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="pending"),  # pending|sent|failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("last_error", Text),
    Column("message_id", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    UniqueConstraint("alert_id", "user_id"),
    Index(None, "status", "next_attempt_at"),
    Index(None, "user_id"),
)

# The processes running on this store (bot/cluster.py): each says every few seconds that it
# is alive, which shards it runs and whether it is the worker (the one that polls feeds,
# syncs TVmaze and sends alerts).
processes = Table(
    "processes",
    metadata,
    Column("name", Text, primary_key=True),  # host:pid
    Column("shards", Text, nullable=False),  # Settings.shards_label
    Column("worker", Boolean, nullable=False, server_default="0"),
    Column("started_at", UTCDateTime, nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
    Column("polled_at", UTCDateTime),  # the worker's last feed poll
)

# Shows a process added to the known shows (learned, watched, in the news, mirrored from
# TVmaze, renamed upstream), for the other processes to take in within seconds.
catalogue_changes = Table(
    "catalogue_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("show_id", Integer, nullable=False),
    Column("kind", Text, nullable=False),  # read | mirror | renamed
    Column("before_name", Text),  # renamed: the name it had
    Column("origin", Text, nullable=False),  # the process that made the change
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "created_at"),
)

# One-time set-up steps done on this database (e.g. "default_feeds": the curated feeds were
# offered once, so removing them all does not bring them back).
setup_steps = Table(
    "setup_steps",
    metadata,
    Column("name", Text, primary_key=True),
    Column("done_at", UTCDateTime, nullable=False),
)
