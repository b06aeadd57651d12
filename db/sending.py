"""The bookkeeping every outbox table shares (deliveries, notices): the columns status,
attempts, next_attempt_at, last_error, message_id and sent_at, moved the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, Update, update

MAX_ERROR = 500


def mark_sent(
    table: Table, where: ColumnElement[bool], message_id: int | None, now: datetime
) -> Update:
    """The message is in the channel."""
    return (
        update(table)
        .where(where)
        .values(
            status="sent",
            message_id=message_id,
            sent_at=now,
            last_error=None,
            attempts=table.c.attempts + 1,
        )
    )


def mark_retry(
    table: Table,
    where: ColumnElement[bool],
    error: str,
    next_attempt_at: datetime,
    message_id: int | None = None,
) -> Update:
    """A passing failure: count the attempt and try again at `next_attempt_at`. A
    `message_id` records a message already posted (its follow-up step failed)."""
    values: dict[str, Any] = {
        "last_error": error[:MAX_ERROR],
        "next_attempt_at": next_attempt_at,
        "attempts": table.c.attempts + 1,
    }
    if message_id is not None:
        values["message_id"] = message_id
    return update(table).where(where).values(values)


def mark_failed(table: Table, where: ColumnElement[bool], error: str) -> Update:
    """Failed for good."""
    return (
        update(table)
        .where(where)
        .values(status="failed", last_error=error[:MAX_ERROR], attempts=table.c.attempts + 1)
    )
