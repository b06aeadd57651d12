"""Alerts (one per real event) and their outboxes: deliveries to watching channels and
DMs to following users."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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
