"""Alerts end to end: a story on a feed → poll → recognition → outbox → Discord message.

Everything is real except Discord (the fake) and the clock: the local feed server serves
the stories, FeedRuntime's poller reads them, the AnnouncementSink recognises them and
queues alerts, and the AlertDelivery cog's worker posts them with discord.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.alerts.delivery import DeliveryWorker
from bot.client import CliffhangerBot
from bot.records import Delivery
from bot.services import Services
from cogs.alerts import DiscordAlertSender
from db.store import Store, Tx
from tests.discord.product import (
    NewsDesk,
    Story,
    deliveries_to,
    eventually,
    pinged_roles,
    product_bot,
)
from tests.fake_discord import FakeDiscord
from tests.fake_discord.standard_world import StandardWorld

RENEWAL = Story(
    "Citadel Renewed for Season 2 at Prime Video",
    link="https://deadline.example/citadel-renewed-season-2/",
)
OUTLETS = {
    "/deadline": ("Deadline", "‘Citadel’ Renewed For Season 2 At Prime Video"),
    "/variety": ("Variety", "Citadel Renewed for Season 2 at Prime Video"),
    "/tvline": ("TVLine", "Citadel Renewed at Prime Video for Season 2"),
    "/thr": ("The Hollywood Reporter", "Prime Video Renews Citadel for Season 2"),
    "/cartermatt": (
        "CarterMatt",
        "'Citadel' Is Coming Back for Season 2 at Prime Video",
    ),
}
# Feeds carry a lede under the headline; a fan site's says the news again in its words.
LEDES = {"/cartermatt": "Prime Video has officially renewed Citadel for a second season."}


def send_route(channel_id: int) -> str:
    return f"POST /channels/{channel_id}/messages"


async def all_sent(services: Services, channel_id: int, count: int) -> None:
    """Wait until the channel's `count` deliveries are marked sent."""

    async def done() -> bool:
        rows = await deliveries_to(services, channel_id)
        return len(rows) == count and all(row.status == "sent" for row in rows)

    await eventually(done, what=f"{count} deliveries marked sent")


async def take_over_delivery(bot: CliffhangerBot) -> DeliveryWorker:
    """Stop the cog's background worker and return the worker (same store, same sender) so
    the test can run it pass by pass with the fake clock."""
    cog = bot.get_cog("AlertDelivery")
    # Not isinstance(cog, AlertDelivery): load_extension imports cogs.alerts afresh.
    worker = getattr(cog, "worker", None)
    assert isinstance(worker, DeliveryWorker)
    await bot.remove_cog("AlertDelivery")
    return worker


async def test_a_story_becomes_one_alert_in_the_watching_channel_only(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    other = fake.add_text_channel(world.guild, "other-shows")
    await fake.sync_gateway()
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts, "role": world.fans})
    await fake.invoke("watch", {"show": "Andor", "channel": other})
    await desk.follow("/deadline", "Deadline")

    polled = await desk.publish("/deadline", RENEWAL)

    assert [(a.show, a.event.value, a.season) for a in polled.announcements] == [
        ("Citadel", "renewed", 2)
    ]
    (message,) = await fake.wait_for_messages(world.alerts, 1)
    assert message.content == f"<@&{world.fans.id}>"
    assert pinged_roles(message) == [world.fans.id]
    assert message.pinged_user_ids() == [] and not message.pings_everyone
    (embed,) = message.embeds
    assert embed["title"] == "Citadel season 2 is happening"
    assert embed["description"] == "Citadel has been renewed on Prime Video."
    assert embed["color"] == 0x2ECC71
    assert embed["url"] == RENEWAL.link
    reported = int((desk.clock() - timedelta(hours=1)).timestamp())  # the story's pubDate
    assert embed["fields"] == [
        {"name": "How sure", "value": "Official", "inline": True},
        {"name": "Reported", "value": f"<t:{reported}:R>", "inline": True},
        {
            "name": "Source",
            "value": f"[Deadline]({RENEWAL.link}): Citadel Renewed for Season 2 at Prime Video",
            "inline": False,
        },
    ]
    await all_sent(services, world.alerts.id, 1)
    (delivery,) = await deliveries_to(services, world.alerts.id)
    assert (delivery.message_id, delivery.nonce) == (message.id, message.nonce)
    assert fake.messages(other) == [] and fake.messages(world.general) == []
    assert fake.message_count() == 1


async def test_five_outlets_reporting_one_renewal_make_one_alert(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts, "role": world.fans})
    for path, (outlet, _) in OUTLETS.items():
        await desk.follow(path, outlet)
    for path, (_, title) in OUTLETS.items():
        desk.clock.advance(minutes=7)
        story = Story(title, LEDES.get(path, ""), link=f"https://news.example{path}/s2")
        polled = await desk.publish(path, story)
        assert [a.event.value for a in polled.announcements] == ["renewed"], title

    assert len(await deliveries_to(services, world.alerts.id)) == 1  # queued once
    await all_sent(services, world.alerts.id, 1)
    (message,) = fake.messages(world.alerts)
    assert message.embed_titles == ["Citadel season 2 is happening"]
    assert fake.message_count() == 1
    # Every outlet still counts as a source of the card.
    card = await fake.invoke("when", {"show": "citadel"})
    sources = {str(f["name"]): str(f["value"]) for f in card.embeds[0]["fields"]}["Sources"]
    assert sources.count("](https://news.example/") == 5


async def test_a_429_on_send_is_waited_out_by_the_client(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await desk.follow("/deadline", "Deadline")
    rule = fake.fail_next(send_route(world.alerts.id), status=429, retry_after=0.05)
    await desk.publish("/deadline", RENEWAL)
    await all_sent(services, world.alerts.id, 1)
    assert rule.hits == 1
    assert [r.status for r in fake.requests(send_route(world.alerts.id))] == [429, 200]
    assert len(fake.messages(world.alerts)) == 1


async def test_a_500_on_send_is_retried_by_the_client(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await desk.follow("/deadline", "Deadline")
    fake.fail_next(send_route(world.alerts.id), status=500)
    await desk.publish("/deadline", RENEWAL)
    await all_sent(services, world.alerts.id, 1)  # discord.py waits about a second first
    assert [r.status for r in fake.requests(send_route(world.alerts.id))] == [500, 200]
    assert len(fake.messages(world.alerts)) == 1


async def test_a_503_is_retried_by_the_worker_with_backoff(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    worker = await take_over_delivery(app)
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWAL)
    route = send_route(world.alerts.id)
    fake.fail_next(route, status=503, times=2)

    assert await worker.run_once() == 0  # discord.py raises 503 at once
    (delivery,) = await deliveries_to(services, world.alerts.id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert (delivery.last_error or "").startswith("Discord answered 503")
    assert delivery.next_attempt_at == desk.clock() + timedelta(seconds=10)

    desk.clock.advance(seconds=9)
    assert await worker.run_once() == 0  # not due yet: no request at all
    assert len(fake.requests(route)) == 1
    desk.clock.advance(seconds=1)
    assert await worker.run_once() == 0  # the second 503: the wait doubles
    (delivery,) = await deliveries_to(services, world.alerts.id)
    assert delivery.next_attempt_at == desk.clock() + timedelta(seconds=20)
    desk.clock.advance(seconds=19)
    assert await worker.run_once() == 0
    desk.clock.advance(seconds=1)
    assert await worker.run_once() == 1

    assert [r.status for r in fake.requests(route)] == [503, 503, 200]
    (message,) = fake.messages(world.alerts)
    (delivery,) = await deliveries_to(services, world.alerts.id)
    assert (delivery.status, delivery.attempts, delivery.message_id) == ("sent", 3, message.id)


async def test_alerts_are_delivered_across_a_gateway_drop_and_resume(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await fake.invoke("watch", {"show": "Andor", "channel": world.alerts})
    await desk.follow("/deadline", "Deadline")

    await fake.drop_gateway()
    await desk.publish("/deadline", RENEWAL)  # queued while the gateway is down
    await fake.wait_for_resume()
    desk.clock.advance(minutes=10)
    await desk.publish("/deadline", Story("Andor Renewed for Season 3 at Disney+"))

    await all_sent(services, world.alerts.id, 2)
    titles = [m.embed_titles[0] for m in fake.messages(world.alerts)]
    assert titles == ["Citadel season 2 is happening", "Andor season 3 is happening"]
    assert (fake.gateway.identify_count, fake.gateway.resume_count) == (1, 1)
    answer = await fake.invoke("when", {"show": "andor"})  # commands work after the resume
    assert answer.embeds[0]["title"] == "Andor · Disney+"


class ProcessDied(Exception):
    """Stands for the process being killed."""


class DiesBeforeMarking(Store):
    """The store as seen by a worker whose process dies right after Discord accepted a
    message: reading and claiming work, the transaction that would mark the delivery sent
    never runs."""

    transactions_left = 1  # the claim

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        if not self.transactions_left:
            raise ProcessDied("killed between 'sent' and 'marked sent'")
        self.transactions_left -= 1
        async with super().transaction() as tx:
            yield tx


async def test_a_restart_between_sent_and_marked_sent_neither_loses_nor_repeats(
    fake: FakeDiscord, world: StandardWorld, services: Services, desk: NewsDesk
) -> None:
    async with fake.running(product_bot(services, world.guild.id)) as first:
        dying = DeliveryWorker(
            DiesBeforeMarking(services.store.engine),
            DiscordAlertSender(first),
            clock=desk.clock,
            owner="dead-host:1",
        )
        await take_over_delivery(first)
        await fake.invoke("watch", {"show": "citadel", "channel": world.alerts, "role": world.fans})
        await desk.follow("/deadline", "Deadline")
        await desk.publish("/deadline", RENEWAL)
        with pytest.raises(ProcessDied):
            await dying.run_once()
        (posted,) = fake.messages(world.alerts)
        (delivery,) = await deliveries_to(services, world.alerts.id)
        assert (delivery.status, delivery.attempts, delivery.message_id) == ("pending", 0, None)
        assert posted.nonce == delivery.nonce

    # A new process: once the dead worker's claim has run out, its delivery worker finds
    # the row pending and sends it again.
    desk.clock.advance(seconds=services.settings.delivery_claim_seconds)
    async with fake.running(product_bot(services, world.guild.id)):
        await all_sent(services, world.alerts.id, 1)

    assert fake.messages(world.alerts) == [posted]  # Discord answered with the first message
    (delivery,) = await deliveries_to(services, world.alerts.id)
    assert (delivery.status, delivery.message_id) == ("sent", posted.id)
    assert [r.status for r in fake.requests(send_route(world.alerts.id))] == [200, 200]
    assert pinged_roles(posted) == [world.fans.id]


async def test_alerts_queued_while_the_bot_is_down_are_sent_when_it_starts(
    fake: FakeDiscord, world: StandardWorld, services: Services, desk: NewsDesk
) -> None:
    async with fake.running(product_bot(services, world.guild.id)):
        await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWAL)  # the poller runs; Discord is not connected
    pending: list[Delivery] = await deliveries_to(services, world.alerts.id)
    assert [d.status for d in pending] == ["pending"]

    async with fake.running(product_bot(services, world.guild.id)):
        await all_sent(services, world.alerts.id, 1)
    assert len(fake.messages(world.alerts)) == 1


async def test_a_renewal_with_and_without_its_season_is_one_alert(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    # One outlet states no season, another states it: one renewal, so one alert.
    await fake.invoke("watch", {"show": "citadel", "channel": world.alerts})
    await desk.follow("/first", "First Outlet")
    await desk.follow("/second", "Second Outlet")
    first = await desk.publish("/first", Story("Prime Video Renews 'Citadel'"))
    assert [(a.event.value, a.season) for a in first.announcements] == [("renewed", None)]
    desk.clock.advance(hours=2)
    second = await desk.publish("/second", Story("'Citadel' Renewed for Season 2 at Prime Video"))
    assert [(a.event.value, a.season) for a in second.announcements] == [("renewed", 2)]

    assert len(await deliveries_to(services, world.alerts.id)) == 1
    await all_sent(services, world.alerts.id, 1)
    assert fake.message_count() == 1


async def test_new_shows_are_learned_from_quotes_or_a_second_outlet_only(
    services: Services, desk: NewsDesk
) -> None:
    await desk.follow("/one", "One")
    await desk.follow("/two", "Two")
    await desk.publish("/one", Story("'Ghosts' Lands Two-Season Renewal at CBS"))
    await desk.publish("/one", Story("NBC renews Crystal Harbour for season 2"))
    async with services.store.read() as tx:
        assert await tx.shows.find("Lands Two-Season") is None
        assert await tx.shows.find("Crystal Harbour") is None  # one outlet, no quotes
    await desk.publish("/two", Story("NBC renews Crystal Harbour for season 2"))
    async with services.store.read() as tx:
        learned = await tx.shows.find("Crystal Harbour")
    assert learned is not None
