"""word postings in name-key order: show_words.mirror_key, an index on (word, mirror_key)

The name search (bot/shows/stored.py) asks for the first TVmaze shows by name key among
those using some words. With each posting of a TVmaze show carrying the show's name key
(NULL for the other shows) and an index on (word, mirror_key), that is a few index entries
read in order per word instead of every show using the word joined, fetched and sorted.
Existing postings of TVmaze shows take their show's key here.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Compared byte by byte on PostgreSQL too (as the words are), the order the search reads.
ORDERED_TEXT = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("show_words", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mirror_key", ORDERED_TEXT, nullable=True))
    show_words = sa.table("show_words", sa.column("show_id"), sa.column("mirror_key"))
    shows = sa.table("shows", sa.column("id"), sa.column("key"), sa.column("origin"))
    owner_key = sa.select(shows.c.key).where(shows.c.id == show_words.c.show_id)
    mirrored = sa.select(shows.c.id).where(shows.c.origin == "tvmaze")
    op.get_bind().execute(
        show_words.update()
        .where(show_words.c.show_id.in_(mirrored))
        .values(mirror_key=owner_key.scalar_subquery())
    )
    # Indexes that cover what the search reads (no table row fetched per posting).
    with op.batch_alter_table("show_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_show_words_show_id"))
        batch_op.create_index(
            batch_op.f("ix_show_words_word_mirror_key_show_id"),
            ["word", "mirror_key", "show_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_show_words_show_id_word"), ["show_id", "word"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("show_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_show_words_show_id_word"))
        batch_op.drop_index(batch_op.f("ix_show_words_word_mirror_key_show_id"))
        batch_op.create_index(batch_op.f("ix_show_words_show_id"), ["show_id"], unique=False)
        batch_op.drop_column("mirror_key")
