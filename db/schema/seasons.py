"""What is known per season: the folded state, and the dates a listings source gives."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, Table, Text

from db.schema.conventions import UTCDateTime, metadata

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
