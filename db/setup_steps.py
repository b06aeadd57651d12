"""One-time set-up steps: done once per database, whichever process gets there first."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from db.dialect import upsert
from db.schema.bookkeeping import setup_steps


class SetupSteps:
    """Which one-time steps were done on this database."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def is_done(self, name: str) -> bool:
        """Whether the step was done (by any process, at any time)."""
        query = select(setup_steps.c.name).where(setup_steps.c.name == name)
        return (await self._c.execute(query)).first() is not None

    async def mark_done(self, name: str) -> bool:
        """Record the step as done; True if this transaction is the one that did it, False
        if it was done before (or by another process meanwhile)."""
        statement = (
            upsert(self._c, setup_steps)
            .values(name=name, done_at=datetime.now(UTC))
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(setup_steps.c.name)
        )
        return (await self._c.execute(statement)).first() is not None
