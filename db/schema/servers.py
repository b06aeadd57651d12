"""What the bot keeps per Discord server: watches, settings, forum posts, log notices
and premiere events."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
)

from db.schema.conventions import UTCDateTime, metadata

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
