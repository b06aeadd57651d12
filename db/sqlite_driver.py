"""SQLite through aiosqlite with at most one trip to its thread per statement.

aiosqlite runs every call on a thread of its own, and each call is a round trip from the
event loop: queue the call, wake the thread, wake the loop with the answer. SQLAlchemy's
adapter makes several per statement (open a cursor, execute, fetch the rows, close the
cursor): a feed's poll, five statements, took about seventeen. `OneTripCursor` does all of
a statement's work in one call on the thread and hands SQLAlchemy the rows, description,
row count and last row id it read there; the statements, their order and their results are
the same.

Some statements need no trip of their own, and wait on the connection to go with the next
statement that does (or with the commit), run first on the thread, in order:

- a transaction's BEGIN (db/engine.py asks for it with `begin_later`): nothing of the
  transaction runs before its first statement, and one that runs none costs no trip;
- a write whose results nobody reads (db/engine.py marks the statements run with the
  UNREAD execution option): it runs before anything that could see it. If it fails, the
  statement it went with (or the commit) fails with its error, and the transaction rolls
  back as it would have; a rollback drops those still waiting.

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
_Statement = tuple[str, Any, bool]  # operation, parameters, executemany


def _execute(cursor: sqlite3.Cursor, operation: str, parameters: Any, many: bool) -> None:
    if many:
        cursor.executemany(operation, parameters)
    elif parameters is None:
        cursor.execute(operation)
    else:
        cursor.execute(operation, parameters)


def _run(
    connection: aiosqlite.Connection,
    operation: str,
    parameters: Any,
    many: bool,
    waiting: Sequence[_Statement] = (),
) -> _Answer:
    """On aiosqlite's thread: the statements that waited for this one, then the whole
    statement and everything SQLAlchemy reads back."""
    cursor = connection._conn.cursor()
    try:
        for statement in waiting:
            _execute(cursor, *statement)
        _execute(cursor, operation, parameters, many)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _run_waiting(
    connection: aiosqlite.Connection, waiting: Sequence[_Statement], commit: bool
) -> None:
    """On aiosqlite's thread: the statements still waiting, then the commit if asked."""
    cursor = connection._conn.cursor()
    try:
        for statement in waiting:
            _execute(cursor, *statement)
    finally:
        cursor.close()
    if commit:
        connection._conn.commit()


async def _nothing() -> None:
    """Nothing to wait for."""


class OneTripCursor:
    """A DB-API cursor over aiosqlite whose statements each cost one trip to its thread
    (none when `unread`: see the module's docstring); rows are read in full there (as
    SQLAlchemy's own buffered cursor does)."""

    server_side = False

    def __init__(self, adapt_connection: _Connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = cast(aiosqlite.Connection, adapt_connection._connection)
        self._rows: deque[Any] = deque()
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1
        self.unread = False  # set by db/engine.py for a write whose results nobody reads

    def execute(self, operation: str, parameters: Any = None) -> None:
        """Run one statement (SQLAlchemy calls this inside its greenlet)."""
        self._call(operation, parameters, many=False)

    def executemany(self, operation: str, seq_of_parameters: Sequence[Any]) -> None:
        """Run one statement for each set of parameters."""
        self._call(operation, seq_of_parameters, many=True)

    def _call(self, operation: str, parameters: Any, *, many: bool) -> None:
        if self.unread:
            self._adapt_connection.wait((operation, parameters, many))
            # SQLAlchemy's async layer takes an execution that never awaits for a driver
            # that cannot: await something that is done at once.
            await_(_nothing())
            return
        try:
            answer = await_(self._locked(operation, parameters, many))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description, rows, self.rowcount, self.lastrowid = answer
        self._rows = deque(rows)

    async def _locked(self, operation: str, parameters: Any, many: bool) -> _Answer:
        async with self._adapt_connection._execute_mutex:
            waiting = self._adapt_connection.take_waiting()
            answer: _Answer = await self._connection._execute(  # type: ignore[no-untyped-call]
                _run, self._connection, operation, parameters, many, waiting
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
    __slots__ = ("_unbegun", "_waiting")
    _cursor_cls = OneTripCursor  # type: ignore[assignment]

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._waiting: list[_Statement] = []  # to run first on the next trip, in order
        self._unbegun = False  # the transaction's BEGIN is waiting: nothing of it ran

    def begin_later(self, statement: str) -> None:
        """Begin a transaction with `statement` (BEGIN, BEGIN IMMEDIATE) on the trip of
        its first statement rather than on a trip of its own. (SQLite waits for the write
        lock there, if need be, with nothing of the transaction run before it.)"""
        self._waiting = [(statement, None, False)]
        self._unbegun = True

    def wait(self, statement: _Statement) -> None:
        """Run `statement` on the next trip, before that trip's own statement."""
        self._waiting.append(statement)

    def take_waiting(self) -> list[_Statement]:
        """The statements to run first on the trip about to be made (none after it)."""
        waiting, self._waiting, self._unbegun = self._waiting, [], False
        return waiting

    def cursor(self, server_side: bool = False) -> Any:
        if server_side and self._waiting:
            # Its statements do not go through `OneTripCursor`: run the waiting ones now.
            self._trip(self.take_waiting(), commit=False)
        return super().cursor(server_side)

    def commit(self) -> None:
        unbegun, waiting = self._unbegun, self.take_waiting()
        if unbegun and len(waiting) == 1:
            return  # nothing but the BEGIN: nothing began, nothing to commit
        if waiting:
            self._trip(waiting, commit=True)
        else:
            super().commit()

    def rollback(self) -> None:
        unbegun = self._unbegun
        self.take_waiting()  # none of those ran
        # No trip when SQLite has no transaction open (none began: a read outside any,
        # see db/engine.py's STATEMENT_READS; or SQLite ended it, as some errors do).
        if not unbegun and self._connection.in_transaction:
            super().rollback()

    def _trip(self, waiting: list[_Statement], *, commit: bool) -> None:
        driver = cast(aiosqlite.Connection, self._connection)
        try:
            await_(driver._execute(_run_waiting, driver, waiting, commit))  # type: ignore[no-untyped-call]
        except Exception as error:
            self._handle_exception(error)


class _DBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        return _Connection(self, adapted._connection)


def dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """The driver module to give SQLAlchemy (`create_async_engine(url, module=dbapi())`)
    for an sqlite+aiosqlite URL."""
    return _DBAPI(aiosqlite, sqlite3)
