"""The store's own bookkeeping: the processes running on it, the catalogue changes they
share, sync progress and one-time set-up steps."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, Table, Text

from db.schema.conventions import UTCDateTime, metadata

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

# Small named values that outlive a process: HTTP validators per path, sync progress.
sync_state = Table(
    "sync_state",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),  # JSON
    Column("updated_at", UTCDateTime, nullable=False),
)

# One-time set-up steps done on this database (e.g. "default_feeds": the curated feeds were
# offered once, so removing them all does not bring them back).
setup_steps = Table(
    "setup_steps",
    metadata,
    Column("name", Text, primary_key=True),
    Column("done_at", UTCDateTime, nullable=False),
)
