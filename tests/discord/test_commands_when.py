"""/when: a show's card, through the real client, cogs and store; the seed case."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from bot.client import CliffhangerBot
from tests.discord.product import (
    NewsDesk,
    Story,
    interaction_request,
    run_seed_case,
    seed_article,
)
from tests.discord.transcript import transcript
from tests.fake_discord import FakeDiscord
from tests.fake_discord.models import JSON
from tests.fake_discord.standard_world import StandardWorld


def fields(embed: JSON) -> dict[str, str]:
    """An embed's fields, name → value."""
    return {str(f["name"]): str(f["value"]) for f in embed.get("fields", [])}


def stamp(day: date, style: str) -> str:
    """The Discord timestamp the card uses for a calendar day (noon UTC)."""
    moment = datetime.combine(day, time(12), tzinfo=UTC)
    return f"<t:{int(moment.timestamp())}:{style}>"


async def test_seed_case_citadel_renewed_with_a_speculative_window(
    fake: FakeDiscord, world: StandardWorld, desk: NewsDesk, app: CliffhangerBot
) -> None:
    case = await run_seed_case(fake, desk, user=world.member)

    assert sorted(
        (a.event.value, a.season, a.certainty.value) for a in case.poll.announcements
    ) == [
        ("premiere_window", 2, "speculation"),
        ("renewed", 2, "official"),
    ]
    result = case.answer
    assert not result.ephemeral  # anyone may ask, and everyone may see the answer
    (embed,) = result.embeds
    assert embed["title"] == "Citadel · Prime Video"
    card = fields(embed)
    assert list(card) == ["Season 2", "Sources", "Last updated"]
    status, premiere = card["Season 2"].split("\n")
    assert status == "**Renewed** · official"
    assert premiere == (
        "Premiere: Date not announced; expected late 2024 or even early 2025 "
        "(Sep 2024 – Apr 2025) · speculation"
    )
    assert card["Sources"] == (
        "[CarterMatt](https://cartermatt.com/citadel-season-2-premiere-date-prime-video/)"
    )
    published = int(datetime(2023, 5, 26, 22, 0, tzinfo=UTC).timestamp())
    assert card["Last updated"] == f"<t:{published}:R>"
    # What the user typed reached the bot as Discord sends it.
    request = interaction_request(fake, result)
    assert request["data"] == {
        "id": request["data"]["id"],
        "name": "when",
        "type": 1,
        "options": [{"name": "show", "type": 3, "value": "citadel"}],
        "guild_id": str(world.guild.id),
    }
    # The transcript script (python -m tests.discord.transcript) renders the same case.
    text = transcript(fake, case)
    assert "== alice typed: /when show:citadel ==" in text
    assert "│   **Renewed** · official" in text


async def test_seed_case_from_the_whole_article_keeps_the_window(
    fake: FakeDiscord, desk: NewsDesk, app: CliffhangerBot
) -> None:
    case = await run_seed_case(fake, desk, summary=seed_article())
    (embed,) = case.answer.embeds
    assert "late 2024 or even early 2025" in fields(embed)["Season 2"]


async def test_premiere_date_is_shown_as_discord_timestamps(
    fake: FakeDiscord, desk: NewsDesk, app: CliffhangerBot
) -> None:
    await desk.follow(
        "/deadline",
        "Deadline",
        Story("Apple TV+ Renews 'Severance' for Season 3"),
        Story("Severance Season 3 Premiere Date Set for June 20"),
    )
    result = await fake.invoke("when", {"show": "severance"})
    (embed,) = result.embeds
    assert embed["title"] == "Severance · Apple TV+"
    status, premiere = fields(embed)["Season 3"].split("\n")
    assert status == "**Renewed** · official"
    day = date(2024, 6, 20)
    assert premiere == f"Premiere: {stamp(day, 'D')} ({stamp(day, 'R')}) · official"
    assert re.fullmatch(
        r"\[Deadline\]\(https://news\.example\.com/story-\d+/\)", fields(embed)["Sources"]
    )


async def test_a_known_show_without_news_says_so(fake: FakeDiscord, app: CliffhangerBot) -> None:
    result = await fake.invoke("when", {"show": "Slow Horses"})
    (embed,) = result.embeds
    assert embed["title"] == "Slow Horses · Apple TV+"
    assert "Nothing is known yet" in str(embed["description"])


async def test_ambiguous_input_gets_did_you_mean(fake: FakeDiscord, app: CliffhangerBot) -> None:
    result = await fake.invoke("when", {"show": "sev"})
    assert result.ephemeral
    assert result.content.startswith("I'm not sure which show you mean by “sev”. Did you mean")
    assert "**Severance**" in result.content


async def test_unknown_show_gets_a_friendly_answer(fake: FakeDiscord, app: CliffhangerBot) -> None:
    result = await fake.invoke("when", {"show": "Zorblax Quintessence"})
    assert result.ephemeral
    assert "I don't know a show called “Zorblax Quintessence” yet" in result.content
    assert "`/watch`" in result.content


async def test_any_member_may_ask(
    fake: FakeDiscord, world: StandardWorld, app: CliffhangerBot
) -> None:
    result = await fake.invoke("when", {"show": "citadel"}, user=world.member)
    assert result.embeds[0]["title"] == "Citadel · Prime Video"


async def test_autocomplete_offers_matching_shows(
    fake: FakeDiscord, world: StandardWorld, app: CliffhangerBot
) -> None:
    choices = await fake.autocomplete("when", "show", "cit", user=world.member)
    names = [choice["name"] for choice in choices]
    assert names[:3] == ["Citadel", "Citadel: Diana", "Citadel: Honey Bunny"]
    assert all(choice["value"] == choice["name"] for choice in choices)
    assert len(choices) <= 25
    everything = await fake.autocomplete("when", "show", "")
    assert len(everything) == 25  # Discord's limit
