"""Opening the database: engine options per backend and migrations at start.

SQLite runs in WAL mode, where readers never wait for the writer: a read transaction starts
with a plain BEGIN and never takes the write lock; a write transaction starts with BEGIN
IMMEDIATE, so that writers queue for the lock (up to the busy timeout) instead of failing
when a reader upgrades to a writer. Pass `execution_options(**{READONLY: True})` on a
connection to read.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import PoolResetState

from db.errors import SchemaTooNewError

try:
    from sqlalchemy.util.concurrency import await_
except ImportError:  # SQLAlchemy 2.0
    from sqlalchemy.util.concurrency import await_only as await_

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
READONLY = "cliffhanger_readonly"
# An execution option for a read outside any transaction, each statement reading what is
# committed when it runs (`Store.read(snapshot=False)`): on SQLite no BEGIN is sent, so
# nothing is left to roll back (a trip to its thread saved); PostgreSQL gets AUTOCOMMIT.
STATEMENT_READS = "cliffhanger_statement_reads"
# An execution option for a write whose results nobody reads (no RETURNING, no row count,
# no new id): on SQLite it runs on the trip of the next statement or of the commit (see
# db/sqlite_driver.py); elsewhere it is a plain statement.
UNREAD = "cliffhanger_unread"
DEFAULT_BUSY_TIMEOUT = 30.0
PREPARED_STATEMENTS = 500  # kept per PostgreSQL connection (see `create_engine`)
SQLITE_PREPARED_STATEMENTS = 512  # kept per SQLite connection (see `create_engine`)
# Any constant works: every Cliffhanger process migrating one database takes this lock.
_MIGRATION_LOCK = 0x436C_6966_6648_616E


def create_engine(
    url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, **options: Any
) -> AsyncEngine:
    """An async engine for `url`; SQLite gets WAL, foreign keys, read and write
    transactions (see above) and `busy_timeout` seconds of waiting for the write lock on
    every connection, and its parent directory and file are created (OSError or
    sqlite3.Error if they cannot be)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            # When aiosqlite cannot open the file at all, its worker thread outlives the
            # failure and may print a traceback once the event loop is gone: plain sqlite3
            # finds out first (and raises sqlite3.Error).
            sqlite3.connect(database).close()
        own_driver = parsed.get_driver_name() == "aiosqlite" and "module" not in options
        if own_driver:
            from db import sqlite_driver

            options["module"] = sqlite_driver.dbapi()
        # A connection going back to the pool is rolled back only when SQLite says a
        # transaction is open (`_sqlite_reset`): after a commit, the pool's unconditional
        # rollback was one more trip to aiosqlite's thread for every transaction.
        options.setdefault("pool_reset_on_return", None)
        # sqlite3 keeps a connection's prepared statements by SQL text, 128 by default: the
        # name search's ~180 texts over 2,000 lookups at 100,000 shows pushed each other
        # out, and preparing one of its big compounds again cost SQLite 5-150 ms.
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("cached_statements", SQLITE_PREPARED_STATEMENTS)
        options["connect_args"] = connect_args
        engine = create_async_engine(url, **options)
        pragmas = _sqlite_pragmas(int(busy_timeout * 1000))
        event.listen(engine.sync_engine, "connect", pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        if options["pool_reset_on_return"] is None:
            event.listen(engine.sync_engine, "reset", _sqlite_reset)
        if own_driver:
            event.listen(engine.sync_engine, "before_cursor_execute", _sqlite_unread)
        return engine
    if parsed.get_driver_name() == "asyncpg":
        # asyncpg's adapter keeps a connection's prepared statements by SQL text, 100 by
        # default: the name search's shapes (one text per shape and list lengths, ~170
        # over 2,000 lookups at 100,000 shows) pushed out the card's and were prepared
        # again, a round trip and a plan each, on a third of the lookups.
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("prepared_statement_cache_size", PREPARED_STATEMENTS)
        # No JIT compilation of queries: it pays off for long analytic queries, which the
        # bot never runs, and its planner's cost estimates are far off for the bot's
        # (EXISTS probes per row): loading the followed shows at start-up spent ~280 ms
        # compiling a 190 ms query, and the name search's bigger statements a few ms each.
        server_settings = dict(connect_args.get("server_settings", {}))
        server_settings.setdefault("jit", "off")
        connect_args["server_settings"] = server_settings
        options["connect_args"] = connect_args
    ping = options.pop("pool_pre_ping", True)
    engine = create_async_engine(url, **options)
    if ping:
        event.listen(engine.sync_engine.pool, "checkout", _ping_on_checkout)
    return engine


def _ping_on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """SQLAlchemy's `pool_pre_ping` in one round trip: asyncpg's adapter pings inside a
    transaction of its own (BEGIN, the ping, ROLLBACK: three trips to the server on every
    checkout) to suit pgbouncer's transaction mode, which a Cliffhanger store is not behind.
    A connection that fails it is replaced, as a failed pre-ping's is (the pool retries the
    checkout with a new one)."""
    try:
        await_(dbapi_connection.driver_connection.fetchrow(";"))
    except Exception as error:
        raise DisconnectionError(f"the connection failed a ping: {error!r}") from error


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let the "begin" event emit BEGIN itself (pysqlite's own is deferred-only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def _sqlite_reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
    take_waiting = getattr(dbapi_connection, "take_waiting", None)
    if take_waiting is not None:
        take_waiting()  # statements of a transaction that ended: they never ran
    if not state.terminate_only and dbapi_connection.driver_connection.in_transaction:
        dbapi_connection.rollback()


def _sqlite_unread(
    _connection: Any, cursor: Any, _statement: Any, _parameters: Any, context: Any, _many: bool
) -> None:
    if context is not None and context.execution_options.get(UNREAD, False):
        cursor.unread = True  # db/sqlite_driver.py's cursor: no trip of its own


def _sqlite_begin(connection: SyncConnection) -> None:
    options = connection.get_execution_options()
    if options.get(STATEMENT_READS, False):
        return  # no transaction: sqlite3 (isolation_level None) runs each statement alone
    readonly = options.get(READONLY, False)
    statement = "BEGIN" if readonly else "BEGIN IMMEDIATE"
    # db/sqlite_driver.py sends it with the transaction's first statement, in one trip.
    begin_later = getattr(connection.connection.dbapi_connection, "begin_later", None)
    if begin_later is not None:
        begin_later(statement)
    else:
        connection.exec_driver_sql(statement)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at our migrations, optionally bound to a connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest migration's id, read from the migration files' headers (None if the
    history has several heads, which only Alembic can sort out)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if found := _REVISION.search(source):
            revisions.add(found[1])
        if parent := _DOWN_REVISION.search(source):
            parents.add(parent[1])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config(connection)
    script = ScriptDirectory.from_config(config)
    current = MigrationContext.configure(connection).get_current_revision()
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise SchemaTooNewError(
            f"the database is at schema revision {current}, which this version of Cliffhanger "
            "does not know; upgrade Cliffhanger or point DATABASE_URL at another database"
        )
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision. Alembic (and its ~11 MB of imports) is
    only loaded when the database is not at the head already; the check only reads.

    Any number of processes may start at once: migrating takes a lock (SQLite's write
    lock; an advisory lock on PostgreSQL) and reads the revision again under it, so one
    process migrates and the others find the work done."""
    async with engine.connect() as connection:
        await connection.execution_options(**{READONLY: True})
        current = await connection.run_sync(_current_revision)
        await connection.rollback()
    if current is not None and current == head_revision():
        log.debug("schema is up to date at %s", current)
        return
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends; the upgrade runs inside it.
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
            )
        await connection.run_sync(_upgrade)
    log.info("schema migrated to the newest revision")
