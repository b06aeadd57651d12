"""Dialect-specific statements that both SQLite and PostgreSQL support."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection


def dialect_insert(name: str) -> Callable[[Table], Any]:
    """The INSERT construct (with ON CONFLICT) of the backend called `name`. Each backend's
    module is imported at its first use: a SQLite store never loads PostgreSQL's."""
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


def upsert(connection: AsyncConnection, table: Table) -> Any:
    """An INSERT that supports ON CONFLICT on the connection's backend."""
    return dialect_insert(connection.dialect.name)(table)
