"""The delivery worker's bookkeeping on a real store, with a scripted channel sender.

The end-to-end behaviour through discord.py and a fake Discord is in tests/discord/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.alerts.delivery import (
    DeliveryWorker,
    Gone,
    Rejected,
    Retry,
    RetryPolicy,
    SendOutcome,
    Sent,
)
from bot.models import AlertChange, Certainty, Show, Source
from bot.records import Delivery, Notice
from db.store import Store

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class ScriptedSender:
    """Answers each send with the next scripted outcome per channel (default: Sent)."""

    script: dict[int, Iterator[SendOutcome]] = field(default_factory=dict)
    sent: list[tuple[int, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    async def send(self, delivery: Delivery) -> SendOutcome:
        outcome = next(self.script.get(delivery.channel_id, iter(())), None) or Sent(
            len(self.sent) + 1
        )
        if isinstance(outcome, Sent):
            self.sent.append((delivery.channel_id, delivery.change.key))
        return outcome

    async def send_notice(self, notice: Notice) -> SendOutcome:
        self.notices.append(notice.text)
        return Sent(None)


async def _queue(store: Store, channels: list[int], events: list[str]) -> None:
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Slow Horses"))
        assert show.id is not None
        for channel in channels:
            await tx.watches.add(
                guild_id=1,
                channel_id=channel,
                show_id=show.id,
                role_id=None,
                created_by=None,
                now=START,
            )
        for event in events:
            change = AlertChange(
                "Slow Horses", 5, event, "", Certainty.OFFICIAL, Source("Deadline", None)
            )
            await tx.outbox.record_alert(show.id, change, now=START)


async def test_sends_each_delivery_once(store: Store) -> None:
    await _queue(store, [10, 11], ["renewed", "ending"])
    sender = ScriptedSender()
    worker = DeliveryWorker(store, sender, clock=Clock())
    assert await worker.run_once() == 4
    assert await worker.run_once() == 0
    assert sorted(sender.sent) == sorted(
        [(c, f"slow horses|5|{e}|") for c in (10, 11) for e in ("renewed", "ending")]
    )


async def test_passing_failures_back_off_and_keep_channel_order(store: Store) -> None:
    await _queue(store, [10], ["renewed", "ending"])
    clock = Clock()
    sender = ScriptedSender(script={10: iter([Retry("503 Service Unavailable")])})
    worker = DeliveryWorker(store, sender, clock=clock, policy=RetryPolicy(base_seconds=10))
    assert await worker.run_once() == 0  # the first failed; the second waits behind it
    clock.now += timedelta(seconds=9)
    assert await worker.run_once() == 0
    clock.now += timedelta(seconds=1)
    assert await worker.run_once() == 2
    assert [key.split("|")[2] for _, key in sender.sent] == ["renewed", "ending"]
    async with store.read() as tx:
        first = (await tx.outbox.for_channel(10))[0]
    assert first.attempts == 2 and first.status == "sent"


async def test_a_gone_channel_disables_its_watch_and_stops(store: Store) -> None:
    await _queue(store, [10, 11], ["renewed", "ending"])
    sender = ScriptedSender(script={10: iter([Gone("404 Unknown Channel")])})
    worker = DeliveryWorker(store, sender, clock=Clock())
    assert await worker.run_once() == 2
    async with store.read() as tx:
        watches = {w.channel_id: w for w in await tx.watches.for_guild(1)}
        statuses = [d.status for d in await tx.outbox.for_channel(10)]
    assert watches[10].disabled_reason == "404 Unknown Channel"
    assert watches[11].disabled_reason is None
    assert statuses == ["failed", "failed"]
    assert await worker.run_once() == 0


async def test_gives_up_after_max_attempts(store: Store) -> None:
    await _queue(store, [10], ["renewed"])
    clock = Clock()
    sender = ScriptedSender(script={10: iter([Retry("502")] * 3)})
    worker = DeliveryWorker(
        store, sender, clock=clock, policy=RetryPolicy(base_seconds=1, max_attempts=3)
    )
    for _ in range(4):
        await worker.run_once()
        clock.now += timedelta(hours=1)
    async with store.read() as tx:
        [delivery] = await tx.outbox.for_channel(10)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 3, "502")
    assert sender.sent == []


async def test_an_exception_in_the_sender_is_retried_not_lost(store: Store) -> None:
    await _queue(store, [10], ["renewed"])

    class Broken:
        async def send(self, delivery: Delivery) -> SendOutcome:
            raise RuntimeError("boom")

        async def send_notice(self, notice: Notice) -> SendOutcome:
            raise RuntimeError("boom")

    clock = Clock()
    worker = DeliveryWorker(store, Broken(), clock=clock)
    assert await worker.run_once() == 0
    async with store.read() as tx:
        [delivery] = await tx.outbox.for_channel(10)
    assert delivery.status == "pending" and "boom" in (delivery.last_error or "")


async def test_a_rejected_message_fails_without_retrying_or_disabling(store: Store) -> None:
    await _queue(store, [10], ["renewed", "ending"])
    sender = ScriptedSender(script={10: iter([Rejected("400: Invalid Form Body")])})
    worker = DeliveryWorker(store, sender, clock=Clock())
    assert await worker.run_once() == 1
    async with store.read() as tx:
        statuses = [(d.status, d.attempts) for d in await tx.outbox.for_channel(10)]
        [watch] = await tx.watches.for_guild(1)
    assert statuses == [("failed", 1), ("sent", 1)]
    assert watch.disabled_reason is None
