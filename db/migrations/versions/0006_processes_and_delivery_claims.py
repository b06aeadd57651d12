"""several processes on one store: process table, delivery claims, catalogue changes

The processes running on the store and which of them is the worker (processes), the
worker's claim on a delivery it is sending (deliveries.claimed_by, claimed_until), and the
shows each process added to the known shows, for the others to take in (catalogue_changes).

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-12 11:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.schema

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processes",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("shards", sa.Text(), nullable=False),
        sa.Column("worker", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("started_at", db.schema.UTCDateTime(), nullable=False),
        sa.Column("seen_at", db.schema.UTCDateTime(), nullable=False),
        sa.Column("polled_at", db.schema.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_processes")),
    )
    op.create_table(
        "catalogue_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("before_name", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("created_at", db.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_changes")),
    )
    with op.batch_alter_table("catalogue_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalogue_changes_created_at"), ["created_at"], unique=False
        )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", db.schema.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claimed_by")
    with op.batch_alter_table("catalogue_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_changes_created_at"))
    op.drop_table("catalogue_changes")
    op.drop_table("processes")
