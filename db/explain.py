"""Why the database could not be opened or written, in one line that says what to do.

Driver exceptions stay inside db/: the store raises StoreUnavailableError or StoreBusyError
with these messages, and logs the driver's own detail at DEBUG.
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

_FIX_URL = "or set DATABASE_URL to another database"


def redacted(url: str | URL) -> str:
    """The URL with its password hidden, safe to show and log."""
    return make_url(url).render_as_string(hide_password=True)


def is_busy(error: BaseException) -> bool:
    """Whether `error` is SQLite saying another connection holds the write lock."""
    original = error.orig if isinstance(error, DBAPIError) else error
    return isinstance(original, sqlite3.OperationalError) and (
        getattr(original, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED")
        or "database is locked" in str(original)
    )


def busy_message(timeout: float) -> str:
    """What to say when a write waited `timeout` seconds for another writer."""
    return (
        f"the database is busy: another Cliffhanger process kept it locked for writing for "
        f"more than {timeout:g} s; try again when it has finished (DATABASE_BUSY_TIMEOUT_SECONDS "
        "sets how long to wait)"
    )


def explain_open_error(url: str, error: BaseException) -> str | None:
    """One line for an error met while opening (and migrating) the database at `url`, or
    None when it is not a problem of the database's location, server or credentials."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _explain_sqlite(Path(parsed.database or ""), error)
    return _explain_postgres(parsed, error)


def _explain_sqlite(path: Path, error: BaseException) -> str | None:
    if isinstance(error, OSError):  # creating the folder
        return (
            f"can't create the folder {path.parent} for the SQLite database "
            f"({error.strerror or error}); create it, {_FIX_URL}"
        )
    original = error.orig if isinstance(error, DBAPIError) else error
    if not isinstance(original, sqlite3.Error):
        return None
    name = getattr(original, "sqlite_errorname", "")
    if name == "SQLITE_CANTOPEN" or "unable to open database file" in str(original):
        return (
            f"can't open the SQLite database {path}: its folder is missing or read-only; "
            f"make it writable, {_FIX_URL}"
        )
    if name == "SQLITE_READONLY" or "readonly database" in str(original):
        return (
            f"the SQLite database {path} is read-only; make the file and its folder "
            f"writable, {_FIX_URL}"
        )
    if name == "SQLITE_NOTADB" or "not a database" in str(original):
        return f"{path} is not a SQLite database; move it away, {_FIX_URL}"
    if name in ("SQLITE_FULL", "SQLITE_IOERR") or "disk" in str(original):
        return f"can't write the SQLite database {path} ({original}); free some disk space"
    return None


def _explain_postgres(url: URL, error: BaseException) -> str | None:
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    if isinstance(error, socket.gaierror):
        return f"can't find the PostgreSQL host {url.host!r} ({error.strerror}); check DATABASE_URL"
    if isinstance(error, TimeoutError):
        return f"PostgreSQL at {where} did not answer in time; check the server and DATABASE_URL"
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        return (
            f"can't reach PostgreSQL at {where} ({reason}); start the server or fix the host "
            "and port in DATABASE_URL"
        )
    if not isinstance(error, DBAPIError):
        return None
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    detail = str(error.orig).splitlines()[0] if error.orig is not None else str(error)
    if code == "3D000":
        return (
            f"PostgreSQL at {where} has no database {url.database!r}; create it "
            f"(createdb {url.database}) {_FIX_URL}"
        )
    if code in ("28000", "28P01"):
        return (
            f"PostgreSQL at {where} refused user {url.username!r} ({detail}); fix the user "
            "name or password in DATABASE_URL"
        )
    if code == "42501":
        return (
            f"user {url.username!r} may not create Cliffhanger's tables in {url.database!r} "
            f"({detail}); grant it, {_FIX_URL}"
        )
    if code is not None and code.startswith("08"):
        return f"can't connect to PostgreSQL at {where} ({detail}); check the server"
    return None
