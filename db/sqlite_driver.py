"""SQLite through aiosqlite with one trip to its thread per statement.

aiosqlite runs every call on a thread of its own, and each call is a round trip from the
event loop: queue the call, wake the thread, wake the loop with the answer. SQLAlchemy's
adapter makes several per statement (open a cursor, execute, fetch the rows, close the
cursor): a feed's poll, five statements, took about seventeen. `OneTripCursor` does all of
a statement's work in one call on the thread and hands SQLAlchemy the rows, description,
row count and last row id it read there; the statements, their order and their results are
the same. A transaction's BEGIN goes on the trip of its first statement (db/engine.py asks
for it with `begin_later`). `create_engine` (db/engine.py) passes `dbapi()` to SQLAlchemy
as the SQLite driver module.

It leans on two internals, both stable for years: SQLAlchemy's aiosqlite adapter classes
(whose `_cursor_cls` picks the cursor class) and aiosqlite's `Connection._execute` (run a
function on the connection's thread). The tests run every store operation through it.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
)

try:
    from sqlalchemy.util.concurrency import await_
except ImportError:  # SQLAlchemy 2.0
    from sqlalchemy.util.concurrency import await_only as await_

_Answer = tuple[Any, list[Any], int, int | None]


def _run(
    connection: aiosqlite.Connection,
    operation: str,
    parameters: Any,
    many: bool,
    begin: str | None = None,
) -> _Answer:
    """On aiosqlite's thread: the whole statement, after the BEGIN of its transaction
    when that waited for it, and everything SQLAlchemy reads back."""
    cursor = connection._conn.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _begin(connection: aiosqlite.Connection, statement: str) -> None:
    connection._conn.execute(statement)


class OneTripCursor:
    """A DB-API cursor over aiosqlite whose statements each cost one trip to its thread;
    rows are read in full there (as SQLAlchemy's own buffered cursor does)."""

    server_side = False

    def __init__(self, adapt_connection: _Connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = cast(aiosqlite.Connection, adapt_connection._connection)
        self._rows: deque[Any] = deque()
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    def execute(self, operation: str, parameters: Any = None) -> None:
        """Run one statement (SQLAlchemy calls this inside its greenlet)."""
        self._call(operation, parameters, many=False)

    def executemany(self, operation: str, seq_of_parameters: Sequence[Any]) -> None:
        """Run one statement for each set of parameters."""
        self._call(operation, seq_of_parameters, many=True)

    def _call(self, operation: str, parameters: Any, *, many: bool) -> None:
        try:
            answer = await_(self._locked(operation, parameters, many))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description, rows, self.rowcount, self.lastrowid = answer
        self._rows = deque(rows)

    async def _locked(self, operation: str, parameters: Any, many: bool) -> _Answer:
        async with self._adapt_connection._execute_mutex:
            begin = self._adapt_connection.take_begin()
            answer: _Answer = await self._connection._execute(  # type: ignore[no-untyped-call]
                _run, self._connection, operation, parameters, many, begin
            )
            return answer

    async def _async_soft_close(self) -> None:
        """Nothing to release: the cursor on the thread is closed already."""

    def close(self) -> None:
        """Drop the rows not read."""
        self._rows.clear()

    def setinputsizes(self, *inputsizes: Any) -> None:
        """Not needed by SQLite."""

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def fetchone(self) -> Any:
        """The next row, or None."""
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        """The next `size` rows (`arraysize` by default)."""
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or self.arraysize, len(rows)))]

    def fetchall(self) -> list[Any]:
        """The rows not read yet."""
        rows = list(self._rows)
        self._rows.clear()
        return rows


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_begin",)
    _cursor_cls = OneTripCursor  # type: ignore[assignment]

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._begin: str | None = None

    def begin_later(self, statement: str) -> None:
        """Begin a transaction with `statement` (BEGIN, BEGIN IMMEDIATE) on the trip of
        its first statement rather than on a trip of its own; one that runs no statement
        then costs no trip at all. (SQLite waits for the write lock, if need be, at that
        first statement: nothing of the transaction has run before it.)"""
        self._begin = statement

    def take_begin(self) -> str | None:
        """The BEGIN still to run before the next statement, and none after it."""
        begin, self._begin = self._begin, None
        return begin

    def cursor(self, server_side: bool = False) -> Any:
        if server_side and (begin := self.take_begin()) is not None:
            # Its statements do not go through `OneTripCursor`: begin now.
            driver = cast(aiosqlite.Connection, self._connection)
            await_(driver._execute(_begin, driver, begin))  # type: ignore[no-untyped-call]
        return super().cursor(server_side)

    def commit(self) -> None:
        if self.take_begin() is None:  # else nothing began: nothing to commit
            super().commit()

    def rollback(self) -> None:
        if self.take_begin() is None:  # else nothing began: nothing to roll back
            super().rollback()


class _DBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        return _Connection(self, adapted._connection)


def dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """The driver module to give SQLAlchemy (`create_async_engine(url, module=dbapi())`)
    for an sqlite+aiosqlite URL."""
    return _DBAPI(aiosqlite, sqlite3)
