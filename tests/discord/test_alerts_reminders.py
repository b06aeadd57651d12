"""Premiere reminders: the quarter-hourly sweep queues, for each watching server, the
reminder due on its local date once its local reminder hour has come; a moved date
reminds on the new date only; servers on the other side of the world get theirs on their
own day.

The runtime's scheduler is started paused (its run times are real-clock times); the test
moves the fake clock and runs the sweep itself, as the quarter-hourly job would.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from apscheduler.triggers.cron import CronTrigger

from bot.client import CliffhangerBot
from bot.runtime import FeedRuntime
from bot.services import Services
from tests.discord.product import (
    FakeClock,
    NewsDesk,
    Story,
    deliveries_to,
    eventually,
    pinged_roles,
    product_bot,
)
from tests.fake_discord import FakeDiscord, RecordedMessage
from tests.fake_discord.standard_world import StandardWorld

REMINDER_HOUR = 14  # the services' REMINDER_HOUR_UTC: the hour of servers that chose none


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def stamp(day: date) -> str:
    moment = int(datetime.combine(day, time(12), tzinfo=UTC).timestamp())
    return f"<t:{moment}:D> (<t:{moment}:R>)"


async def sweep_at(runtime: FeedRuntime, clock: FakeClock, when: datetime) -> int:
    """Run the reminder sweep as its job would at `when`."""
    clock.set(when)
    return await runtime.reminders.run()


async def wait_for_alerts(
    fake: FakeDiscord, services: Services, channel_id: int, count: int
) -> list[RecordedMessage]:
    async def delivered() -> bool:
        rows = await deliveries_to(services, channel_id)
        return len(rows) == count and all(row.status == "sent" for row in rows)

    await eventually(delivered, what=f"{count} alerts delivered")
    return fake.messages(channel_id)


async def test_an_official_date_tomorrow_gets_one_premieres_tomorrow_alert(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "Severance", "channel": world.alerts, "role": world.fans})
    await desk.follow("/tvline", "TVLine")
    await desk.publish("/tvline", Story("Severance season 3 premieres June 3, 2024 on Apple TV+"))
    (announced,) = await wait_for_alerts(fake, services, world.alerts.id, 1)
    assert announced.embed_titles == ["Severance season 3 premiere date"]
    premiere = date(2024, 6, 3)

    assert await sweep_at(runtime, desk.clock, utc(date(2024, 6, 2), 13, 45)) == 0
    assert await sweep_at(runtime, desk.clock, utc(date(2024, 6, 2), REMINDER_HOUR)) == 1
    messages = await wait_for_alerts(fake, services, world.alerts.id, 2)
    reminder = messages[-1]
    (embed,) = reminder.embeds
    assert embed["title"] == "Severance season 3 premieres tomorrow"
    assert embed["description"] == (
        f"Severance season 3 premieres tomorrow on Apple TV+ {stamp(premiere)}."
    )
    assert embed["color"] == 0xF1C40F
    assert pinged_roles(reminder) == [world.fans.id]

    # Later sweeps (and restarts) the same day send nothing twice.
    assert await sweep_at(runtime, desk.clock, utc(date(2024, 6, 2), 14, 15)) == 0
    assert await sweep_at(runtime, desk.clock, utc(date(2024, 6, 2), 23, 45)) == 0
    assert await sweep_at(runtime, desk.clock, utc(premiere, REMINDER_HOUR)) == 1
    assert await sweep_at(runtime, desk.clock, utc(premiere, 18)) == 0
    messages = await wait_for_alerts(fake, services, world.alerts.id, 3)
    assert [m.embed_titles[0] for m in messages] == [
        "Severance season 3 premiere date",
        "Severance season 3 premieres tomorrow",
        "Severance season 3 premieres today",
    ]


async def test_a_moved_date_reminds_on_the_new_date_only(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "Severance", "channel": world.alerts})
    await desk.follow("/tvline", "TVLine")
    await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Set for June 20"))
    desk.clock.advance(days=1)
    await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Moved to June 25"))
    moved = await wait_for_alerts(fake, services, world.alerts.id, 2)
    assert stamp(date(2024, 6, 25)) in str(moved[1].embeds[0]["description"])
    assert f"(It was <t:{int(utc(date(2024, 6, 20), 12).timestamp())}:D>.)" in str(
        moved[1].embeds[0]["description"]
    )

    for day in (date(2024, 6, 19), date(2024, 6, 20)):  # the old date's days
        assert await sweep_at(runtime, desk.clock, utc(day, REMINDER_HOUR)) == 0
    assert await sweep_at(runtime, desk.clock, utc(date(2024, 6, 24), REMINDER_HOUR)) == 1
    messages = await wait_for_alerts(fake, services, world.alerts.id, 3)
    assert messages[-1].embed_titles == ["Severance season 3 premieres tomorrow"]
    assert stamp(date(2024, 6, 25)) in str(messages[-1].embeds[0]["description"])


async def test_each_server_is_reminded_at_its_local_hour_on_its_local_day(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
) -> None:
    """Brisbane is UTC+10 and Phoenix UTC−7 all year (no daylight saving time), both with
    reminders at 10:00 local time, for a premiere on June 20."""
    pacific = fake.add_guild("Phoenix Fans")
    pacific_alerts = fake.add_text_channel(pacific, "tv")
    # Commands synced globally, so both servers have them.
    async with fake.running(product_bot(services, None)):
        for guild, channel, zone in (
            (world.guild, world.alerts, "Australia/Brisbane"),
            (pacific, pacific_alerts, "America/Phoenix"),
        ):
            await fake.invoke("settings timezone", {"timezone": zone}, guild=guild)
            await fake.invoke("settings reminder-hour", {"hour": 10}, guild=guild)
            await fake.invoke("watch", {"show": "Severance", "channel": channel}, guild=guild)
        await desk.follow("/tvline", "TVLine")
        await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Set for June 20"))
        await wait_for_alerts(fake, services, world.alerts.id, 1)
        await wait_for_alerts(fake, services, pacific_alerts.id, 1)

        june18, june19, june20 = date(2024, 6, 18), date(2024, 6, 19), date(2024, 6, 20)
        sweeps = [
            # (UTC time, reminders queued): what each server's clock says
            (utc(june18, 23, 45), 0),  # Brisbane 19th 09:45, Phoenix 18th 16:45
            (utc(june19, 0), 1),  # Brisbane 19th 10:00: tomorrow; Phoenix still the 18th
            (utc(june19, 16, 45), 0),  # Brisbane 20th 02:45, Phoenix 19th 09:45
            (utc(june19, 17), 1),  # Phoenix 19th 10:00: tomorrow
            (utc(june20, 0), 1),  # Brisbane 20th 10:00: today
            (utc(june20, 16, 45), 0),  # Phoenix 20th 09:45
            (utc(june20, 17), 1),  # Phoenix 20th 10:00: today
            (utc(june20, 23, 45), 0),
        ]
        for when, expected in sweeps:
            assert await sweep_at(runtime, desk.clock, when) == expected, when
        brisbane = await wait_for_alerts(fake, services, world.alerts.id, 3)
        phoenix = await wait_for_alerts(fake, services, pacific_alerts.id, 3)

    for messages in (brisbane, phoenix):
        assert [m.embed_titles[0] for m in messages] == [
            "Severance season 3 premiere date",
            "Severance season 3 premieres tomorrow",
            "Severance season 3 premieres today",
        ]
    queued_at = {
        channel_id: [d.next_attempt_at for d in await deliveries_to(services, channel_id)][1:]
        for channel_id in (world.alerts.id, pacific_alerts.id)
    }
    assert queued_at == {
        world.alerts.id: [utc(june19, 0), utc(june20, 0)],  # 10:00 in Brisbane
        pacific_alerts.id: [utc(june19, 17), utc(june20, 17)],  # 10:00 in Phoenix
    }


async def test_a_server_that_set_nothing_gets_reminders_at_reminder_hour_utc(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    await fake.invoke("watch", {"show": "Severance", "channel": world.alerts})
    await desk.follow(
        "/tvline", "TVLine", Story("Severance Season 3 Premiere Date Set for June 20")
    )
    assert await sweep_at(runtime, desk.clock, utc(date(2024, 6, 19), REMINDER_HOUR - 1)) == 0
    assert await sweep_at(runtime, desk.clock, utc(date(2024, 6, 19), REMINDER_HOUR)) == 1
    messages = await wait_for_alerts(fake, services, world.alerts.id, 1)
    assert messages[0].embed_titles == ["Severance season 3 premieres tomorrow"]


def test_the_sweeps_run_every_quarter_hour(runtime: FeedRuntime) -> None:
    runtime.reminders.start(runtime.scheduler)
    runtime.digests.start(runtime.scheduler)
    for job_id in ("reminders", "digests"):
        job = runtime.scheduler.get_job(job_id)
        assert job is not None and isinstance(job.trigger, CronTrigger)
        assert str(job.trigger.fields[6]) == "*/15"  # the minute field
