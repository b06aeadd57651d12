"""the name index: loose keys of spellings, word postings and the vocabulary

Users find the shows only TVmaze knows of through the store (bot/shows/stored.py) instead
of an index of every show built in memory at each start: `show_aliases.loose` (exact loose
matches, name prefixes), `show_words` (which shows use which word) and `name_words` (the
vocabulary, with how many TVmaze shows use each word). Existing spellings are indexed here.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-05 14:00:00
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

# Compared byte by byte on PostgreSQL too, so that a prefix is one index range.
ORDERED_TEXT = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("show_aliases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("loose", ORDERED_TEXT, nullable=True))
        batch_op.create_index(
            batch_op.f("ix_show_aliases_loose_show_id"), ["loose", "show_id"], unique=False
        )
    op.create_table(
        "show_words",
        sa.Column("word", ORDERED_TEXT, nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_show_words_show_id_shows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("word", "show_id", name=op.f("pk_show_words")),
    )
    with op.batch_alter_table("show_words", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_show_words_show_id"), ["show_id"], unique=False)
    op.create_table(
        "name_words",
        sa.Column("word", ORDERED_TEXT, nullable=False),
        sa.Column("shows", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_name_words")),
    )
    _index_existing(op.get_bind())


def _index_existing(bind: sa.Connection) -> None:
    aliases = sa.table("show_aliases", sa.column("key"), sa.column("show_id"), sa.column("loose"))
    shows = sa.table("shows", sa.column("id"), sa.column("origin"))
    mirrored = set(bind.execute(sa.select(shows.c.id).where(shows.c.origin == "tvmaze")).scalars())
    words: set[tuple[str, int]] = set()
    updates = []
    for key, show_id in bind.execute(sa.select(aliases.c.key, aliases.c.show_id)).all():
        split = key.replace(":", " ").split()
        updates.append({"k": key, "loose": " ".join(split)})
        words.update((word, show_id) for word in split)
    for start in range(0, len(updates), _BATCH):
        bind.execute(
            aliases.update().where(aliases.c.key == sa.bindparam("k")),
            updates[start : start + _BATCH],
        )
    counts = Counter(word for word, show_id in words if show_id in mirrored)
    vocabulary = sorted({word for word, _ in words})
    inserts = [
        ("show_words", ["word", "show_id"], [{"word": w, "show_id": s} for w, s in sorted(words)]),
        ("name_words", ["word", "shows"], [{"word": w, "shows": counts[w]} for w in vocabulary]),
    ]
    for name, columns, values in inserts:
        table = sa.table(name, *(sa.column(column) for column in columns))
        for start in range(0, len(values), _BATCH):
            bind.execute(table.insert(), values[start : start + _BATCH])


def downgrade() -> None:
    op.drop_table("name_words")
    with op.batch_alter_table("show_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_show_words_show_id"))
    op.drop_table("show_words")
    with op.batch_alter_table("show_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_show_aliases_loose_show_id"))
        batch_op.drop_column("loose")
