"""The show catalogue: shows, their spellings, the name index, and the TVmaze mirror."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, Table, Text

from db.schema.conventions import ORDERED_TEXT, UTCDateTime, metadata

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
