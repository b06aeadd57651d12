"""`python -m bot when SHOW` answers in about a second, and most of that second is imports:
a command that only looks a show up must not load what only the running bot, a poll or a
migration needs, nor read every show in the news to find one by its name. Checked by what
a fresh process has imported and read once it answered (never by timing it), so it is
deterministic."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from db.store import Store

ROOT = Path(__file__).resolve().parents[2]
# What `when` has no use for: Discord, the scheduler, the feed machinery (HTTP, parsing),
# recognition (news is not read), migrations (the store is at the head already), the
# calendar, the other database's dialect and the worker's lock file.
NOT_FOR_WHEN = (
    "discord",
    "apscheduler",
    "aiohttp",
    "feedparser",
    "lxml",
    "bot.recognition",
    "bot.feeds.poller",
    "alembic",
    "icalendar",
    "asyncpg",
    "sqlalchemy.dialects.postgresql",
    "filelock",
)
_CHILD = """
import json, sys
import db.shows
from bot.__main__ import main
read = []
followed = db.shows.ShowRepo.followed
async def counted(self):
    read.append(1)
    return await followed(self)
db.shows.ShowRepo.followed = counted
code = main(["when", "citadel"])
print(json.dumps({"code": code, "modules": sorted(sys.modules), "followed": len(read)}))
"""


def _run(script: str, cwd: Path, env: dict[str, str]) -> tuple[object, str]:
    """Run `script` in a fresh interpreter importing this tree; its last line's JSON, and
    all it printed."""
    completed = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, "-c", script],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.splitlines()[-1]), completed.stdout


def _loaded(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """The `modules` that are one of `packages` or inside one."""
    return [m for m in modules if any(m == p or m.startswith(f"{p}.") for p in packages)]


async def _migrate(url: str) -> None:
    store = await Store.open(url)
    await store.close()


def test_when_imports_only_what_it_needs(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cliffhanger.db'}"
    asyncio.run(_migrate(url))  # here: the command then only checks the revision
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "LOG_", "PYTHON"))
    }
    report, printed = _run(_CHILD, tmp_path, {**env, "DATABASE_URL": url})  # cwd: no .env
    assert isinstance(report, dict)
    assert report["code"] == 0 and "Citadel" in printed
    assert _loaded(report["modules"], NOT_FOR_WHEN) == []
    # Nor the ~10,000 shows in the news (at 100,000 shows a third of its start-up): a name
    # is looked up among the shows that have it (`KnownShows.load(named_first=True)`).
    assert report["followed"] == 0


# What a running bot loads at its first poll, not at start-up: reading feeds (lxml) and
# recognition with its model, about 35 MiB together (bench/memory.py: a bot whose feeds
# are not due yet stays well below that); and at its first `/calendar`, icalendar (3 MiB).
NOT_BEFORE_FIRST_POLL = ("lxml", "bot.feeds.lxml_reader", "bot.recognition", "icalendar")
_BOT_CHILD = """
import importlib, json, sys
import bot.client, bot.runtime, bot.services
for extension in bot.runtime.EXTENSIONS:
    importlib.import_module(extension)
print(json.dumps(sorted(sys.modules)))
"""


def test_the_bot_reads_feeds_and_news_only_from_its_first_poll(tmp_path: Path) -> None:
    modules, _ = _run(_BOT_CHILD, tmp_path, dict(os.environ))
    assert isinstance(modules, list)
    assert _loaded(modules, NOT_BEFORE_FIRST_POLL) == []
