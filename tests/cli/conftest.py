"""Running the command line as an operator does: `main(argv)`, the function behind
`python -m bot` and `cliffhanger`, with the settings in the environment, in a working
directory of its own, and what it prints captured with its exit status.

The commands run their own event loop (`asyncio.run`), so these tests are synchronous,
and the servers the commands talk to (the local feed server, the fake Discord) run on an
event loop in a background thread (`BackgroundLoop`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest

from bot.__main__ import main
from bot.settings import Settings
from tests.fake_discord import FakeDiscord
from tests.feeds.feed_server import FeedServer

T = TypeVar("T")


@dataclass(frozen=True)
class Ran:
    """A finished command: its exit status and what it printed."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """The lines printed on stdout."""
        return self.out.splitlines()


class Cli(Protocol):
    """Runs one command, e.g. `cli("feeds", "add", url)`; settings as keyword arguments
    override the test's (`cli("migrate", DATABASE_URL=...)`)."""

    def __call__(self, *argv: str, **settings: str) -> Ran: ...


class BackgroundLoop:
    """An event loop in a thread of its own, for servers the commands talk to."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run `coroutine` on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        """Stop the loop and its thread."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


@pytest.fixture
def background() -> Iterator[BackgroundLoop]:
    """A running background event loop."""
    running = BackgroundLoop()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def served(background: BackgroundLoop) -> Iterator[FeedServer]:
    """The local feed server (tests/feeds/feed_server.py), on the background loop."""
    server = background.run(FeedServer().start())
    try:
        yield server
    finally:
        background.run(server.close())


@pytest.fixture
def discord_server(background: BackgroundLoop) -> Iterator[FakeDiscord]:
    """The fake Discord, on the background loop; discord.py points at it meanwhile."""
    fake = FakeDiscord(heartbeat_interval_ms=250)
    background.run(fake.start())
    try:
        yield fake
    finally:
        background.run(fake.close())


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """Where the commands' SQLite database lives."""
    return tmp_path / "data" / "cliffhanger.db"


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    database: Path,
    capfd: pytest.CaptureFixture[str],
) -> Iterator[Cli]:
    """Run commands as an operator would, in `tmp_path`, on `database`; feeds may be on
    127.0.0.1 (FEED_ALLOW_PRIVATE_HOSTS=true)."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    base = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "FEED_ALLOW_PRIVATE_HOSTS": "true",
        "HTTP_TIMEOUT_SECONDS": "5",
    }
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}

    def run(*argv: str, **settings: str) -> Ran:
        with monkeypatch.context() as scoped:
            for name, value in {**base, **settings}.items():
                scoped.setenv(name, value)
            capfd.readouterr()
            code = main(list(argv))
            captured = capfd.readouterr()
        return Ran(code, captured.out, captured.err)

    try:
        yield run
    finally:
        # The commands configure logging for the whole process; put pytest's back.
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
