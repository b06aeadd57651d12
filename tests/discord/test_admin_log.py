"""The admin log: when a watch is disabled (a 403, a deleted channel), alerts keep failing,
or a feed is disabled, one message in the server's log channel says what broke and how to
fix it, at most once per cause per day; servers without a log channel hear nothing."""

from __future__ import annotations

from bot.client import CliffhangerBot
from bot.services import Services
from tests.discord.product import NewsDesk, Story, deliveries_to, eventually, pinged_roles
from tests.discord.test_alerts_delivery import take_over_delivery
from tests.fake_discord import FakeDiscord, Perm, RecordedMessage
from tests.fake_discord.standard_world import StandardWorld
from tests.feeds.feed_server import FeedServer

FIX = (
    "give me **View Channel**, **Send Messages** and **Embed Links** there "
    "(and **Send Messages in Threads** for a forum or thread)"
)


async def logged(
    fake: FakeDiscord, services: Services, world: StandardWorld, count: int
) -> list[RecordedMessage]:
    """Wait until the log channel (#general) has `count` messages and nothing is queued."""

    async def settled() -> bool:
        async with services.store.read() as tx:
            queued = await tx.notices.for_guild(world.guild.id)
        return len(fake.messages(world.general)) >= count and all(
            n.status == "sent" for n in queued
        )

    await eventually(settled, what=f"{count} log messages")
    return fake.messages(world.general)


async def test_a_403_disables_the_watches_and_is_logged_once_a_day(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("settings log-channel", {"channel": world.general})
    for show in ("citadel", "Andor"):
        await fake.invoke("watch", {"show": show, "channel": world.alerts, "role": world.fans})
    await desk.follow("/deadline", "Deadline")
    fake.set_bot_permissions(world.alerts, deny=Perm.SEND_MESSAGES)
    await fake.sync_gateway()

    await desk.publish("/deadline", Story("Citadel Renewed for Season 2 at Prime Video"))
    (message,) = await logged(fake, services, world, 1)
    assert message.content == (
        f"⚠️ I stopped posting alerts about **Andor** and **Citadel** in <#{world.alerts.id}>: "
        "I lost permission to post there (403: Missing Permissions). "
        f"To fix it, {FIX}, then run `/watch` again for each show."
    )
    assert pinged_roles(message) == [] and not message.pings_everyone
    assert [r.status for r in fake.requests(f"POST /channels/{world.alerts.id}/messages")] == [403]

    # The admin re-watches without fixing the channel: refused again, not logged again today.
    fake.set_bot_permissions(world.alerts)
    await fake.sync_gateway()
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    fake.set_bot_permissions(world.alerts, deny=Perm.SEND_MESSAGES)
    await fake.sync_gateway()
    desk.clock.advance(hours=1)
    await desk.publish("/deadline", Story("Citadel Season 2 Premiere Date Set for July 18"))

    async def refused_twice() -> bool:
        rows = await deliveries_to(services, world.alerts.id)
        return [row.status for row in rows] == ["failed", "failed"]

    await eventually(refused_twice, what="the second alert refused")
    assert len(await logged(fake, services, world, 1)) == 1

    # The next day the same problem is news again.
    fake.set_bot_permissions(world.alerts)
    await fake.sync_gateway()
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    fake.set_bot_permissions(world.alerts, deny=Perm.SEND_MESSAGES)
    await fake.sync_gateway()
    desk.clock.advance(days=1)
    moved = Story(
        "Citadel Season 2 Premiere Date Moved to July 25",
        "Prime Video has pushed the Citadel season 2 premiere back a week, to July 25.",
    )
    await desk.publish("/deadline", moved)
    assert len(await logged(fake, services, world, 2)) == 2


async def test_a_deleted_channel_is_logged_with_its_fix(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("settings log-channel", {"channel": world.general})
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await desk.follow("/deadline", "Deadline")
    fake.delete_channel(world.alerts)
    await desk.publish("/deadline", Story("Citadel Renewed for Season 2 at Prime Video"))
    (message,) = await logged(fake, services, world, 1)
    assert message.content == (
        f"⚠️ I stopped posting alerts about **Citadel** in <#{world.alerts.id}>: the channel "
        "was deleted (404: Unknown Channel). To fix it, pick another channel with `/watch`."
    )


async def test_alerts_that_keep_failing_are_logged_once(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    worker = await take_over_delivery(app)
    await fake.invoke("settings log-channel", {"channel": world.general})
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", Story("Citadel Renewed for Season 2 at Prime Video"))
    fake.fail_next(f"POST /channels/{world.alerts.id}/messages", status=503, times=5)

    for attempt in range(1, 6):
        assert await worker.run_once() == 0
        posted = fake.messages(world.general)
        assert len(posted) == (0 if attempt < 3 else 1), attempt  # from the third failure on
        desk.clock.advance(hours=2)
    assert posted[0].content == (
        f"⚠️ Alerts keep failing to <#{world.alerts.id}> (about **Citadel**): Discord answered "
        f"503: 503: Service Unavailable. If this goes on, check that I may post there ({FIX}) "
        "and whether Discord is having trouble (<https://discordstatus.com>)."
    )
    assert await worker.run_once() == 1  # the sixth attempt gets through
    assert [m.embed_titles for m in fake.messages(world.alerts)] == [
        ["Citadel season 2 is happening"]
    ]


async def test_a_disabled_feed_is_logged_where_there_is_a_log_channel(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    feed_server: FeedServer,
    app: CliffhangerBot,
) -> None:
    other = fake.add_guild("No Log Here")
    fake.add_text_channel(other, "general")
    await fake.invoke("settings log-channel", {"channel": world.general})
    feed = await desk.follow("/deadline", "Deadline")
    feed_server.status("/deadline", 410)
    result = await desk.poll("/deadline")
    assert result.outcome == "disabled"

    (message,) = await logged(fake, services, world, 1)
    assert message.content.startswith(
        f"⚠️ I stopped reading the **Deadline** feed (<{feed.url}>): the publisher removed the feed"
    )
    assert message.content.endswith(
        "Its news won't reach your alerts until the bot's owner enables it again "
        "(`/feeds enable`) or replaces it (`/feeds list`)."
    )
    async with services.store.read() as tx:
        assert await tx.notices.for_guild(other.id) == []
    desk.clock.advance(hours=1)
    assert (await desk.poll("/deadline")).outcome == "disabled"  # still disabled: no new log
    assert len(await logged(fake, services, world, 1)) == 1
