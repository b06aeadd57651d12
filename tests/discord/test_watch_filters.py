"""What a watch alerts on: `/watch alerts:` (everything, status news only, dates only) and
`certainty:` (official only, official and reported), applied when alerts are queued and
shown by /watchlist."""

from __future__ import annotations

from bot.client import CliffhangerBot
from bot.models import AlertFilter, CertaintyFilter
from bot.services import Services
from tests.discord.product import NewsDesk, Story, deliveries_to, eventually, watches_of
from tests.fake_discord import FakeDiscord
from tests.fake_discord.standard_world import StandardWorld

RENEWED = Story("Citadel Renewed for Season 2 at Prime Video")
DATED = Story("Citadel Season 2 Premiere Date Set for July 18")
REPORTED = Story(
    "Fallout Season 3 Reportedly in the Works Ahead of Season 2 Debut",
    "Prime Video is already planning a third trip to the wasteland, according to multiple "
    "insiders, though the streamer has yet to make anything official.",
)
OFFICIAL = Story("Andor Renewed for Season 3 at Disney+")


async def titles_in(fake: FakeDiscord, services: Services, channel_id: int) -> list[str]:
    """Wait until every queued alert to the channel is sent; their embed titles."""

    async def settled() -> bool:
        return all(d.status == "sent" for d in await deliveries_to(services, channel_id))

    await eventually(settled, what="alerts sent")
    return [m.embed_titles[0] for m in fake.messages(channel_id)]


async def test_status_only_and_dates_only_watches_split_the_news(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    status = await fake.invoke(
        "watch", {"show": "citadel", "channel": world.alerts, "alerts": "status"}
    )
    assert status.content == (
        f"Watching **Citadel**: alerts will be posted in <#{world.alerts.id}>. "
        "Alerting on status news only, official and reported."
    )
    await fake.invoke("watch", {"show": "citadel", "channel": world.general, "alerts": "dates"})
    everything = fake.add_text_channel(world.guild, "everything")
    await fake.sync_gateway()
    await fake.invoke("watch", {"show": "citadel", "channel": everything})
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWED)
    desk.clock.advance(hours=1)
    await desk.publish("/deadline", DATED)

    renewed, dated = "Citadel season 2 is happening", "Citadel season 2 premiere date"
    assert await titles_in(fake, services, world.alerts.id) == [renewed]
    assert await titles_in(fake, services, world.general.id) == [dated]
    assert await titles_in(fake, services, everything.id) == [renewed, dated]


async def test_official_only_drops_reported_news(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    for show in ("Fallout", "Andor"):
        await fake.invoke("watch", {"show": show, "channel": world.alerts, "certainty": "official"})
        await fake.invoke("watch", {"show": show, "channel": world.general})
    await desk.follow("/deadline", "Deadline")
    polled = await desk.publish("/deadline", REPORTED, OFFICIAL)
    assert sorted((a.show, a.certainty.value) for a in polled.announcements) == [
        ("Andor", "official"),
        ("Fallout", "reported"),
    ]

    assert await titles_in(fake, services, world.alerts.id) == ["Andor season 3 is happening"]
    assert sorted(await titles_in(fake, services, world.general.id)) == [
        "Andor season 3 is happening",
        "Fallout season 3 is happening",
    ]


async def test_watching_again_changes_only_the_filters_given_and_watchlist_shows_them(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    app: CliffhangerBot,
) -> None:
    await fake.invoke(
        "watch",
        {"show": "citadel", "channel": world.alerts, "alerts": "dates", "certainty": "official"},
    )
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts, "alerts": "status"})
    (watch,) = await watches_of(services, world.guild.id)
    assert (watch.alerts, watch.certainty) == (AlertFilter.STATUS, CertaintyFilter.OFFICIAL)

    listing = await fake.invoke("watchlist", user=world.member)
    assert str(listing.embeds[0]["description"]) == (
        f"**Citadel** → <#{world.alerts.id}> · status news only, official only · no news yet"
    )
