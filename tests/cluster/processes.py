"""Running `python -m bot run` in processes of their own against the fake Discord.

* `fresh_database`: a new PostgreSQL database on the test server (the processes open the
  store by URL alone, so they get a database rather than a schema), dropped afterwards.
* `BotProcess`: one `run` process (tests/fake_discord/launch.py points it at the fake),
  started, killed with SIGKILL or stopped with SIGTERM; its output goes to a log file.
* `bot_environment`: the settings such a process runs with, nothing read from `.env`.

Used by tests/cluster/ and bench/fanout.py (`--processes 2`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.records import ProcessRecord
from db.store import Store

ROOT = Path(__file__).resolve().parents[2]


@contextlib.asynccontextmanager
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    """The URL of a new, empty database on the server `server_url` points at."""
    name = f"cluster_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()


def bot_environment(
    *, fake_url: str, token: str, database_url: str, **settings: object
) -> dict[str, str]:
    """The environment of a `run` process: the fake's address, the token, the store and
    `settings` (SHARD_COUNT=2 as `shard_count=2`). The process starts in an empty folder,
    so no `.env` is read."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(
        PYTHONPATH=str(ROOT),
        FAKE_DISCORD_URL=fake_url,
        DISCORD_TOKEN=token,
        DATABASE_URL=database_url,
        TVMAZE_ENABLED="false",  # no process reaches the real TVmaze
        FEED_ALLOW_PRIVATE_HOSTS="true",  # the local feed server
        LOG_LEVEL="INFO",
    )
    env.update({key.upper(): str(value) for key, value in settings.items()})
    return env


class BotProcess:
    """One `python -m bot run` process."""

    def __init__(self, label: str, env: Mapping[str, str], folder: Path) -> None:
        self.label = label
        self.env = dict(env)
        self.folder = folder / label
        self.log_path = self.folder / "bot.log"
        self.process: asyncio.subprocess.Process | None = None

    @property
    def name(self) -> str:
        """How the process names itself in the store and in /status (bot.process)."""
        assert self.process is not None, "not started"
        return f"{socket.gethostname()}:{self.process.pid}"

    async def start(self) -> BotProcess:
        """Start it (in its own empty folder)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.fake_discord.launch",
                "run",
                cwd=self.folder,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        return self

    @property
    def running(self) -> bool:
        """Started and not exited."""
        return self.process is not None and self.process.returncode is None

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when the machine takes the process away."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM and wait for the exit status (SIGKILL after `timeout`, once SIGUSR1 has
        had it log what it was waiting on, for the failure's log tail)."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.send_signal(signal.SIGUSR1)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.process.wait(), 2.0)
                if self.process.returncode is None:
                    await self.kill()
        assert self.process.returncode is not None
        return self.process.returncode

    def log_tail(self, lines: int = 120) -> str:
        """The end of its output, for failure messages."""
        if not self.log_path.exists():
            return f"[{self.label}: no output]"
        text = self.log_path.read_text("utf-8", errors="replace").splitlines()[-lines:]
        return "\n".join(f"[{self.label}] {line}" for line in text)


async def live_processes(store: Store, within: float) -> list[ProcessRecord]:
    """The processes heard from in the last `within` seconds, the worker first."""
    since = datetime.now(UTC) - timedelta(seconds=within)
    async with store.read() as tx:
        return await tx.processes.seen_since(since)


async def worker_of(store: Store, within: float) -> str | None:
    """The name of the worker heard from in the last `within` seconds, if any."""
    found = [p.name for p in await live_processes(store, within) if p.worker]
    return found[0] if found else None
