"""season fold summaries: continue a season's fold from its stored state

season_states.fold keeps, as JSON, what folding one more announcement into the season
needs (bot/state/fold_step.py), so that a new announcement does not refold the season from
every stored announcement. NULL (every existing row) means "refold in full next time".

Revision ID: 0008
Revises: 0007 (written against 0005; 0007 landed first)
Create Date: 2026-12-05 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("season_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fold", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("season_states", schema=None) as batch_op:
        batch_op.drop_column("fold")
