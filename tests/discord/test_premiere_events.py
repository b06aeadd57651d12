"""Premieres as Discord scheduled events: `/settings premiere-events on` makes each watched
show's premiere an external event in the server, which moves with the date and goes when
the date is dropped or the season cancelled; nothing is made twice, not after a restart
and not after a crash between creating an event and recording it; a server that takes
Manage Events away gets its setting turned off and a line in its admin log.

The sync runs in the bot's own task too (woken by news); the tests run a pass themselves
(`EventSync.run_once`, serialised with the bot's by a lock) and read the fake's events.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.client import CliffhangerBot
from bot.premiere_events import EventOutcome, EventPlan, EventSync
from bot.server_settings import ServerDefaults
from bot.services import Services
from cogs.premiere_events import DiscordScheduledEvents
from tests.discord.product import FakeClock, NewsDesk, Story, eventually, product_bot
from tests.fake_discord import DEFAULT_BOT, FakeDiscord, Perm
from tests.fake_discord.models import FakeScheduledEvent
from tests.fake_discord.standard_world import StandardWorld

CREATES = "POST /guilds/*/scheduled-events"
DATED = Story("Severance season 3 premieres June 20 on Apple TV+", link="https://tv.example/s3")


def sync_of(bot: CliffhangerBot) -> EventSync:
    # discord.py loads an extension as a fresh module: its classes are not these ones.
    sync = getattr(bot.get_cog("PremiereEvents"), "sync", None)
    assert isinstance(sync, EventSync)
    return sync


async def turn_on(fake: FakeDiscord, world: StandardWorld, clock: FakeClock) -> None:
    """Give the bot Manage Events, watch Severance and turn premiere events on."""
    fake.clock = clock
    fake.set_bot_guild_permissions(world.guild, DEFAULT_BOT | Perm.MANAGE_EVENTS)
    await fake.sync_gateway()
    await fake.invoke("watch", {"show": "Severance", "channel": world.alerts})
    answer = await fake.invoke("settings premiere-events", {"state": "on"})
    assert answer.content.startswith("Premieres of the shows watched here will appear")


def live(fake: FakeDiscord, world: StandardWorld) -> list[FakeScheduledEvent]:
    return fake.scheduled_events(world.guild)


async def test_an_event_is_created_moved_and_deleted_as_the_date_changes(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    clock: FakeClock,
    app: CliffhangerBot,
) -> None:
    await turn_on(fake, world, clock)
    await desk.follow("/tvline", "TVLine")
    await desk.publish("/tvline", DATED)
    await sync_of(app).run_once()
    (event,) = live(fake, world)
    assert event.name == "Severance — Season 3 premiere"
    assert event.start == "2024-06-20T14:00:00+00:00"  # the server's reminder hour (UTC)
    assert event.end == "2024-06-20T15:00:00+00:00"
    assert event.location == "Apple TV+"
    assert event.entity_type == 3 and event.privacy_level == 2
    assert event.creator.id == fake.bot_user.id
    assert event.description is not None
    assert "How sure: official." in event.description
    assert "- TVLine: https://tv.example/s3" in event.description

    clock.advance(days=1)
    await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Moved to June 25"))
    await sync_of(app).run_once()
    (moved,) = live(fake, world)
    assert moved.id == event.id and moved.edits == 1
    assert moved.start == "2024-06-25T14:00:00+00:00"
    await sync_of(app).run_once()  # nothing changed: nothing sent
    assert moved.edits == 1

    clock.advance(days=1)
    await desk.publish("/tvline", Story("Apple TV+ Sets Severance Season 3 for Fall 2024"))
    await sync_of(app).run_once()
    assert live(fake, world) == []
    assert [e.id for e in fake.scheduled_events(world.guild, deleted=True)] == [event.id]
    assert len(fake.requests(CREATES)) == 1
    async with services.store.read() as tx:
        assert await tx.premiere_events.all() == []


async def test_a_cancelled_season_and_turning_the_setting_off_delete_the_events(
    fake: FakeDiscord,
    world: StandardWorld,
    desk: NewsDesk,
    clock: FakeClock,
    app: CliffhangerBot,
) -> None:
    await turn_on(fake, world, clock)
    await fake.invoke("watch", {"show": "Citadel", "channel": world.alerts})
    await desk.follow("/tvline", "TVLine")
    await desk.publish(
        "/tvline", DATED, Story("Citadel season 2 premieres April 10, 2025 on Prime Video")
    )
    await sync_of(app).run_once()
    assert sorted(e.name for e in live(fake, world)) == [
        "Citadel — Season 2 premiere",
        "Severance — Season 3 premiere",
    ]

    await desk.publish("/tvline", Story("Apple TV+ Cancels 'Severance' Season 3"))
    await sync_of(app).run_once()
    assert [e.name for e in live(fake, world)] == ["Citadel — Season 2 premiere"]

    off = await fake.invoke("settings premiere-events", {"state": "off"})
    assert off.content == "I'll remove the premiere events I added, and add no more."
    await sync_of(app).run_once()
    assert live(fake, world) == []


async def test_turning_it_on_names_the_missing_permission(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    answer = await fake.invoke("settings premiere-events", {"state": "on"})
    assert answer.ephemeral
    assert answer.content == (
        "I need the **Manage Events** permission to add premieres to this server's Events. "
        "Grant it to my role in Server Settings → Roles, then try again."
    )
    async with services.store.read() as tx:
        assert (await tx.guild_settings.get(world.guild.id)).premiere_events is None


async def test_no_duplicate_after_a_restart(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    clock: FakeClock,
) -> None:
    async with fake.running(product_bot(services, world.guild.id)) as first:
        await turn_on(fake, world, clock)
        await desk.follow("/tvline", "TVLine")
        await desk.publish("/tvline", DATED)
        await sync_of(first).run_once()
    (event,) = live(fake, world)

    # A new process: the sync at start reconciles with the stored event id.
    async with fake.running(product_bot(services, world.guild.id)) as second:
        report = await sync_of(second).run_once()
        assert not report.changed
        clock.advance(days=1)
        await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Moved to June 25"))
        await sync_of(second).run_once()
    (moved,) = live(fake, world)
    assert moved.id == event.id and moved.start == "2024-06-25T14:00:00+00:00"
    assert len(fake.requests(CREATES)) == 1


class DiesAfterCreating:
    """The real client, but the process "dies" right after Discord created the event,
    before the sync could record its id."""

    def __init__(self, real: DiscordScheduledEvents) -> None:
        self.real = real

    async def create(self, plan: EventPlan) -> EventOutcome:
        await self.real.create(plan)
        raise SystemExit("killed between creating the event and recording it")

    async def edit(self, event_id: int, plan: EventPlan) -> EventOutcome:
        return await self.real.edit(event_id, plan)

    async def delete(self, guild_id: int, event_id: int) -> EventOutcome:
        return await self.real.delete(guild_id, event_id)

    async def find(self, guild_id: int, name: str, since: datetime) -> int | None:
        return await self.real.find(guild_id, name, since)


async def test_a_crash_between_creating_and_recording_makes_no_second_event(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    clock: FakeClock,
) -> None:
    bot = product_bot(services, world.guild.id)
    bot.extensions_to_load = tuple(e for e in bot.extensions_to_load if e != "cogs.premiere_events")
    async with fake.running(bot):
        await turn_on(fake, world, clock)
        await desk.follow("/tvline", "TVLine")
        await desk.publish("/tvline", DATED)
        real = DiscordScheduledEvents(bot)
        defaults = ServerDefaults.from_settings(services.settings)
        dying = EventSync(services.store, DiesAfterCreating(real), defaults=defaults, clock=clock)
        with pytest.raises(SystemExit):
            await dying.run_once()
        async with services.store.read() as tx:
            (started,) = await tx.premiere_events.all()
        assert started.event_id is None  # the create was noted, its result never recorded

        report = await EventSync(services.store, real, defaults=defaults, clock=clock).run_once()
        assert report.found == ["Severance — Season 3 premiere"] and report.created == []
    (event,) = live(fake, world)
    assert len(fake.requests(CREATES)) == 1
    async with services.store.read() as tx:
        (recorded,) = await tx.premiere_events.all()
    assert recorded.event_id == event.id


async def test_losing_manage_events_turns_the_setting_off_and_tells_the_admin_log(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    clock: FakeClock,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("settings log-channel", {"channel": world.general})
    await turn_on(fake, world, clock)
    await desk.follow("/tvline", "TVLine")
    await desk.publish("/tvline", DATED)
    await sync_of(app).run_once()
    assert len(live(fake, world)) == 1

    fake.set_bot_guild_permissions(world.guild, DEFAULT_BOT)
    clock.advance(days=1)
    await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Moved to June 25"))
    report = await sync_of(app).run_once()
    assert report.refused == [world.guild.id]
    async with services.store.read() as tx:
        assert (await tx.guild_settings.get(world.guild.id)).premiere_events is False
        assert await tx.premiere_events.all() == []

    async def logged() -> bool:
        return any("Manage Events" in m.content for m in fake.messages(world.general))

    await eventually(logged, what="the admin log message")
    (notice,) = [m for m in fake.messages(world.general) if "Events" in m.content]
    assert notice.content.startswith("⚠️ I stopped adding premieres to this server's Events")
    assert len(live(fake, world)) == 1  # left as it was: the bot may not touch it
