"""Developer tool: `python -m db revision "message"` autogenerates a migration from
db/schema/ against a scratch SQLite database at the current head."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import Connection

from db.engine import alembic_config, create_engine, migrate


def _revision(connection: Connection, message: str) -> None:
    command.revision(alembic_config(connection), message=message, autogenerate=True)


async def _main(message: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(scratch) / 'scratch.db'}")
        await migrate(engine)
        async with engine.begin() as connection:
            await connection.run_sync(_revision, message)
        await engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "revision":
        sys.exit('usage: python -m db revision "what changed"')
    asyncio.run(_main(sys.argv[2]))
