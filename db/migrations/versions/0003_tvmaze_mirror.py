"""TVmaze mirror, premiere listings, sync state; listed and news dates on season states

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tvmaze_shows",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), server_default="[]", nullable=False),
        sa.Column("network", sa.Text(), nullable=True),
        sa.Column("web_channel", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("premiered", sa.Date(), nullable=True),
        sa.Column("ended", sa.Date(), nullable=True),
        sa.Column("imdb", sa.Text(), nullable=True),
        sa.Column("thetvdb", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=True),
        sa.Column("updated", sa.BigInteger(), nullable=False),
        sa.Column("synced_at", db.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_tvmaze_shows_show_id_shows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tvmaze_shows")),
        sa.UniqueConstraint("show_id", name=op.f("uq_tvmaze_shows_show_id")),
    )
    op.create_table(
        "listings",
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("season", sa.Integer(), nullable=False),
        sa.Column("premiere_date", sa.Date(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("listed_at", db.schema.UTCDateTime(), nullable=False),
        sa.Column("checked_at", db.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_listings_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("show_id", "season", name=op.f("pk_listings")),
    )
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_listings_premiere_date"), ["premiere_date"], unique=False
        )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", db.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    with op.batch_alter_table("season_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listed_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("news_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("news_certainty", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("season_states", schema=None) as batch_op:
        batch_op.drop_column("news_certainty")
        batch_op.drop_column("news_date")
        batch_op.drop_column("listed_date")
    op.drop_table("sync_state")
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listings_premiere_date"))
    op.drop_table("listings")
    op.drop_table("tvmaze_shows")
