"""What the bot keeps per user: personal follows, and DMs refused."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Table, Text

from db.schema.conventions import UTCDateTime, metadata

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
