"""The news: the feeds polled, their entries, and the announcements recognised in them."""

from __future__ import annotations

from sqlalchemy import (
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
