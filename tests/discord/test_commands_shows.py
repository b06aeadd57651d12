"""/upcoming and /news: what anyone can ask, answered from what the feeds said."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.client import CliffhangerBot
from tests.discord.product import NewsDesk, Story
from tests.fake_discord import FakeDiscord
from tests.fake_discord.standard_world import StandardWorld

PREMIERES = (
    Story("Severance Season 3 Premiere Date Set for June 20", link="https://tv.example/sev"),
    Story("Andor Season 2 Premiere Date Set for August 15", link="https://tv.example/andor"),
    Story("Slow Horses Season 5 Premiere Date Set for June 10", link="https://tv.example/sh"),
)


def line(day: date, title: str) -> str:
    moment = int(datetime.combine(day, time(12), tzinfo=UTC).timestamp())
    return f"<t:{moment}:D> (<t:{moment}:R>) — **{title}**"


async def test_upcoming_lists_every_known_show_when_the_server_watches_none(
    fake: FakeDiscord, world: StandardWorld, desk: NewsDesk, app: CliffhangerBot
) -> None:
    await desk.follow("/tvline", "TVLine", *PREMIERES)
    result = await fake.invoke("upcoming", user=world.member)
    assert not result.ephemeral
    (embed,) = result.embeds
    assert embed["title"] == "Premieres in the next 30 days (I know of)"
    assert str(embed["description"]).split("\n") == [
        line(date(2024, 6, 10), "Slow Horses season 5"),
        line(date(2024, 6, 20), "Severance season 3"),
    ]
    longer = await fake.invoke("upcoming", {"days": 90})
    assert str(longer.embeds[0]["description"]).split("\n")[-1] == line(
        date(2024, 8, 15), "Andor season 2"
    )


async def test_upcoming_keeps_to_the_watched_shows(
    fake: FakeDiscord, world: StandardWorld, desk: NewsDesk, app: CliffhangerBot
) -> None:
    await desk.follow("/tvline", "TVLine", *PREMIERES)
    await fake.invoke("watch", {"show": "Severance", "channel": world.alerts})
    await fake.invoke("watch", {"show": "Andor", "channel": world.alerts})
    result = await fake.invoke("upcoming", {"days": 366})
    (embed,) = result.embeds
    assert embed["title"] == "Premieres in the next 366 days (watched here)"
    assert str(embed["description"]).split("\n") == [
        line(date(2024, 6, 20), "Severance season 3"),
        line(date(2024, 8, 15), "Andor season 2"),
    ]


async def test_upcoming_with_nothing_in_range(fake: FakeDiscord, app: CliffhangerBot) -> None:
    result = await fake.invoke("upcoming", {"days": 7})
    assert result.embeds[0]["description"] == "No premiere dates known in that range."


async def test_news_lists_the_latest_headlines_with_links(
    fake: FakeDiscord, world: StandardWorld, desk: NewsDesk, app: CliffhangerBot
) -> None:
    await desk.follow("/tvline", "TVLine", *PREMIERES)
    desk.clock.advance(hours=3)
    await desk.publish(
        "/tvline",
        Story("Apple TV+ Renews 'Severance' for Season 3", link="https://tv.example/sev-3"),
    )
    result = await fake.invoke("news", {"show": "severance"}, user=world.member)
    assert not result.ephemeral
    (embed,) = result.embeds
    assert embed["title"] == "Latest on Severance"
    assert str(embed["description"]).split("\n") == [
        "• [Apple TV+ Renews 'Severance' for Season 3](https://tv.example/sev-3) — TVLine",
        "• [Severance Season 3 Premiere Date Set for June 20](https://tv.example/sev) — TVLine",
    ]


async def test_news_about_a_quiet_or_unknown_show(fake: FakeDiscord, app: CliffhangerBot) -> None:
    quiet = await fake.invoke("news", {"show": "Andor"})
    assert quiet.embeds[0]["description"] == (
        "No headlines about it yet. I'll keep reading the news."
    )
    unknown = await fake.invoke("news", {"show": "Zorblax Quintessence"})
    assert unknown.ephemeral
    assert "I don't know a show called “Zorblax Quintessence”" in unknown.content


async def test_news_autocomplete(fake: FakeDiscord, app: CliffhangerBot) -> None:
    choices = await fake.autocomplete("news", "show", "andor")
    assert choices[0] == {"name": "Andor", "value": "Andor"}
