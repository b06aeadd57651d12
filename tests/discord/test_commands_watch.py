"""/watch, /unwatch and /watchlist: who may configure alerts, where, and what is stored."""

from __future__ import annotations

import pytest

from bot.client import CliffhangerBot
from bot.services import Services
from tests.discord.product import let_everyone_see, watches_of
from tests.fake_discord import FakeDiscord, InvocationError, Perm
from tests.fake_discord.standard_world import StandardWorld

MANAGE_SERVER_REFUSAL = "You need the **Manage Server** permission to use this command."


async def test_watch_a_show_in_a_channel_with_a_role(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    result = await fake.invoke(
        "watch",
        {"show": "citadel", "channel": world.alerts, "role": world.fans},
        user=world.moderator,
    )
    assert result.ephemeral
    assert result.content == (
        f"Watching **Citadel**: alerts will be posted in <#{world.alerts.id}>, "
        f"mentioning <@&{world.fans.id}>."
    )
    (watch,) = await watches_of(services, world.guild.id)
    assert (watch.show_name, watch.channel_id, watch.role_id, watch.created_by) == (
        "Citadel",
        world.alerts.id,
        world.fans.id,
        world.moderator.id,
    )
    # Nothing about configuration is posted where others can see it.
    assert fake.messages(world.general) == fake.messages(world.alerts) == []


async def test_watch_defaults_to_this_channel_and_watching_again_updates(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    first = await fake.invoke("watch", {"show": "Slow Horses"}, channel=world.alerts)
    assert (
        first.content == f"Watching **Slow Horses**: alerts will be posted in <#{world.alerts.id}>."
    )
    again = await fake.invoke(
        "watch", {"show": "slow horses", "role": world.fans}, channel=world.alerts
    )
    assert again.content == (
        f"Updated: alerts about **Slow Horses** go to <#{world.alerts.id}>, "
        f"mentioning <@&{world.fans.id}>."
    )
    (watch,) = await watches_of(services, world.guild.id)
    assert (watch.channel_id, watch.role_id) == (world.alerts.id, world.fans.id)


@pytest.mark.parametrize(
    ("denied", "named"),
    [
        (Perm.SEND_MESSAGES, "Send Messages"),
        (Perm.EMBED_LINKS, "Embed Links"),
        (Perm.VIEW_CHANNEL, "View Channel"),
    ],
)
async def test_watch_refuses_a_channel_the_bot_cannot_post_in(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    app: CliffhangerBot,
    denied: Perm,
    named: str,
) -> None:
    fake.set_bot_permissions(world.alerts, deny=denied)
    await fake.sync_gateway()
    result = await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    assert result.ephemeral
    assert result.content.startswith(f"I can't post alerts in <#{world.alerts.id}>: I'm missing **")
    missing = result.content.split("**")[1].split(", ")
    assert named in missing
    assert "Embed Links" in missing  # no posting, no embeds: each gap is named
    assert await watches_of(services, world.guild.id) == []


async def test_watching_an_unknown_show_adds_it_to_the_catalogue(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    assert services.known.index.lookup("Zorblax Quintessence").show is None
    result = await fake.invoke("watch", {"show": "Zorblax  Quintessence", "channel": world.alerts})
    assert result.content == (
        f"Watching **Zorblax Quintessence**: alerts will be posted in <#{world.alerts.id}>. "
        "It's new to me, so I'll look out for its news from now on."
    )
    learned = services.known.catalogue.get("Zorblax Quintessence")
    assert learned is not None and learned.id is not None
    async with services.store.read() as tx:
        assert await tx.shows.find("Zorblax Quintessence") is not None
    choices = await fake.autocomplete("when", "show", "zorbl")
    assert choices[0]["name"] == "Zorblax Quintessence"
    card = await fake.invoke("when", {"show": "zorblax quintessence"})
    assert card.embeds[0]["title"] == "Zorblax Quintessence"


async def test_a_new_show_with_a_known_near_name_is_watched_when_the_user_says_so(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    # A new show whose name shares words with known ones: without new_show, a question...
    asked = await fake.invoke("watch", {"show": "Crystal Harbour", "channel": world.alerts})
    assert "Did you mean" in asked.content
    assert asked.content.endswith("If it's a new show, run `/watch` again with `new_show: True`.")
    assert await watches_of(services, world.guild.id) == []
    # ...and with it, the name as typed is watched and learned.
    result = await fake.invoke(
        "watch", {"show": "Crystal Harbour", "channel": world.alerts, "new_show": True}
    )
    assert result.content.startswith("Watching **Crystal Harbour**")
    assert "It's new to me" in result.content
    assert services.known.catalogue.get("Crystal Harbour") is not None
    # A known show's own name stays that show, new_show or not.
    again = await fake.invoke(
        "watch", {"show": "severance", "channel": world.alerts, "new_show": True}
    )
    assert again.content.startswith("Watching **Severance**")
    assert "new to me" not in again.content


async def test_an_ambiguous_show_is_not_guessed(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    result = await fake.invoke("watch", {"show": "sev", "channel": world.alerts})
    assert result.ephemeral
    assert "Did you mean" in result.content and "**Severance**" in result.content
    assert await watches_of(services, world.guild.id) == []


async def test_watch_will_not_ping_everyone(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    result = await fake.invoke(
        "watch", {"show": "citadel", "channel": world.alerts, "role": world.guild.everyone}
    )
    assert result.content.startswith("I won't ping @everyone.")
    assert await watches_of(services, world.guild.id) == []


@pytest.mark.parametrize("command", ["watch", "unwatch"])
async def test_discord_hides_configuration_from_members_without_manage_server(
    fake: FakeDiscord, world: StandardWorld, app: CliffhangerBot, command: str
) -> None:
    registered = fake.commands.lookup(command, world.guild.id)
    assert registered is not None
    assert int(str(registered["default_member_permissions"])) == Perm.MANAGE_GUILD
    with pytest.raises(InvocationError):
        await fake.invoke(command, {"show": "citadel"}, user=world.member)


@pytest.mark.parametrize("command", ["watch", "unwatch"])
async def test_member_without_manage_server_is_refused_even_if_shown_the_command(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    app: CliffhangerBot,
    command: str,
) -> None:
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    let_everyone_see(fake, world.guild.id, command)
    result = await fake.invoke(command, {"show": "citadel"}, user=world.member)
    assert result.ephemeral
    assert result.content == MANAGE_SERVER_REFUSAL
    (watch,) = await watches_of(services, world.guild.id)
    assert watch.created_by == world.guild_owner.id  # untouched


async def test_unwatch_in_one_channel_then_everywhere(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    for channel in (world.alerts, world.general):
        await fake.invoke("watch", {"show": "citadel", "channel": channel}, user=world.moderator)
    one = await fake.invoke(
        "unwatch", {"show": "citadel", "channel": world.general}, user=world.moderator
    )
    assert one.ephemeral
    assert one.content == f"Stopped alerts about **Citadel** in <#{world.general.id}>."
    assert [w.channel_id for w in await watches_of(services, world.guild.id)] == [world.alerts.id]
    rest = await fake.invoke("unwatch", {"show": "Citadel"}, user=world.moderator)
    assert rest.content == "Stopped alerts about **Citadel**."
    assert await watches_of(services, world.guild.id) == []
    again = await fake.invoke("unwatch", {"show": "Citadel"}, user=world.moderator)
    assert again.content == "**Citadel** wasn't watched. See `/watchlist`."


async def test_unwatch_an_unknown_show(fake: FakeDiscord, app: CliffhangerBot) -> None:
    result = await fake.invoke("unwatch", {"show": "Zorblax Quintessence"})
    assert result.ephemeral
    assert "I don't know a show called “Zorblax Quintessence”" in result.content


async def test_watchlist_lists_this_servers_watches(
    fake: FakeDiscord, world: StandardWorld, app: CliffhangerBot
) -> None:
    empty = await fake.invoke("watchlist", user=world.member)
    assert empty.ephemeral
    assert empty.embeds[0]["description"] == "Nothing yet. Add a show with `/watch`."

    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts, "role": world.fans})
    await fake.invoke("watch", {"show": "Andor", "channel": world.general})
    result = await fake.invoke("watchlist", user=world.member)
    assert result.ephemeral
    (embed,) = result.embeds
    assert embed["title"] == "Watched in Cliffhanger Test Server"
    assert str(embed["description"]).split("\n") == [
        f"**Andor** → <#{world.general.id}> · everything, official and reported · no news yet",
        f"**Citadel** → <#{world.alerts.id}> (pings <@&{world.fans.id}>) · everything, "
        "official and reported · no news yet",
    ]


async def test_watch_and_unwatch_autocomplete(
    fake: FakeDiscord, world: StandardWorld, app: CliffhangerBot
) -> None:
    for command in ("watch", "unwatch"):
        choices = await fake.autocomplete(command, "show", "slow h", user=world.moderator)
        assert choices[0] == {"name": "Slow Horses", "value": "Slow Horses"}
