"""setup steps: one-time set-up done on a database (the default feeds seeded once)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 10:00:00.000000
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import db.schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    steps = op.create_table(
        "setup_steps",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("done_at", db.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_setup_steps")),
    )
    # A database that follows feeds was seeded already (earlier versions seeded at every
    # start when it followed none): mark it, so the defaults never come back uninvited.
    has_feeds = op.get_bind().execute(sa.text("SELECT 1 FROM feeds LIMIT 1")).first()
    if has_feeds is not None:
        op.bulk_insert(steps, [{"name": "default_feeds", "done_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("setup_steps")
