"""the name index: loose keys of spellings, words, the vocabulary and its trigrams

Users find shows through the store (bot/shows/stored.py) instead of an index of every
show built in memory at each start: `show_aliases.loose` (exact loose matches, name
prefixes), `show_words` (word postings), `name_words` (the vocabulary) and, for typos, the
vocabulary's trigrams: pg_trgm's GiST index on PostgreSQL, `word_trigrams` on SQLite.
Existing spellings are indexed here.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-05 14:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.shows.names import trigrams

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

ORDERED_TEXT = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
_BATCH = 1000


def trgm_schema(bind: sa.Connection) -> str | None:
    """The schema pg_trgm is installed in, if it is."""
    query = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'pg_trgm'"
    )
    return bind.execute(query).scalar_one_or_none()


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("show_aliases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("loose", ORDERED_TEXT, nullable=True))
        batch_op.create_index(batch_op.f("ix_show_aliases_loose"), ["loose"], unique=False)
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
        sa.PrimaryKeyConstraint("word", name=op.f("pk_name_words")),
    )
    op.create_table(
        "word_trigrams",
        sa.Column("trigram", sa.Text(), nullable=False),
        sa.Column("word", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("trigram", "word", name=op.f("pk_word_trigrams")),
    )
    postgresql = bind.dialect.name == "postgresql"
    if postgresql:
        # One extension per database: processes migrating side by side must not both
        # create it. It goes to `public` when there is one, so that dropping one schema
        # never takes it from the others.
        bind.execute(sa.text("SELECT pg_advisory_xact_lock(7007)"))
        if trgm_schema(bind) is None:
            has_public = bind.execute(
                sa.text("SELECT 1 FROM pg_namespace WHERE nspname = 'public'")
            ).scalar()
            where = " WITH SCHEMA public" if has_public else ""
            bind.execute(sa.text(f"CREATE EXTENSION IF NOT EXISTS pg_trgm{where}"))
        schema = trgm_schema(bind)
        bind.execute(
            sa.text(
                "CREATE INDEX ix_name_words_word_trgm ON name_words"
                f' USING gist (word "{schema}".gist_trgm_ops)'
            )
        )
    else:  # the schema declares one index for both engines; SQLite's is a plain one
        op.create_index("ix_name_words_word_trgm", "name_words", ["word"], unique=False)
    _index_existing(bind, postgresql=postgresql)


def _index_existing(bind: sa.Connection, *, postgresql: bool) -> None:
    aliases = sa.table("show_aliases", sa.column("key"), sa.column("show_id"), sa.column("loose"))
    rows = bind.execute(sa.select(aliases.c.key, aliases.c.show_id)).all()
    words: set[tuple[str, int]] = set()
    updates = []
    for key, show_id in rows:
        split = key.replace(":", " ").split()
        updates.append({"k": key, "loose": " ".join(split)})
        words.update((word, show_id) for word in split)
    for start in range(0, len(updates), _BATCH):
        bind.execute(
            aliases.update().where(aliases.c.key == sa.bindparam("k")),
            updates[start : start + _BATCH],
        )
    vocabulary = sorted({word for word, _ in words})
    inserts: list[tuple[str, list[dict[str, Any]]]] = [
        ("show_words", [{"word": w, "show_id": s} for w, s in sorted(words)]),
        ("name_words", [{"word": w} for w in vocabulary]),
    ]
    if not postgresql:
        grams = [{"trigram": g, "word": w} for w in vocabulary for g in sorted(trigrams(w))]
        inserts.append(("word_trigrams", grams))
    for name, values in inserts:
        if not values:
            continue
        table = sa.table(name, *(sa.column(column) for column in values[0]))
        for start in range(0, len(values), _BATCH):
            bind.execute(table.insert(), values[start : start + _BATCH])


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_name_words_word_trgm")
    op.drop_table("word_trigrams")
    op.drop_table("name_words")
    with op.batch_alter_table("show_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_show_words_show_id"))
    op.drop_table("show_words")
    with op.batch_alter_table("show_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_show_aliases_loose"))
        batch_op.drop_column("loose")
