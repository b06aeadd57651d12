"""`python -m bot catalogue sync` then `python -m bot when SHOW`, as an operator runs them,
from a fresh store against the fake TVmaze."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.__main__ import main
from tests.tvmaze.fake_tvmaze import FakeTvmaze


async def test_sync_then_when_answers_for_a_show_only_tvmaze_knows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    today = datetime.now(UTC).date()
    premiere = today + timedelta(days=40)
    async with FakeTvmaze(today=today) as fake:
        fake.add_show(12, "Saltmarsh Detectives", network="ITV1", premiered="2021-02-01")
        fake.add_season(12, 2, premiere.isoformat())
        fake.schedule_episode(12, season=2, number=1, airdate=premiere.isoformat())
        fake.add_show(
            260,
            "Lanternfall",
            network="BBC One",
            status="Ended",
            premiered="2010-09-01",
            ended="2014-11-20",
        )
        monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
        monkeypatch.setenv("TVMAZE_API_URL", fake.url)
        monkeypatch.setenv("TVMAZE_RATE_CALLS", "1000")
        monkeypatch.setenv("TVMAZE_RATE_SECONDS", "1")

        assert await asyncio.to_thread(main, ["catalogue", "sync"]) == 0
        synced = capsys.readouterr().out
        assert "TVmaze index: 2 pages, 2 shows read: 2 new" in synced
        assert f"listed: Saltmarsh Detectives season 2: {premiere.isoformat()}" in synced
        assert "Schedule data from TVmaze: https://www.tvmaze.com" in synced

        assert await asyncio.to_thread(main, ["when", "saltmarsh", "detectives"]) == 0
        card = capsys.readouterr().out
        assert card.startswith("Saltmarsh Detectives (ITV1)\nOn TVmaze: Running (since 2021-02-01)")
        assert f"Season 2: No decision yet; premieres {premiere:%A, %B} {premiere.day}" in card
        assert "(listed on TVmaze)" in card
        assert (
            "Schedule data from TVmaze: https://www.tvmaze.com/shows/12/saltmarsh-detectives"
            in card
        )

        assert await asyncio.to_thread(main, ["when", "lanternfall"]) == 0
        ended = capsys.readouterr().out
        assert "On TVmaze: Ended (ran 2010-09-01 to 2014-11-20)" in ended

        # A second sync takes the updates route and finds nothing new.
        assert await asyncio.to_thread(main, ["catalogue", "sync"]) == 0
        again = capsys.readouterr().out
        assert "TVmaze updates: 0 pages, 0 shows read" in again
        assert "0 new premiere dates, 0 moved" in again


async def test_sync_says_what_to_do_when_tvmaze_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TVMAZE_ENABLED", "false")
    assert await asyncio.to_thread(main, ["catalogue", "sync"]) == 1
    assert "set TVMAZE_ENABLED=true" in capsys.readouterr().err
