"""/settings: each server's timezone, reminder and digest hours and log channel, set by
members with Manage Server, answered privately, stored with the defaults kept apart."""

from __future__ import annotations

import pytest

from bot.client import CliffhangerBot
from bot.server_settings import ServerDefaults, server_settings
from bot.services import Services
from tests.discord.product import let_everyone_see
from tests.fake_discord import FakeDiscord, InvocationError, Perm
from tests.fake_discord.standard_world import StandardWorld


def fields(result_embed: dict[str, object]) -> dict[str, str]:
    return {str(f["name"]): str(f["value"]) for f in result_embed["fields"]}  # type: ignore[attr-defined]


async def stored(services: Services, guild_id: int) -> tuple[object, ...]:
    settings = await server_settings(
        services.store, ServerDefaults.from_settings(services.settings), guild_id
    )
    return (
        settings.timezone,
        settings.reminder_hour,
        settings.digest_hour,
        settings.log_channel_id,
        settings.chosen,
    )


async def test_show_lists_the_defaults_of_a_server_that_set_nothing(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    result = await fake.invoke("settings show", user=world.moderator)
    assert result.ephemeral
    (embed,) = result.embeds
    assert embed["title"] == "Settings of Cliffhanger Test Server"
    assert fields(embed) == {
        "Timezone": "UTC (default)",
        "Premiere reminders": "14:00 server time (default)",  # REMINDER_HOUR_UTC
        "Daily digest": "18:00 server time (default)",
        "Log channel": "none (default)",
    }


async def test_each_setting_is_stored_and_shown(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    zone = await fake.invoke("settings timezone", {"timezone": "europe/berlin"})
    assert zone.ephemeral
    assert zone.content == (
        "This server now runs on **Europe/Berlin** time: reminders at 14:00 and digests at 18:00."
    )
    hour = await fake.invoke("settings reminder-hour", {"hour": 9})
    assert hour.content.startswith("Premiere reminders will be posted at **09:00** (Europe/Berlin)")
    digest = await fake.invoke("settings digest-hour", {"hour": 20})
    assert digest.content.startswith("Digests will be posted at **20:00** (Europe/Berlin)")
    log = await fake.invoke("settings log-channel", {"channel": world.general})
    assert log.content.startswith(f"I'll report problems in <#{world.general.id}>")
    assert all(r.ephemeral for r in (hour, digest, log))

    assert await stored(services, world.guild.id) == (
        "Europe/Berlin",
        9,
        20,
        world.general.id,
        frozenset({"timezone", "reminder_hour", "digest_hour", "log_channel_id"}),
    )
    (embed,) = (await fake.invoke("settings show")).embeds
    assert fields(embed) == {
        "Timezone": "Europe/Berlin",
        "Premiere reminders": "09:00 server time",
        "Daily digest": "20:00 server time",
        "Log channel": f"<#{world.general.id}>",
    }
    cleared = await fake.invoke("settings log-channel")
    assert cleared.content == "I won't report problems in a channel any more."
    assert (await stored(services, world.guild.id))[3] is None
    assert fake.messages(world.general) == []  # nothing about settings is public


async def test_timezones_are_autocompleted_from_the_iana_database(
    fake: FakeDiscord, world: StandardWorld, app: CliffhangerBot
) -> None:
    berlin = await fake.autocomplete("settings timezone", "timezone", "berl")
    assert berlin[0] == {"name": "Europe/Berlin", "value": "Europe/Berlin"}
    new_york = await fake.autocomplete("settings timezone", "timezone", "new york")
    assert new_york[0]["value"] == "America/New_York"
    america = await fake.autocomplete("settings timezone", "timezone", "America/")
    assert len(america) == 25 and all(c["value"].startswith("America/") for c in america)
    assert await fake.autocomplete("settings timezone", "timezone", "zzzz") == []


async def test_an_unknown_timezone_is_refused_and_nothing_changes(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    before = await stored(services, world.guild.id)
    result = await fake.invoke("settings timezone", {"timezone": "Mars/Olympus_Mons"})
    assert result.ephemeral
    assert result.content == (
        "“Mars/Olympus_Mons” is not a timezone I know. Pick one from the list, such as "
        "Europe/Berlin or America/Los_Angeles."
    )
    assert await stored(services, world.guild.id) == before


async def test_a_log_channel_the_bot_cannot_post_in_is_refused(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    fake.set_bot_permissions(world.general, deny=Perm.SEND_MESSAGES)
    await fake.sync_gateway()
    result = await fake.invoke("settings log-channel", {"channel": world.general})
    assert result.content.startswith(
        f"I can't post in <#{world.general.id}>: I'm missing **Send Messages** there."
    )
    assert (await stored(services, world.guild.id))[3] is None


async def test_settings_are_hidden_from_members_without_manage_server(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    with pytest.raises(InvocationError):
        await fake.invoke("settings show", user=world.member)
    let_everyone_see(fake, world.guild.id, "settings")
    result = await fake.invoke("settings timezone", {"timezone": "UTC"}, user=world.member)
    assert result.content == "You need the **Manage Server** permission to use this command."
    assert (await stored(services, world.guild.id))[4] == frozenset()
