"""The `.ics` file itself and `python -m bot calendar`: RFC 5545 written by icalendar and
read back by it; reported dates are tentative; the CLI prints the file or one line of
error."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.__main__ import main
from bot.ics import event_uid, premieres_calendar
from bot.models import Certainty, SeasonState, Show, Source, Status
from bot.premieres import Premiere, is_upcoming
from db.store import Store

NOW = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)


def state(day: date, certainty: Certainty, **more: object) -> SeasonState:
    return SeasonState(
        show="Citadel",
        season=2,
        status=Status.RENEWED,
        status_certainty=Certainty.OFFICIAL,
        premiere_date=day,
        premiere_certainty=certainty,
        premiere_first_reported=NOW - timedelta(days=3),
        network="Prime Video",
        sources=(Source("Deadline", "https://deadline.example/citadel", NOW),),
        updated=NOW,
        **more,  # type: ignore[arg-type]
    )


def test_a_reported_date_is_tentative_and_says_so() -> None:
    premiere = Premiere(show_id=1, state=state(date(2025, 4, 10), Certainty.REPORTED))
    text = premieres_calendar([premiere], name="Test", now=NOW)
    assert b"\r\n" in text  # RFC 5545 lines end in CRLF
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    assert event["status"] == "TENTATIVE"
    assert event["transp"] == "TRANSPARENT"
    assert "How sure: reported, not confirmed." in str(event["description"])
    assert event.decoded("dtstart") == date(2025, 4, 10)
    assert str(event["uid"]) == event_uid(premiere)


def test_the_uid_is_the_seasons_not_the_dates() -> None:
    first = Premiere(show_id=1, state=state(date(2025, 4, 10), Certainty.OFFICIAL))
    moved = Premiere(show_id=1, state=state(date(2025, 5, 1), Certainty.OFFICIAL))
    assert event_uid(first) == event_uid(moved)
    other = Premiere(
        show_id=2, state=SeasonState(show="Citadel: Diana", season=2, premiere_date=date.today())
    )
    assert event_uid(other) != event_uid(first)


def test_only_firm_dates_of_seasons_still_coming_are_upcoming() -> None:
    today = date(2024, 6, 2)
    assert is_upcoming(state(date(2024, 6, 2), Certainty.OFFICIAL), today)
    assert not is_upcoming(state(date(2024, 6, 1), Certainty.OFFICIAL), today)
    assert not is_upcoming(state(date(2024, 7, 1), Certainty.SPECULATION), today)
    cancelled = SeasonState(
        show="Citadel",
        season=2,
        status=Status.CANCELLED,
        premiere_date=date(2024, 7, 1),
        premiere_certainty=Certainty.OFFICIAL,
    )
    assert not is_upcoming(cancelled, today)


async def _store_premiere(url: str, day: date) -> None:
    store = await Store.open(url)
    try:
        async with store.transaction() as tx:
            show = await tx.shows.ensure(Show("Citadel", network="Prime Video"))
            assert show.id is not None
            await tx.shows.save_state(show.id, state(day, Certainty.OFFICIAL), now=NOW)
    finally:
        await store.close()


async def test_the_cli_prints_the_calendar_or_one_line_of_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    # The CLI sets logging up on the captured stream; later tests must not log into it.
    monkeypatch.setattr(logging.root, "handlers", list(logging.root.handlers))
    premiere = datetime.now(UTC).date() + timedelta(days=40)  # the CLI lives in real time
    await _store_premiere(url, premiere)

    assert await asyncio.to_thread(main, ["calendar", "citadel"]) == 0
    printed = capsys.readouterr().out
    (event,) = Calendar.from_ical(printed).walk("VEVENT")
    assert event["summary"] == "Citadel — Season 2 premiere"
    assert event.decoded("dtstart") == premiere
    assert event["location"] == "Prime Video"

    assert await asyncio.to_thread(main, ["calendar"]) == 0
    assert len(Calendar.from_ical(capsys.readouterr().out).walk("VEVENT")) == 1

    assert await asyncio.to_thread(main, ["calendar", "zzqx"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith('cliffhanger: I don\'t know a show called "zzqx".')
    assert captured.err.count("\n") == 1
