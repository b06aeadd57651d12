"""Digest mode: `/watch … mode:digest` holds a watch's alerts and posts them as one message
a day at the server's digest hour (its local time); a day with no news posts nothing; the
digest is delivered exactly once, like any alert."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.alerts.delivery import DeliveryWorker
from bot.client import CliffhangerBot
from bot.runtime import FeedRuntime
from bot.services import Services
from cogs.alerts import DiscordAlertSender
from tests.discord.product import (
    FakeClock,
    NewsDesk,
    Story,
    deliveries_to,
    eventually,
    pinged_roles,
    product_bot,
)
from tests.discord.test_alerts_delivery import (
    DiesBeforeMarking,
    ProcessDied,
    take_over_delivery,
)
from tests.discord.transcript import forum_and_digest
from tests.fake_discord import FakeDiscord, RecordedMessage
from tests.fake_discord.standard_world import StandardWorld

JUNE_2, JUNE_3 = date(2024, 6, 2), date(2024, 6, 3)


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def day_stamp(day: date) -> str:
    return f"<t:{int(utc(day, 12).timestamp())}:D>"


async def collect_at(runtime: FeedRuntime, clock: FakeClock, when: datetime) -> int:
    """Run the digest sweep as its job would at `when`."""
    clock.set(when)
    return await runtime.digests.run()


async def statuses(services: Services, channel_id: int) -> list[str]:
    return [d.status for d in await deliveries_to(services, channel_id)]


async def wait_for_digests(
    fake: FakeDiscord, services: Services, channel_id: int, count: int
) -> list[RecordedMessage]:
    async def posted() -> bool:
        return len(fake.messages(channel_id)) >= count and all(
            status == "sent" for status in await statuses(services, channel_id)
        )

    await eventually(posted, what=f"{count} digests")
    return fake.messages(channel_id)


async def watch_in_digest_mode(fake: FakeDiscord, world: StandardWorld) -> None:
    """Berlin (UTC+2 in June), digests at 19:00 = 17:00 UTC; two digest watches in
    #tv-alerts, and an instant one in #general."""
    await fake.invoke("settings timezone", {"timezone": "Europe/Berlin"})
    await fake.invoke("settings digest-hour", {"hour": 19})
    digest = await fake.invoke(
        "watch", {"show": "citadel", "channel": world.alerts, "role": world.fans, "mode": "digest"}
    )
    assert digest.content.endswith(
        "They come as one digest a day (see `/settings show` for the hour)."
    )
    await fake.invoke("watch", {"show": "Andor", "channel": world.alerts, "mode": "digest"})
    await fake.invoke("watch", {"show": "citadel", "channel": world.general})


async def test_a_day_with_news_gets_one_digest_at_the_servers_digest_hour(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await watch_in_digest_mode(fake, world)
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", Story("Citadel Renewed for Season 2 at Prime Video"))
    desk.clock.advance(hours=1)
    await desk.publish("/deadline", Story("Citadel Season 2 Premiere Date Set for July 18"))
    desk.clock.advance(hours=1)
    await desk.publish("/deadline", Story("Andor Renewed for Season 3 at Disney+"))
    await wait_for_digests(fake, services, world.general.id, 2)  # instant: at once
    assert await statuses(services, world.alerts.id) == ["held"] * 3
    assert fake.messages(world.alerts) == []

    assert await collect_at(runtime, desk.clock, utc(JUNE_2, 16, 45)) == 0  # 18:45 in Berlin
    assert await collect_at(runtime, desk.clock, utc(JUNE_2, 17)) == 1  # 19:00 in Berlin
    (digest,) = await wait_for_digests(fake, services, world.alerts.id, 1)
    assert pinged_roles(digest) == [world.fans.id]
    (embed,) = digest.embeds
    assert embed["title"] == "Your Cliffhanger digest: 3 updates"
    paragraphs = str(embed["description"]).split("\n\n")
    assert paragraphs[0] == f"TV news up to {day_stamp(JUNE_2)}:"
    assert [p.split("\n")[0] for p in paragraphs[1:]] == [
        "**Citadel season 2 is happening**",
        "**Citadel season 2 premiere date**",
        "**Andor season 3 is happening**",
    ]
    assert f"premieres on Prime Video {day_stamp(date(2024, 7, 18))}" in paragraphs[2]
    assert "· Official · [Deadline](" in paragraphs[1]

    # News after the digest hour waits for the next day's digest.
    desk.clock.set(utc(JUNE_2, 18))
    await desk.publish("/deadline", Story("Andor Season 3 Premiere Date Set for August 1"))
    assert await collect_at(runtime, desk.clock, utc(JUNE_2, 23)) == 0
    assert await collect_at(runtime, desk.clock, utc(JUNE_3, 16, 45)) == 0
    assert await collect_at(runtime, desk.clock, utc(JUNE_3, 17, 15)) == 1
    first, second = await wait_for_digests(fake, services, world.alerts.id, 2)
    assert first is digest
    assert second.embeds[0]["title"] == "Your Cliffhanger digest: 1 update"
    assert second.content == ""  # the Andor watch mentions no role
    assert str(second.embeds[0]["description"]).startswith(f"TV news up to {day_stamp(JUNE_3)}:")
    assert await collect_at(runtime, desk.clock, utc(JUNE_3, 17, 30)) == 0
    assert len(fake.messages(world.alerts)) == 2


async def test_a_day_without_news_posts_no_digest(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await watch_in_digest_mode(fake, world)
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", Story("Slow Horses Renewed for Season 6 at Apple TV+"))
    for day in (JUNE_2, JUNE_3):
        assert await collect_at(runtime, desk.clock, utc(day, 17)) == 0
    assert await deliveries_to(services, world.alerts.id) == []
    assert fake.messages(world.alerts) == []


async def test_a_digest_is_posted_once_across_a_crash(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
) -> None:
    async with fake.running(product_bot(services, world.guild.id)) as first:
        worker = await take_over_delivery(first)
        await watch_in_digest_mode(fake, world)
        await desk.follow("/deadline", "Deadline")
        await desk.publish("/deadline", Story("Citadel Renewed for Season 2 at Prime Video"))
        assert await worker.run_once() == 1  # the instant alert in #general
        assert await collect_at(runtime, desk.clock, utc(JUNE_2, 17)) == 1
        dying = DeliveryWorker(
            DiesBeforeMarking(services.store.engine),
            DiscordAlertSender(first),
            clock=desk.clock,
            owner="dead-host:1",
        )
        with pytest.raises(ProcessDied):
            await dying.run_once()
        (posted,) = fake.messages(world.alerts)
        assert await statuses(services, world.alerts.id) == ["pending"]
    desk.clock.advance(seconds=services.settings.delivery_claim_seconds)  # the claim runs out

    async with fake.running(product_bot(services, world.guild.id)):
        await wait_for_digests(fake, services, world.alerts.id, 1)
    assert fake.messages(world.alerts) == [posted]
    (delivery,) = await deliveries_to(services, world.alerts.id)
    assert (delivery.status, delivery.message_id, delivery.is_digest) == ("sent", posted.id, True)


async def test_the_forum_and_digest_transcript_tells_the_story(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    # `python -m tests.discord.transcript --forum-digest` prints this same case.
    text = await forum_and_digest(fake, world, services, runtime, desk)
    forum_part, digest_part = text.split("== #tv-alerts: the digest ==")
    assert "== Forum #tv-forum: the post “Citadel”" in forum_part
    assert forum_part.count("┌ Citadel season 2") == 2
    assert "outbox rows ['held', 'held']" in forum_part
    assert "┌ Your Cliffhanger digest: 2 updates" in digest_part
    assert "**Andor season 3 is happening**" in digest_part
    assert "**Severance season 3 premiere date**" in digest_part
