"""A database that cannot be opened is one line that says what to do, never a traceback;
the driver's detail goes to the DEBUG log."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from db.errors import StoreUnavailableError
from db.store import Store
from tests.conftest import POSTGRES_URL, closed_port


async def _refusal(url: str, caplog: pytest.LogCaptureFixture) -> str:
    caplog.set_level(logging.DEBUG, logger="db")
    with pytest.raises(StoreUnavailableError) as raised:
        await Store.open(url)
    message = str(raised.value)
    assert "\n" not in message and len(message) < 250, message
    assert any(record.exc_info for record in caplog.records if record.levelno == logging.DEBUG)
    return message


async def test_a_sqlite_folder_that_cannot_be_created(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    message = await _refusal(f"sqlite+aiosqlite:///{tmp_path / 'a-file' / 'x.db'}", caplog)
    assert message.startswith(f"can't create the folder {tmp_path / 'a-file'} ")
    assert "DATABASE_URL" in message


async def test_a_sqlite_folder_that_is_read_only(caplog: pytest.LogCaptureFixture) -> None:
    # /proc takes no new files, not even from root (tests may run as root, which ignores
    # permission bits).
    message = await _refusal("sqlite+aiosqlite:////proc/cliffhanger.db", caplog)
    assert message.startswith("can't open the SQLite database /proc/cliffhanger.db: ")
    assert "read-only" in message and "DATABASE_URL" in message


async def test_a_file_that_is_not_a_database(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my notes, not a database.\n" * 200)
    message = await _refusal(f"sqlite+aiosqlite:///{path}", caplog)
    assert message.startswith(f"{path} is not a SQLite database; ")
    assert path.read_bytes().startswith(b"These are my notes")  # and it was not touched


async def test_postgresql_refusing_the_connection(caplog: pytest.LogCaptureFixture) -> None:
    port = closed_port()
    url = f"postgresql+asyncpg://cliffhanger:hunter2@127.0.0.1:{port}/cliffhanger"
    message = await _refusal(url, caplog)
    assert message.startswith(f"can't reach PostgreSQL at 127.0.0.1:{port} ")
    assert "hunter2" not in message


@pytest.mark.postgres
async def test_postgresql_without_that_database(caplog: pytest.LogCaptureFixture) -> None:
    name = f"missing_{uuid.uuid4().hex[:8]}"
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    message = await _refusal(url, caplog)
    assert f"has no database '{name}'; create it (createdb {name})" in message


@pytest.mark.postgres
async def test_postgresql_without_that_user(caplog: pytest.LogCaptureFixture) -> None:
    url = make_url(POSTGRES_URL).set(username="nobody_here", password="hunter2")
    message = await _refusal(url.render_as_string(hide_password=False), caplog)
    assert "refused user 'nobody_here'" in message and "DATABASE_URL" in message
    assert "hunter2" not in message
