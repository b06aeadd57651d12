"""/feeds (the bot owner's) and /status (anyone's), on the real runtime and feed server."""

from __future__ import annotations

import pytest

from bot.client import CliffhangerBot
from bot.records import FeedRecord
from bot.runtime import FeedRuntime
from bot.services import Services
from cogs.checks import NOT_OWNER_MESSAGE
from tests.discord.product import NewsDesk, Story, eventually, rss
from tests.fake_discord import FakeDiscord
from tests.fake_discord.standard_world import StandardWorld
from tests.feeds.feed_server import FeedServer


async def feed_at(services: Services, url: str) -> FeedRecord | None:
    async with services.store.read() as tx:
        return await tx.feeds.by_url(url)


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("feeds list", {}),
        ("feeds add", {"url": "https://deadline.com/feed/"}),
        ("feeds remove", {"url": "https://deadline.com/feed/"}),
        ("feeds enable", {"url": "https://deadline.com/feed/"}),
    ],
)
async def test_feeds_commands_refuse_anyone_but_the_bot_owner(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    app: CliffhangerBot,
    command: str,
    options: dict[str, str],
) -> None:
    # The server's owner and its moderators are not the bot's owner.
    for user in (world.member, world.moderator, world.guild_owner):
        result = await fake.invoke(command, options, user=user)
        assert result.ephemeral
        assert result.content == NOT_OWNER_MESSAGE
    async with services.store.read() as tx:
        assert await tx.feeds.list() == []


async def test_owner_adds_a_feed_and_it_is_scheduled_and_read_at_once(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    feed_server: FeedServer,
    app: CliffhangerBot,
) -> None:
    feed_server.feed("/variety", rss("Variety", []))
    url = feed_server.url("/variety")
    result = await fake.invoke("feeds add", {"url": url}, user=world.app_owner)
    assert result.ephemeral
    assert result.content == f"Following **{url}** (<{url}>). I'll read it shortly."
    feed = await feed_at(services, url)
    assert feed is not None
    assert runtime.schedule.scheduled() == {feed.id}

    async def read_once() -> bool:
        found = await feed_at(services, url)
        return found is not None and found.initialised

    await eventually(read_once, what="the new feed's first poll")
    assert len(feed_server.requests_to("/variety")) == 1

    again = await fake.invoke("feeds add", {"url": url}, user=world.app_owner)
    assert again.content == "I already follow that feed. See `/feeds list`."


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:9/feed", "loopback"),
        ("http://10.0.0.8/rss", "private"),
        ("ftp://deadline.com/feed", "only http:// and https://"),
        ("https://user:secret@deadline.com/feed", "user name or password"),
    ],
)
async def test_owner_is_told_why_a_feed_is_refused(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    app: CliffhangerBot,
    url: str,
    why: str,
) -> None:
    result = await fake.invoke("feeds add", {"url": url}, user=world.app_owner)
    assert result.ephemeral
    assert result.content.startswith("I can't follow that: ")
    assert why in result.content
    assert result.content.endswith("Check the address and try again.")
    assert await feed_at(services, url) is None


async def test_owner_lists_and_removes_feeds(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    feed_server: FeedServer,
    app: CliffhangerBot,
) -> None:
    empty = await fake.invoke("feeds list", user=world.app_owner)
    assert empty.embeds[0]["description"] == "No feeds yet. Add one with `/feeds add`."

    await desk.follow("/tvline", "TVLine", Story("Andor Season 2 Premiere Date Set for August 15"))
    url = feed_server.url("/tvline")
    listing = await fake.invoke("feeds list", user=world.app_owner)
    assert listing.ephemeral
    (embed,) = listing.embeds
    assert embed["title"] == "1 feeds"
    read_at = int(desk.clock().timestamp())  # 2024-06-02 12:00 UTC, as each reader's time
    assert embed["description"] == f"TVLine <{url}>: ok, last read <t:{read_at}:R>"

    removed = await fake.invoke("feeds remove", {"url": url}, user=world.app_owner)
    assert removed.ephemeral
    assert removed.content == f"Stopped following <{url}>; its entries were forgotten."
    assert await feed_at(services, url) is None
    unknown = await fake.invoke("feeds remove", {"url": url}, user=world.app_owner)
    assert unknown.content == "I don't follow that address. Copy it from `/feeds list`."


async def test_owner_enables_a_disabled_feed_and_it_is_read_again(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    feed_server: FeedServer,
    app: CliffhangerBot,
) -> None:
    feed_server.status("/tvline", 410)
    async with services.store.transaction() as tx:
        feed = await tx.feeds.add(feed_server.url("/tvline"), outlet="TVLine")
    assert (await runtime.poller.poll_feed(feed.id)).outcome == "disabled"
    runtime.schedule.remove(feed.id)
    feed_server.feed("/tvline", rss("TVLine", []))  # the publisher put it back

    result = await fake.invoke("feeds enable", {"url": feed.url}, user=world.app_owner)
    assert result.ephemeral
    assert result.content == f"Enabled **TVLine** (<{feed.url}>) again. I'll read it shortly."
    assert runtime.schedule.scheduled() == {feed.id}

    async def read_again() -> bool:
        found = await feed_at(services, feed.url)
        return found is not None and found.status == "ok" and found.initialised

    await eventually(read_again, what="the enabled feed's poll")
    unknown = await fake.invoke(
        "feeds enable", {"url": "https://nowhere.example/"}, user=world.app_owner
    )
    assert unknown.content == "I don't follow that address. Copy it from `/feeds list`."


async def test_status_shows_feed_health_last_poll_and_pending_alerts(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    feed_server: FeedServer,
    app: CliffhangerBot,
) -> None:
    await app.remove_cog("AlertDelivery")  # alerts stay in the outbox
    await fake.invoke("watch", {"show": "Andor", "channel": world.alerts})
    await desk.follow("/tvline", "TVLine")
    feed_server.status("/down", 500)
    feed_server.status("/gone", 410)
    async with services.store.transaction() as tx:
        down = await tx.feeds.add(feed_server.url("/down"), outlet="Down Daily")
        gone = await tx.feeds.add(feed_server.url("/gone"), outlet="Gone Gazette")
    desk.clock.advance(minutes=5)
    for feed in (down, gone):
        await runtime.poller.poll_feed(feed.id, force=True)
    await desk.publish("/tvline", Story("Andor Renewed for Season 3 at Disney+"))

    result = await fake.invoke("status", user=world.member)
    assert not result.ephemeral
    (embed,) = result.embeds
    status = {str(f["name"]): str(f["value"]) for f in embed["fields"]}
    last_poll = int(desk.clock().timestamp())
    assert status["Feeds"] == "1 ok · 1 failing · 1 disabled"
    assert status["Last poll"] == f"<t:{last_poll}:R>"
    assert status["Alerts waiting"] == "1"
    assert status["Shows known"] == str(len(services.known))
    attention = status["Needs attention"].split("\n")
    assert attention[0].startswith(f"Gone Gazette <{feed_server.url('/gone')}>: disabled — ")
    assert attention[1].startswith(f"Down Daily <{feed_server.url('/down')}>: failing (1 in a row)")


async def test_status_before_any_poll(fake: FakeDiscord, app: CliffhangerBot) -> None:
    result = await fake.invoke("status")
    status = {str(f["name"]): str(f["value"]) for f in result.embeds[0]["fields"]}
    assert status["Feeds"] == "0 ok · 0 failing · 0 disabled"
    assert status["Last poll"] == "not yet"
    assert status["Alerts waiting"] == "0"
    assert status["Alerts failed"] == "0"


async def test_status_counts_alerts_that_could_not_be_delivered(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await app.remove_cog("AlertDelivery")  # alerts stay in the outbox until failed below
    await fake.invoke("watch", {"show": "Andor", "channel": world.alerts})
    await desk.follow("/tvline", "TVLine")
    await desk.publish("/tvline", Story("Andor Renewed for Season 3 at Disney+"))
    async with services.store.transaction() as tx:
        assert await tx.outbox.fail_pending_for_channel(world.alerts.id, "channel deleted") == 1
    result = await fake.invoke("status", user=world.member)
    status = {str(f["name"]): str(f["value"]) for f in result.embeds[0]["fields"]}
    assert (status["Alerts waiting"], status["Alerts failed"]) == ("0", "1")
