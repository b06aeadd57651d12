"""SQLite serves one process: a second `run` on the same file stops at once with one line
saying that several processes need PostgreSQL, and the first keeps running."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.cluster.processes import BotProcess, bot_environment
from tests.discord.product import eventually
from tests.fake_discord import FakeDiscord


async def test_a_second_run_on_one_sqlite_file_stops_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'cliffhanger.db'}"
    async with FakeDiscord() as fake:
        fake.add_guild("Fans")
        env = bot_environment(fake_url=fake.base_url, token=fake.token, database_url=url)
        first = await BotProcess("first", env, tmp_path).start()
        try:
            await eventually(lambda: _connected(fake), timeout=40, what="the first process")
            second = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.fake_discord.launch",
                "run",
                cwd=tmp_path,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            _, stderr = await asyncio.wait_for(second.communicate(), 60)
            assert second.returncode == 1
            (line,) = [ln for ln in stderr.decode().splitlines() if ln.startswith("cliffhanger:")]
            assert "another process is already running on" in line
            assert "several need PostgreSQL" in line
            assert first.running and fake.gateway.identify_count == 1
        finally:
            assert await first.stop() == 0, first.log_tail()


async def _connected(fake: FakeDiscord) -> bool:
    return fake.gateway.connected
