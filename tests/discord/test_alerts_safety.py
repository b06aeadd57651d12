"""What feed text cannot do to a server, and channels that refuse alerts."""

from __future__ import annotations

import re

import pytest

from bot.client import CliffhangerBot
from bot.services import Services
from tests.discord.product import (
    NewsDesk,
    Story,
    deliveries_to,
    eventually,
    pinged_roles,
    watches_of,
)
from tests.fake_discord import FakeDiscord, Perm
from tests.fake_discord.standard_world import StandardWorld


async def wait_for_status(services: Services, channel_id: int, statuses: list[str]) -> None:
    async def reached() -> bool:
        rows = await deliveries_to(services, channel_id)
        return [row.status for row in rows] == statuses

    await eventually(reached, what=f"deliveries {statuses}")


async def test_feed_text_pings_nobody_and_renders_escaped(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts, "role": world.fans})
    await desk.follow("/loud", "**Loud** @everyone News")
    hostile = (
        f"@everyone @here Citadel Renewed for Season 2 at Prime Video **bold** "
        f"<@{world.member.id}> <@&{world.moderators.id}> <@&{world.fans.id}> __under__"
    )
    lede = "Prime Video has renewed the spy drama Citadel for a second season."
    await desk.publish("/loud", Story(hostile, summary=lede, link="https://loud.example/citadel"))
    (message,) = await fake.wait_for_messages(world.alerts, 1)

    # Only the watch's own role is mentioned and pinged; nothing else could be.
    assert message.content == f"<@&{world.fans.id}>"
    assert message.allowed_mentions == {"parse": [], "roles": [world.fans.id]}
    assert pinged_roles(message) == [world.fans.id]
    assert message.pinged_user_ids() == []
    assert not message.pings_everyone
    # The headline and the outlet are shown, escaped: no mention, no Markdown survives.
    text = message.text()
    for raw in (
        "@everyone",
        "@here",
        f"<@{world.member.id}>",
        f"<@&{world.moderators.id}>",
        "**bold**",
        "**Loud**",
        "__under__",
    ):
        assert raw not in text.replace(message.content, "", 1), raw
    source = {str(f["name"]): str(f["value"]) for f in message.embeds[0]["fields"]}["Source"]
    assert source == (
        "[\\*\\*Loud\\*\\* @\u200beveryone News](https://loud.example/citadel): "
        "@\u200beveryone @\u200bhere Citadel Renewed for Season 2 at Prime Video "
        f"\\*\\*bold\\*\\* <@\u200b{world.member.id}> <@\u200b&{world.moderators.id}> "
        f"<@\u200b&{world.fans.id}> \\_\\_under\\_\\_"
    )


HOSTILE_LINK = "https://loud.example/citadel?y=)[a](https://evil.example/)"
ENCODED_LINK = "https://loud.example/citadel?y=%29%5Ba%5D%28https://evil.example/%29"


def _masked_links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)]*)\)", text)


async def test_a_link_from_a_feed_makes_one_masked_link_and_no_other(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await desk.follow("/loud", "Loud News")
    story = Story("Citadel Renewed for Season 2 at Prime Video", link=HOSTILE_LINK)
    await desk.publish("/loud", story)
    (message,) = await fake.wait_for_messages(world.alerts, 1)
    (embed,) = message.embeds
    source = {str(f["name"]): str(f["value"]) for f in embed["fields"]}["Source"]
    assert _masked_links(source) == [ENCODED_LINK]
    assert embed["url"] == ENCODED_LINK
    # /when lists the same source, with the same single link.
    answer = await fake.invoke("when", {"show": "citadel"})
    sources = {str(f["name"]): str(f["value"]) for f in answer.embeds[0]["fields"]}["Sources"]
    assert sources == f"[Loud News]({ENCODED_LINK})"


async def test_a_show_name_from_outside_is_escaped_in_the_alert(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    # A show new to the bot (the catalogue's near names make /watch ask without new_show).
    await fake.invoke(
        "watch", {"show": "M*A*S*H Reunion", "channel": world.alerts, "new_show": True}
    )
    await desk.follow("/tvline", "TVLine")
    await desk.publish("/tvline", Story("‘M*A*S*H Reunion’ Renewed for Season 2 at Netflix"))
    (message,) = await fake.wait_for_messages(world.alerts, 1)
    (embed,) = message.embeds
    assert embed["title"] == "M\\*A\\*S\\*H Reunion season 2 is happening"
    assert embed["description"] == "M\\*A\\*S\\*H Reunion has been renewed on Netflix."


@pytest.mark.parametrize(
    ("break_channel", "reason"),
    [
        ("delete", "the channel was deleted (404: Unknown Channel)"),
        ("deny_send", "I lost permission to post there (403: Missing Permissions)"),
        ("deny_embeds", "I lost permission to post there (403: Missing Permissions)"),
        ("hide", "I lost permission to post there (403: Missing Access)"),
    ],
)
async def test_a_channel_that_refuses_alerts_disables_its_watch_with_the_reason(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
    break_channel: str,
    reason: str,
) -> None:
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts, "role": world.fans})
    await fake.invoke("watch", {"show": "citadel", "channel": world.general})
    await desk.follow("/deadline", "Deadline")
    if break_channel == "delete":
        fake.delete_channel(world.alerts)
    else:
        denied = {
            "deny_send": Perm.SEND_MESSAGES,
            "deny_embeds": Perm.EMBED_LINKS,
            "hide": Perm.VIEW_CHANNEL,
        }[break_channel]
        fake.set_bot_permissions(world.alerts, deny=denied)
    await fake.sync_gateway()

    await desk.publish("/deadline", Story("Citadel Renewed for Season 2 at Prime Video"))
    await wait_for_status(services, world.alerts.id, ["failed"])
    await wait_for_status(services, world.general.id, ["sent"])  # other channels unaffected

    watches = {w.channel_id: w for w in await watches_of(services, world.guild.id)}
    assert watches[world.alerts.id].disabled_reason == reason
    assert watches[world.general.id].disabled_reason is None
    listing = await fake.invoke("watchlist")
    rows = str(listing.embeds[0]["description"]).split("\n")
    assert f"  ⚠️ paused: {reason}. Fix it, then `/watch` again." in rows

    # No endless retries: later news is not even queued for the disabled watch.
    desk.clock.advance(hours=1)
    await desk.publish("/deadline", Story("Citadel Season 2 Premiere Date Set for July 18"))
    await wait_for_status(services, world.general.id, ["sent", "sent"])
    assert [d.status for d in await deliveries_to(services, world.alerts.id)] == ["failed"]
    assert len(fake.requests(f"POST /channels/{world.alerts.id}/messages")) == 1
    assert fake.messages(world.alerts) == []


async def test_watching_again_after_fixing_the_channel_resumes_alerts(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await desk.follow("/deadline", "Deadline")
    fake.set_bot_permissions(world.alerts, deny=Perm.SEND_MESSAGES)
    await desk.publish("/deadline", Story("Citadel Renewed for Season 2 at Prime Video"))
    await wait_for_status(services, world.alerts.id, ["failed"])

    fake.set_bot_permissions(world.alerts)  # the admin fixes the channel
    await fake.sync_gateway()
    again = await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    assert again.content.startswith("Updated: alerts about **Citadel**")
    (watch,) = await watches_of(services, world.guild.id)
    assert watch.disabled_reason is None

    desk.clock.advance(hours=1)
    await desk.publish("/deadline", Story("Citadel Season 2 Premiere Date Set for July 18"))
    await wait_for_status(services, world.alerts.id, ["failed", "sent"])
    (message,) = fake.messages(world.alerts)
    assert message.embed_titles == ["Citadel season 2 premiere date"]
