"""What the README promises: a problem an operator can fix is one line saying what to do,
with a non-zero exit status; the detail only shows at LOG_LEVEL=DEBUG."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.cli.conftest import Cli, Ran
from tests.conftest import POSTGRES_URL, closed_port


def _one_line(ran: Ran) -> str:
    assert ran.code == 1, ran
    (line,) = ran.err.splitlines()
    assert line.startswith("cliffhanger: ") and "Traceback" not in ran.err
    return line.removeprefix("cliffhanger: ")


def test_a_sqlite_folder_that_cannot_be_created(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where the folder should be")
    url = f"sqlite+aiosqlite:///{tmp_path / 'taken' / 'cliffhanger.db'}"
    line = _one_line(cli("shows", DATABASE_URL=url))
    assert line.startswith(f"can't create the folder {tmp_path / 'taken'} for the SQLite ")


def test_a_read_only_sqlite_folder(cli: Cli) -> None:
    line = _one_line(cli("when", "citadel", DATABASE_URL="sqlite+aiosqlite:////proc/c.db"))
    assert line.startswith("can't open the SQLite database /proc/c.db: its folder is ")


def test_a_file_that_is_not_a_database(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"shopping list: milk, eggs\n" * 300)
    url = f"sqlite+aiosqlite:///{tmp_path / 'notes.txt'}"
    assert _one_line(cli("migrate", DATABASE_URL=url)).startswith(
        f"{tmp_path / 'notes.txt'} is not a SQLite database; "
    )
    # At DEBUG the driver's own words are logged as well.
    debug = cli("migrate", DATABASE_URL=url, LOG_LEVEL="DEBUG")
    assert debug.code == 1 and "file is not a database" in debug.err


def test_postgresql_refusing_the_connection(cli: Cli) -> None:
    port = closed_port()
    url = f"postgresql+asyncpg://cliffhanger:hunter2@127.0.0.1:{port}/cliffhanger"
    line = _one_line(cli("migrate", DATABASE_URL=url))
    assert line.startswith(f"can't reach PostgreSQL at 127.0.0.1:{port} ")
    assert "hunter2" not in line


@pytest.mark.postgres
def test_postgresql_without_that_database_or_user(cli: Cli) -> None:
    base = make_url(POSTGRES_URL)
    no_database = base.set(database="no_such_database").render_as_string(hide_password=False)
    line = _one_line(cli("migrate", DATABASE_URL=no_database))
    assert "has no database 'no_such_database'; create it (createdb no_such_database)" in line
    no_user = base.set(username="no_such_user").render_as_string(hide_password=False)
    assert "refused user 'no_such_user'" in _one_line(cli("migrate", DATABASE_URL=no_user))


def test_reads_go_on_while_another_process_writes(cli: Cli, database: Path) -> None:
    assert cli("migrate").code == 0
    writer = sqlite3.connect(database, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE shows SET network = network")
        # A read-only command neither waits nor fails; a writer waits its turn, then says why.
        card = cli("when", "citadel", DATABASE_BUSY_TIMEOUT_SECONDS="0.2")
        assert (card.code, card.lines[0]) == (0, "Citadel (Prime Video)")
        line = _one_line(
            cli("feeds", "add", "http://127.0.0.1:9/x", DATABASE_BUSY_TIMEOUT_SECONDS="0.2")
        )
        assert line.startswith("the database is busy: another Cliffhanger process kept it ")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert "127.0.0.1:9" not in cli("feeds", "list").out  # nothing half-written


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    # The process as an operator starts it, down to the interpreter's exit status.
    (tmp_path / "notes.txt").write_bytes(b"not a database\n" * 300)
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "LOG_LEVEL")}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'notes.txt'}"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "shows"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"cliffhanger: {tmp_path / 'notes.txt'} is not a SQLite database; move it away, "
        "or set DATABASE_URL to another database"
    ]
