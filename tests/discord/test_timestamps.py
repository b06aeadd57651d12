"""Dates in every message are Discord timestamps (`<t:…:D>`, `<t:…:R>`), which each reader
sees in their own timezone: never a date or time written out in UTC. (`/settings show`
names the server's timezone and hours on purpose, and is left out.)"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from bot.client import CliffhangerBot
from bot.runtime import FeedRuntime
from bot.services import Services
from tests.discord.product import NewsDesk, Story, deliveries_to, eventually
from tests.fake_discord import FakeDiscord, InteractionResult
from tests.fake_discord.standard_world import StandardWorld

WRITTEN_OUT = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b.*UTC|\bUTC\b")


def day(value: date, style: str) -> str:
    return f"<t:{int(datetime.combine(value, time(12), tzinfo=UTC).timestamp())}:{style}>"


async def test_every_message_writes_dates_as_discord_timestamps(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    answers: list[InteractionResult] = []
    answers.append(await fake.invoke("settings log-channel", {"channel": world.general}))
    answers.append(await fake.invoke("watch", {"show": "Severance", "channel": world.alerts}))
    answers.append(
        await fake.invoke("watch", {"show": "citadel", "channel": world.alerts, "mode": "digest"})
    )
    await desk.follow("/tvline", "TVLine")
    await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Set for June 20"))
    desk.clock.advance(hours=1)
    await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Moved to June 25"))
    await desk.publish("/tvline", Story("Citadel Renewed for Season 2 at Prime Video"))
    desk.clock.set(datetime(2024, 6, 2, 18, 0, tzinfo=UTC))
    assert await runtime.digests.run() == 1

    async def all_sent() -> bool:
        rows = await deliveries_to(services, world.alerts.id)
        return len(rows) == 3 and all(row.status == "sent" for row in rows)

    await eventually(all_sent, what="alerts and the digest sent")
    for command, options in (
        ("when", {"show": "severance"}),
        ("upcoming", {}),
        ("watchlist", {}),
        ("status", {}),
    ):
        answers.append(await fake.invoke(command, options))
    answers.append(await fake.invoke("feeds list", user=world.app_owner))

    posted = fake.messages(world.alerts)
    dated, moved, digest = (str(m.embeds[0]["description"]) for m in posted)
    assert dated.endswith(f"{day(date(2024, 6, 20), 'D')} ({day(date(2024, 6, 20), 'R')}).")
    assert moved.endswith(f"(It was {day(date(2024, 6, 20), 'D')}.)")
    assert digest.startswith(f"TV news up to {day(date(2024, 6, 2), 'D')}:")
    assert all("<t:" in str(m.embeds[0]["fields"]) for m in posted[:2])  # "Reported"
    texts = [m.text() for m in posted] + [answer.text() for answer in answers]
    assert any(day(date(2024, 6, 25), "D") in text for text in texts[3:])  # /when, /upcoming
    offenders = [text for text in texts if WRITTEN_OUT.search(text)]
    assert offenders == []
