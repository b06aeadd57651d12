"""Personal follows: anyone follows a show and gets a DM for each alert-worthy change and a
reminder the day before its premiere, once each, with the channel alerts' own identities;
a user whose DMs are closed (Discord error 50007) is paused, told once at their next
command, and resumed by following again; the commands work in DMs too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.client import CliffhangerBot
from bot.runtime import FeedRuntime
from bot.services import Services
from tests.discord.product import (
    FakeClock,
    NewsDesk,
    Story,
    deliveries_to,
    eventually,
    product_bot,
)
from tests.fake_discord import FakeDiscord, InvocationError, RecordedMessage
from tests.fake_discord.standard_world import StandardWorld

DATED = Story("Severance season 3 premieres June 20 on Apple TV+", link="https://tv.example/s3")
MOVED = Story("Severance Season 3 Premiere Date Moved to June 25")


async def dms(fake: FakeDiscord, user: object, count: int) -> list[RecordedMessage]:
    async def arrived() -> bool:
        return len(fake.dms(user)) >= count  # type: ignore[arg-type]

    await eventually(arrived, what=f"{count} DMs")
    return fake.dms(user)  # type: ignore[arg-type]


async def test_a_follower_gets_each_alert_and_the_day_before_reminder_once(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
    clock: FakeClock,
    app: CliffhangerBot,
) -> None:
    alice = world.member
    answer = await fake.invoke("follow", {"show": "severance"}, user=alice)
    assert answer.ephemeral
    assert answer.content.startswith("Following **Severance**: I'll DM you")
    await fake.invoke("watch", {"show": "Severance", "channel": world.alerts})
    await desk.follow("/tvline", "TVLine")
    await desk.follow("/deadline", "Deadline")

    await desk.publish("/tvline", DATED)
    (announced,) = await dms(fake, alice, 1)
    assert announced.embed_titles == ["Severance season 3 premiere date"]
    assert announced.content == "You follow **Severance** (`/unfollow` stops these messages)."
    assert announced.nonce is not None and announced.guild_id is None
    await desk.publish("/deadline", Story("Severance Season 3 Premiere Date Set for June 20"))

    clock.set(datetime(2024, 6, 19, 13, 45, tzinfo=UTC))
    assert await runtime.reminders.run() == 0
    clock.set(datetime(2024, 6, 19, 14, 0, tzinfo=UTC))
    assert await runtime.reminders.run() == 2  # the channel's and alice's
    clock.set(datetime(2024, 6, 19, 14, 15, tzinfo=UTC))
    assert await runtime.reminders.run() == 0
    clock.set(datetime(2024, 6, 20, 14, 0, tzinfo=UTC))
    assert await runtime.reminders.run() == 1  # "today" is the channel's only
    messages = await dms(fake, alice, 2)
    assert [m.embed_titles for m in messages] == [
        ["Severance season 3 premiere date"],
        ["Severance season 3 premieres tomorrow"],
    ]

    async def channel_done() -> bool:
        rows = await deliveries_to(services, world.alerts.id)
        return len(rows) == 3 and all(row.status == "sent" for row in rows)

    await eventually(channel_done, what="the channel's alerts")
    async with services.store.read() as tx:
        direct = await tx.direct.for_user(alice.id)
    channel = await deliveries_to(services, world.alerts.id)
    # One fact, one identity: the DMs are the channel's first two alerts.
    assert [d.alert_id for d in direct] == [d.alert_id for d in channel[:2]]
    assert [d.status for d in direct] == ["sent", "sent"]
    assert len(fake.dms(alice)) == 2


async def test_closed_dms_pause_the_follows_and_are_told_once(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    clock: FakeClock,
    app: CliffhangerBot,
) -> None:
    bob = world.member
    fake.close_dms(bob)
    await fake.invoke("follow", {"show": "Severance"}, user=bob)
    await desk.follow("/tvline", "TVLine")
    await desk.publish("/tvline", DATED)

    async def paused() -> bool:
        async with services.store.read() as tx:
            return await tx.follows.pause_of(bob.id) is not None

    await eventually(paused, what="the follows paused")
    clock.advance(days=1)
    await desk.publish("/tvline", MOVED)
    async with services.store.read() as tx:
        rows = await tx.direct.for_user(bob.id)
    assert [row.status for row in rows] == ["failed"]  # nothing queued while paused
    assert "50007" in (rows[0].last_error or "")
    assert fake.dms(bob) == []

    when = await fake.invoke("when", {"show": "Severance"}, user=bob)
    (told,) = await when.wait_for_followups(1)
    assert told.ephemeral
    assert told.content.startswith("📭 I couldn't send you a DM about **Severance**")
    assert "then `/follow` a show again" in told.content
    listed = await fake.invoke("following", user=bob)
    (embed,) = listed.embeds
    assert embed["fields"][0]["name"] == "⏸️ Paused"
    assert listed.followups == []  # told once only
    assert (await fake.invoke("when", {"show": "Severance"}, user=bob)).followups == []

    fake.close_dms(bob, closed=False)
    again = await fake.invoke("follow", {"show": "Severance"}, user=bob)
    assert "Your follows are back on" in again.content
    clock.advance(days=1)
    await desk.publish("/tvline", Story("Severance Season 3 Premiere Date Moved to June 27"))
    (moved,) = await dms(fake, bob, 1)
    assert moved.embed_titles == ["Severance season 3 premiere date"]


async def test_follows_work_in_dms_and_across_servers(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
) -> None:
    other = fake.add_guild("Another Server")
    fake.add_text_channel(other, "chat")
    alice = world.member
    fake.add_member(other, alice)
    async with fake.running(product_bot(services, None)):  # commands synced globally
        followed = await fake.invoke_in_dm("follow", {"show": "Citadel"}, user=alice)
        assert followed.content.startswith("Following **Citadel**")
        await fake.invoke("follow", {"show": "Severance"}, user=alice, guild=other)
        listed = await fake.invoke("following", user=alice, guild=world.guild)
        (embed,) = listed.embeds
        assert embed["description"].splitlines() == [
            "**Citadel** · no news yet",
            "**Severance** · no news yet",
        ]
        gone = await fake.invoke_in_dm("unfollow", {"show": "Citadel"}, user=alice)
        assert gone.content == "Stopped following **Citadel**."
        with pytest.raises(InvocationError):
            await fake.invoke_in_dm("settings show", user=alice)  # server-only
        await desk.follow("/tvline", "TVLine")
        await desk.publish("/tvline", DATED)
        (dm,) = await dms(fake, alice, 1)
        assert dm.embed_titles == ["Severance season 3 premiere date"]


async def test_a_new_show_with_a_known_near_name_is_followed_when_the_user_says_so(
    fake: FakeDiscord, world: StandardWorld, services: Services, app: CliffhangerBot
) -> None:
    alice = world.member
    asked = await fake.invoke("follow", {"show": "Crystal Harbour"}, user=alice)
    assert asked.content.endswith("If it's a new show, run `/follow` again with `new_show: True`.")
    followed = await fake.invoke(
        "follow", {"show": "Crystal Harbour", "new_show": True}, user=alice
    )
    assert followed.content.startswith("Following **Crystal Harbour**")
    assert services.known.catalogue.get("Crystal Harbour") is not None
