"""The outbox's routing on a real database (SQLite, and PostgreSQL when configured):
watch filters at fan-out, digests held and bundled, reminders queued per watch, forum
posts, the admin log's one-per-cause-per-day, and server settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.models import (
    AlertChange,
    AlertFilter,
    Certainty,
    CertaintyFilter,
    DeliveryMode,
    Show,
    Source,
    TargetKind,
)
from bot.records import ForumPost, GuildSettingsRecord
from db.store import Store, Tx

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
SOURCE = Source(outlet="TVLine", link="https://tvline.com/x", published=NOW, title="t")


def change(event: str, certainty: Certainty = Certainty.OFFICIAL, value: str = "") -> AlertChange:
    return AlertChange("Slow Horses", 5, event, value, certainty, SOURCE)


async def show_id(tx: Tx) -> int:
    show = await tx.shows.ensure(Show("Slow Horses"))
    assert show.id is not None
    return show.id


async def watch(
    tx: Tx,
    show: int,
    channel: int,
    *,
    alerts: AlertFilter | None = None,
    certainty: CertaintyFilter | None = None,
    mode: DeliveryMode | None = None,
    target: TargetKind = TargetKind.TEXT,
) -> int:
    record, _ = await tx.watches.add(
        guild_id=1,
        channel_id=channel,
        show_id=show,
        role_id=None,
        created_by=None,
        now=NOW,
        target=target,
        alerts=alerts,
        certainty=certainty,
        mode=mode,
    )
    return record.id


async def test_filters_decide_which_watches_get_an_alert(store: Store) -> None:
    async with store.transaction() as tx:
        show = await show_id(tx)
        await watch(tx, show, 10)
        await watch(tx, show, 11, alerts=AlertFilter.STATUS)
        await watch(tx, show, 12, alerts=AlertFilter.DATES)
        await watch(tx, show, 13, certainty=CertaintyFilter.OFFICIAL)
        await watch(tx, show, 14, alerts=AlertFilter.DATES, certainty=CertaintyFilter.OFFICIAL)
        await tx.outbox.record_alerts(
            [
                (show, change("renewed")),
                (show, change("premiere_date", Certainty.REPORTED, "2026-06-01")),
            ],
            now=NOW,
        )
        due = await tx.outbox.due(NOW)
    got = sorted((d.channel_id, d.change.event) for d in due)
    assert got == [
        (10, "premiere_date"),
        (10, "renewed"),
        (11, "renewed"),
        (12, "premiere_date"),
        (13, "renewed"),
    ]


async def test_digest_watches_hold_alerts_until_bundled_into_one_delivery(store: Store) -> None:
    async with store.transaction() as tx:
        show = await show_id(tx)
        await watch(tx, show, 10, mode=DeliveryMode.DIGEST)
        await watch(tx, show, 11)
        for event in ("renewed", "ending"):
            await tx.outbox.record_alert(show, change(event), now=NOW)
        assert [d.channel_id for d in await tx.outbox.due(NOW)] == [11, 11]
        held = await tx.outbox.held()
        assert [(h.channel_id, h.target) for h in held] == [(10, TargetKind.TEXT)] * 2
        lead = await tx.outbox.bundle([h.id for h in held], day=date(2026, 5, 1), now=NOW)
        assert await tx.outbox.held() == []
        digest = next(d for d in await tx.outbox.due(NOW) if d.channel_id == 10)
        assert digest.id == lead and digest.is_digest
        assert [c.event for c in digest.digest] == ["renewed", "ending"]
        await tx.outbox.mark_sent(lead, 555, now=NOW)
        rows = await tx.outbox.for_channel(10)
    assert [(r.status, r.message_id) for r in rows] == [("sent", 555), ("sent", 555)]


async def test_a_reminder_is_queued_once_per_watch_it_is_due_for(store: Store) -> None:
    async with store.transaction() as tx:
        show = await show_id(tx)
        first = await watch(tx, show, 10)
        second = await watch(tx, show, 11)
        reminder = change("reminder_today", value="2026-05-01")
        assert await tx.outbox.record_for_watches(show, reminder, [first], now=NOW) == 1
        assert await tx.outbox.record_for_watches(show, reminder, [first], now=NOW) == 0
        later = NOW + timedelta(hours=7)
        assert await tx.outbox.record_for_watches(show, reminder, [second], now=later) == 1
        due = await tx.outbox.due(later)
    assert [(d.channel_id, d.next_attempt_at) for d in due] == [(10, NOW), (11, later)]


async def test_a_forum_post_is_noted_before_it_is_opened_then_recorded(store: Store) -> None:
    async with store.transaction() as tx:
        show = await show_id(tx)
        await watch(tx, show, 20, target=TargetKind.FORUM)
        await tx.outbox.record_alert(show, change("renewed"), now=NOW)
        (fresh,) = await tx.outbox.due(NOW)
        assert (fresh.target, fresh.post_started_at, fresh.post_thread_id) == (
            TargetKind.FORUM,
            None,
            None,
        )
        assert await tx.forum_posts.claim(20, show, now=NOW) is None  # noted: being opened
        later = NOW + timedelta(hours=1)
        assert await tx.forum_posts.claim(20, show, now=later) == ForumPost(None, NOW)
        (started,) = await tx.outbox.due(NOW)
        assert (started.post_started_at, started.post_thread_id) == (NOW, None)
        await tx.forum_posts.record(20, show, 777)
        (opened,) = await tx.outbox.due(NOW)
        assert opened.post_thread_id == 777
        assert await tx.forum_posts.claim(20, show, now=later) == ForumPost(777, NOW)
        await tx.forum_posts.forget(20, show)
        (forgotten,) = await tx.outbox.due(NOW)
        assert (forgotten.post_started_at, forgotten.post_thread_id) == (None, None)


async def test_a_notice_is_queued_once_per_cause_per_day(store: Store) -> None:
    async with store.transaction() as tx:
        day = date(2026, 5, 1)

        async def add(cause: str, day: date, text: str) -> bool:
            return await tx.notices.add(
                guild_id=1, channel_id=30, cause=cause, day=day, text=text, now=NOW
            )

        assert await add("feed-disabled:1", day, "a")
        assert not await add("feed-disabled:1", day, "b")
        assert await add("feed-disabled:2", day, "c")
        assert await add("feed-disabled:1", day + timedelta(days=1), "d")
        due = await tx.notices.due(NOW)
        assert [n.text for n in due] == ["a", "c", "d"]
        assert [n.nonce for n in due] == [f"n{n.id}" for n in due]
        await tx.notices.mark_sent(due[0].id, 99, now=NOW)
        assert len(await tx.notices.due(NOW)) == 2


async def test_server_settings_are_stored_per_server_and_cleared_with_none(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.guild_settings.get(5) == GuildSettingsRecord(5)
        await tx.guild_settings.update(5, now=NOW, timezone="Asia/Tokyo", log_channel_id=50)
        await tx.guild_settings.update(5, now=NOW, reminder_hour=8)
        await tx.guild_settings.update(6, now=NOW, digest_hour=7)
        assert await tx.guild_settings.get(5) == GuildSettingsRecord(5, "Asia/Tokyo", 8, None, 50)
        assert [s.guild_id for s in await tx.guild_settings.with_log_channel()] == [5]
        await tx.guild_settings.update(5, now=NOW, log_channel_id=None)
        assert await tx.guild_settings.with_log_channel() == []
        assert set(await tx.guild_settings.many([5, 6, 7])) == {5, 6}
