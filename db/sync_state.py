"""Small named values that outlive a process (the `sync_state` table): HTTP validators
per path, sync progress."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from db.dialect import upsert
from db.schema.bookkeeping import sync_state


class SyncStateRepo:
    """Small JSON values kept between runs (validators, progress)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get(self, key: str) -> Any:
        """The value stored under `key`, or None."""
        query = select(sync_state.c.value).where(sync_state.c.key == key)
        value = (await self._c.execute(query)).scalar_one_or_none()
        return None if value is None else json.loads(value)

    async def get_many(self, prefix: str) -> dict[str, Any]:
        """Every value whose key starts with `prefix`."""
        query = select(sync_state.c.key, sync_state.c.value).where(
            sync_state.c.key.startswith(prefix)
        )
        return {key: json.loads(value) for key, value in await self._c.execute(query)}

    async def put(self, key: str, value: Any, *, now: datetime) -> None:
        """Store `value` (JSON) under `key`."""
        await self.put_many({key: value}, now=now)

    async def put_many(self, values: dict[str, Any], *, now: datetime) -> None:
        """Store several values at once."""
        rows = [{"key": k, "value": json.dumps(v), "updated_at": now} for k, v in values.items()]
        if not rows:
            return
        statement = upsert(self._c, sync_state)
        statement = statement.on_conflict_do_update(
            index_elements=["key"],
            set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
        )
        await self._c.execute(statement, rows)
