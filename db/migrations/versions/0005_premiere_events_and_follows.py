"""premiere events, personal follows and their DMs

A server's choice to show premieres as scheduled events (guild_settings.premiere_events)
and the events made (premiere_events); personal follows (follows), their DM outbox
(direct_deliveries) and the users whose DMs refused the bot (dm_pauses).

Revision ID: 0005 (the id this change was given; it follows 0006, which landed first)
Revises: 0006
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.schema

revision = "0005"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("premiere_events", sa.Boolean(), nullable=True))
    op.create_table(
        "premiere_events",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("season", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("premiere_date", sa.Date(), nullable=False),
        sa.Column("starts_at", db.schema.UTCDateTime(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("started_at", db.schema.UTCDateTime(), nullable=False),
        sa.Column("updated_at", db.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_premiere_events_show_id_shows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", "show_id", "season", name=op.f("pk_premiere_events")),
    )
    op.create_table(
        "follows",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_follows_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "show_id", name=op.f("pk_follows")),
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follows_show_id"), ["show_id"], unique=False)
    op.create_table(
        "dm_pauses",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("paused_at", db.schema.UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("shows", sa.Text(), server_default="[]", nullable=False),
        sa.Column("told_at", db.schema.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_dm_pauses")),
    )
    op.create_table(
        "direct_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("nonce", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", db.schema.UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", db.schema.UTCDateTime(), nullable=False),
        sa.Column("sent_at", db.schema.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_direct_deliveries_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_direct_deliveries")),
        sa.UniqueConstraint(
            "alert_id", "user_id", name=op.f("uq_direct_deliveries_alert_id_user_id")
        ),
    )
    with op.batch_alter_table("direct_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_direct_deliveries_status_next_attempt_at"),
            ["status", "next_attempt_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_direct_deliveries_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("direct_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_direct_deliveries_user_id"))
        batch_op.drop_index(batch_op.f("ix_direct_deliveries_status_next_attempt_at"))
    op.drop_table("direct_deliveries")
    op.drop_table("dm_pauses")
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follows_show_id"))
    op.drop_table("follows")
    op.drop_table("premiere_events")
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("premiere_events")
