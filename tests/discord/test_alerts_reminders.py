"""Premiere reminders: APScheduler jobs placed from the news, moved with the date, rebuilt
at start, and fired (as the scheduler would) into alerts in the watching channel.

The runtime's scheduler is started paused: the jobs are real APScheduler jobs with real
triggers, but their run dates are fake-clock times, so the test fires a job itself (its
own function and arguments) after moving the clock to the job's run date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.alerts.reminders import ReminderSchedule
from bot.client import CliffhangerBot
from bot.runtime import FeedRuntime
from bot.services import Services
from tests.discord.product import (
    NewsDesk,
    Story,
    deliveries_to,
    eventually,
    pinged_roles,
)
from tests.fake_discord import FakeDiscord, RecordedMessage
from tests.fake_discord.standard_world import StandardWorld

REMINDER_HOUR = 14  # the services' REMINDER_HOUR_UTC


def at_reminder_hour(day: date) -> datetime:
    return datetime.combine(day, time(REMINDER_HOUR), tzinfo=UTC)


def stamp(day: date) -> str:
    moment = int(datetime.combine(day, time(12), tzinfo=UTC).timestamp())
    return f"<t:{moment}:D> (<t:{moment}:R>)"


async def show_id(services: Services, name: str) -> int:
    async with services.store.read() as tx:
        show = await tx.shows.find(name)
    assert show is not None and show.id is not None
    return show.id


def reminder_jobs(scheduler: AsyncIOScheduler) -> dict[str, Job]:
    return {job.id: job for job in scheduler.get_jobs() if job.id.startswith("reminder:")}


def run_dates(scheduler: AsyncIOScheduler) -> dict[str, datetime]:
    return {job_id: job.trigger.run_date for job_id, job in reminder_jobs(scheduler).items()}


async def fire(job: Job) -> object:
    """Run a job's function as APScheduler would."""
    return await job.func(*job.args, **job.kwargs)


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

    severance = await show_id(services, "Severance")
    day_before = f"reminder:{severance}:3:reminder_day_before"
    on_the_day = f"reminder:{severance}:3:reminder_today"
    premiere = date(2024, 6, 3)
    assert run_dates(runtime.scheduler) == {
        day_before: at_reminder_hour(date(2024, 6, 2)),
        on_the_day: at_reminder_hour(premiere),
    }

    desk.clock.set(at_reminder_hour(date(2024, 6, 2)))
    assert await fire(reminder_jobs(runtime.scheduler)[day_before]) == 1
    messages = await wait_for_alerts(fake, services, world.alerts.id, 2)
    reminder = messages[-1]
    (embed,) = reminder.embeds
    assert embed["title"] == "Severance season 3 premieres tomorrow"
    assert embed["description"] == (
        f"Severance season 3 premieres tomorrow on Apple TV+ {stamp(premiere)}."
    )
    assert embed["color"] == 0xF1C40F
    assert pinged_roles(reminder) == [world.fans.id]

    # The job firing again (a restart, a misfire) sends nothing twice.
    assert await fire(reminder_jobs(runtime.scheduler)[day_before]) == 0
    desk.clock.set(at_reminder_hour(premiere))
    assert await fire(reminder_jobs(runtime.scheduler)[on_the_day]) == 1
    messages = await wait_for_alerts(fake, services, world.alerts.id, 3)
    assert [m.embed_titles[0] for m in messages] == [
        "Severance season 3 premiere date",
        "Severance season 3 premieres tomorrow",
        "Severance season 3 premieres today",
    ]


async def test_a_moved_date_moves_the_jobs_and_the_old_date_reminds_nobody(
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
    severance = await show_id(services, "Severance")
    day_before = f"reminder:{severance}:3:reminder_day_before"
    on_the_day = f"reminder:{severance}:3:reminder_today"
    assert run_dates(runtime.scheduler) == {
        day_before: at_reminder_hour(date(2024, 6, 19)),
        on_the_day: at_reminder_hour(date(2024, 6, 20)),
    }

    desk.clock.advance(days=1)
    await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Moved to June 25"))
    assert run_dates(runtime.scheduler) == {
        day_before: at_reminder_hour(date(2024, 6, 24)),
        on_the_day: at_reminder_hour(date(2024, 6, 25)),
    }
    assert tuple(reminder_jobs(runtime.scheduler)[on_the_day].args) == (
        severance,
        3,
        date(2024, 6, 25),
    )

    # A job for the old date (one that fired before it was moved) finds the date changed.
    desk.clock.set(at_reminder_hour(date(2024, 6, 19)))
    assert await runtime.reminders.fire(severance, 3, date(2024, 6, 20)) == 0
    messages = await wait_for_alerts(fake, services, world.alerts.id, 2)
    assert [m.embed_titles[0] for m in messages] == [
        "Severance season 3 premiere date",
        "Severance season 3 premiere date",  # the new date is news too
    ]
    assert stamp(date(2024, 6, 25)) in str(messages[1].embeds[0]["description"])


async def test_jobs_are_rebuilt_from_the_store_at_start(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
) -> None:
    await desk.follow(
        "/tvline",
        "TVLine",
        Story("Severance Season 3 Premiere Date Set for June 20"),
        Story("Slow Horses Season 5 Premiere Date Set for June 10"),
        Story("Citadel Renewed for Season 2 at Prime Video"),  # no date: no reminder
    )
    desk.clock.advance(days=10)  # 2024-06-12: Slow Horses has premiered since

    # A new process: a fresh scheduler, the same store.
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.start(paused=True)
    try:
        reminders = ReminderSchedule(scheduler, services.store, hour_utc=14, clock=desk.clock)
        assert await reminders.rebuild() == 2
        severance = await show_id(services, "Severance")
        assert run_dates(scheduler) == {
            f"reminder:{severance}:3:reminder_day_before": at_reminder_hour(date(2024, 6, 19)),
            f"reminder:{severance}:3:reminder_today": at_reminder_hour(date(2024, 6, 20)),
        }
        assert await reminders.rebuild() == 2  # rebuilding again replaces, never doubles
        assert len(reminder_jobs(scheduler)) == 2
    finally:
        scheduler.shutdown(wait=False)
