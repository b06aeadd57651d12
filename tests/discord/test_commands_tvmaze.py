"""/when, autocomplete and /upcoming on a catalogue mirrored from a fake TVmaze, through
the real client, cogs and store: TVmaze's data always comes with its credit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.client import CliffhangerBot
from bot.services import Services
from bot.tvmaze.client import TvmazeClient
from bot.tvmaze.sync import CatalogueSync
from tests.discord.product import FakeClock
from tests.fake_discord import FakeDiscord
from tests.fake_discord.models import JSON
from tests.tvmaze.fake_tvmaze import FakeTvmaze


def fields(embed: JSON) -> dict[str, str]:
    return {str(f["name"]): str(f["value"]) for f in embed.get("fields", [])}


@pytest.fixture
async def mirrored(services: Services, clock: FakeClock) -> AsyncIterator[FakeTvmaze]:
    """A fake TVmaze with two shows, synced into the bot's store."""
    today = clock.now.date()
    async with FakeTvmaze(today=today) as fake:
        fake.add_show(40, "Quarry Lane Mysteries", network="ITV1", premiered="2020-01-01")
        premiere = (today + timedelta(days=12)).isoformat()
        fake.add_season(40, 3, premiere)
        fake.schedule_episode(40, season=3, number=1, airdate=premiere)
        fake.add_show(
            41,
            "Hollow Pines",
            network="CBS",
            status="Ended",
            premiered="2011-01-01",
            ended="2013-05-05",
        )
        client = TvmazeClient(
            fake.url, user_agent="tests (tests@example.org)", calls=1000, period=1
        )
        try:
            await CatalogueSync(services.store, client, services.known, clock=clock).sync()
        finally:
            await client.close()
        yield fake


async def test_when_shows_tvmaze_date_status_and_credit(
    fake: FakeDiscord, mirrored: FakeTvmaze, app: CliffhangerBot, clock: FakeClock
) -> None:
    result = await fake.invoke("when", {"show": "quarry lane mysteries"})
    (embed,) = result.embeds
    assert embed["title"] == "Quarry Lane Mysteries · ITV1"
    card = fields(embed)
    assert card["On TVmaze"] == "Running (since 2020-01-01)"
    assert card["Season 3"].endswith("· listed on TVmaze")
    assert card["Credit"] == (
        "[Schedule data from TVmaze](https://www.tvmaze.com/shows/40/quarry-lane-mysteries)"
    )

    ended = fields((await fake.invoke("when", {"show": "Hollow Pines"})).embeds[0])
    assert ended["On TVmaze"] == "Ended (ran 2011-01-01 to 2013-05-05)"
    assert "Credit" in ended

    choices = await fake.autocomplete("when", "show", "quarry")
    assert [c["name"] for c in choices][:1] == ["Quarry Lane Mysteries"]

    upcoming = (await fake.invoke("upcoming", {"days": 30})).embeds[0]
    assert "Quarry Lane Mysteries season 3" in str(upcoming["description"])
    assert fields(upcoming)["Credit"].startswith("[Schedule data from TVmaze](")
