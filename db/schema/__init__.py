"""The whole schema (SQLAlchemy Core), one module an area. Migrations are generated from it.

Conventions (db/schema/conventions.py): datetimes are stored as naive UTC and read back as
aware UTC (`UTCDateTime`); Discord snowflakes are BigInteger; a season that was not stated is
stored as 0 so that unique constraints work the same on SQLite and PostgreSQL (NULLs never
collide).

Every area is imported here, so that whatever imports a table (or `metadata`) has every
table on the metadata: foreign keys name their tables by string, and Alembic compares the
whole of it. `metadata` and `UTCDateTime` are re-exported for db/migrations (env.py, and the
revisions that spell the type `db.schema.UTCDateTime`).
"""

from __future__ import annotations

from db.schema import (  # noqa: F401  (imported for their tables)
    alerting,
    bookkeeping,
    catalogue,
    news,
    seasons,
    servers,
    users,
)
from db.schema.conventions import UTCDateTime, metadata

__all__ = ["UTCDateTime", "metadata"]
