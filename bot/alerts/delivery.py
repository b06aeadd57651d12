"""The delivery worker: sends queued alerts from the outbox, exactly once.

Order of operations per delivery: send (with the row's nonce and `enforce_nonce`), then
mark it sent. If the process dies in between, the row is still pending; the resend carries
the same nonce, so Discord answers with the message it already posted instead of a second
one, and the row is then marked. A channel that is gone or forbidden disables its watches
(with the reason) instead of being retried forever; passing failures back off.

Targets: an announcement channel's alert is published (crossposted) after it is posted;
if publishing fails the posted message's id is kept, so the retry only publishes. A forum
gets one post per show: before opening it the worker notes that it is about to (so a
retry after a crash looks for that post instead of opening a second one), and once open
its thread takes the show's later alerts, each with its nonce.

Problems the server should know about (a channel refused, alerts that keep failing) are
queued for its log channel (bot/admin_log.py) and sent here too.

Claims: the worker claims a batch (`claim_due`) before sending it, for `claim` seconds, and
starts no send in the last third of its claim. A worker taking over from one that died
leaves the dead one's claimed rows alone until the claim runs out, then sends them with
the same nonces: a message the dead worker posted without marking it comes back from
Discord as the one message, never a second. Batches are sized to be sent well within a
claim at the limiter's pace.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from bot.admin_log import log_channel_refused, log_delivery_failing
from bot.alerts.direct import DirectDeliveries, DirectSender
from bot.alerts.outcomes import Gone, PostGone, Rejected, Retry, SendOutcome, Sent
from bot.clock import Clock, utc_now
from bot.models import TargetKind
from bot.process import process_name
from bot.records import Delivery, Notice
from db.store import Store, Tx

__all__ = [  # the outcomes are defined in outcomes.py and used from here too
    "AlertSender",
    "DeliveryWorker",
    "Gone",
    "PostGone",
    "RateLimiter",
    "Rejected",
    "Retry",
    "RetryPolicy",
    "SendOutcome",
    "Sent",
]

log = logging.getLogger(__name__)

# Discord allows a bot 50 requests/s in all; sends are paced a little below that, leaving
# room for the bot's other requests (command syncs, channel lookups) and network jitter.
DEFAULT_SEND_RATE = 48.0
DEFAULT_SEND_BURST = 1
# Failures in a row after which the server's admin log hears that alerts keep failing.
LOG_AFTER_ATTEMPTS = 3
# How long a worker's claim on the deliveries it is sending lasts (DELIVERY_CLAIM_SECONDS).
DEFAULT_CLAIM = timedelta(seconds=15)


class AlertSender(Protocol):
    """Posts deliveries and log messages (implemented with discord.py in cogs/; the same
    object sends the DMs to followers, see `DirectSender`)."""

    async def send(self, delivery: Delivery) -> SendOutcome:
        """Send the delivery's message, using `delivery.nonce` as the message nonce."""
        ...

    async def send_notice(self, notice: Notice) -> SendOutcome:
        """Post a message in a server's log channel, with `notice.nonce`."""
        ...


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff for passing failures: base × 2^attempts, capped; give up after max."""

    base_seconds: float = 10.0
    cap_seconds: float = 3600.0
    max_attempts: int = 12

    def delay(self, attempts: int, hint: float | None = None) -> float:
        """Seconds to wait before attempt number `attempts + 1`."""
        backoff = min(self.cap_seconds, self.base_seconds * 2.0**attempts)
        return float(max(backoff, hint or 0.0))


class RateLimiter:
    """Paces callers to at most `rate` per second on average, letting up to `burst` go back
    to back after a quiet spell (a token bucket, kept as the time the next slot is due).

    Callers are served in the order they call `acquire`; one that is cancelled while
    waiting gives its slot up (the pace only ever errs on the slow side)."""

    def __init__(
        self, rate: float, burst: int = 1, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not rate > 0 or not math.isfinite(rate):
            raise ValueError(f"rate must be a positive number of calls per second, not {rate}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, not {burst}")
        self.rate = rate
        self.burst = burst
        self._interval = 1.0 / rate
        self._clock = clock
        self._next = -math.inf  # when the next slot is due, were there no burst allowance

    def reserve(self) -> float:
        """Take the next slot; returns how many seconds from now it starts (0 if at once)."""
        now = self._clock()
        due = max(self._next, now)
        starts = max(now, due - (self.burst - 1) * self._interval)
        self._next = due + self._interval
        return starts - now

    async def acquire(self) -> None:
        """Wait for the next slot."""
        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)


class DeliveryWorker:
    """Sends due deliveries, a batch at a time, one in flight per channel so a channel's
    alerts keep their order, up to `concurrency` channels at once, no faster than
    `limiter` allows (default: DEFAULT_SEND_RATE per second)."""

    def __init__(
        self,
        store: Store,
        sender: AlertSender,
        *,
        clock: Clock = utc_now,
        policy: RetryPolicy | None = None,
        batch_size: int = 200,
        concurrency: int = 25,
        limiter: RateLimiter | None = None,
        direct: DirectSender | None = None,
        owner: str = "",
        claim: timedelta = DEFAULT_CLAIM,
    ) -> None:
        self._store = store
        self._sender = sender
        self._clock = clock
        self._policy = policy or RetryPolicy()
        self._batch_size = batch_size
        self._slots = asyncio.Semaphore(concurrency)
        self.limiter = limiter or RateLimiter(DEFAULT_SEND_RATE, DEFAULT_SEND_BURST)
        self._wake = asyncio.Event()
        # DMs to followers, when a sender for them is given (bot/alerts/direct.py).
        self._direct = (
            None
            if direct is None
            else DirectDeliveries(
                store,
                direct,
                clock=clock,
                acquire=self.limiter.acquire,
                delay=self._policy.delay,
                max_attempts=self._policy.max_attempts,
            )
        )
        self.owner = owner or process_name()
        self._claim = claim

    def wake(self) -> None:
        """New deliveries were queued: look now rather than at the next due time."""
        self._wake.set()

    async def run_once(self) -> int:
        """Send every delivery due now, then the DMs to followers and the log messages;
        returns how many deliveries and DMs were sent."""
        sent = await self._send_deliveries()
        if self._direct is not None:
            sent += await self._direct.run_once(self._batch_size)
        await self._send_notices()
        return sent

    def _claim_size(self) -> int:
        """A batch the limiter lets through in a third of a claim, at most `batch_size`."""
        third = self._claim.total_seconds() / 3
        return max(1, min(self._batch_size, int(self.limiter.rate * third)))

    async def _send_deliveries(self) -> int:
        sent = 0
        limit = self._claim_size()
        while True:
            now = self._clock()
            async with self._store.transaction() as tx:
                due = await tx.outbox.claim_due(
                    now, owner=self.owner, until=now + self._claim, limit=limit
                )
            if not due:
                return sent
            # No send starts in the claim's last third: the rest waits for the next batch.
            stop_at = now + self._claim * 2 / 3
            by_channel: dict[int, list[Delivery]] = {}
            for delivery in due:
                by_channel.setdefault(delivery.channel_id, []).append(delivery)
            results = await asyncio.gather(
                *(self._send_channel(items, stop_at) for items in by_channel.values())
            )
            sent += sum(results)
            if len(due) < limit:
                return sent

    async def release_claims(self) -> None:
        """Give up this worker's claims, so the next worker need not wait them out."""
        async with self._store.transaction() as tx:
            released = await tx.outbox.release_claims(self.owner)
        if released:
            log.info("released %d claimed deliveries for the next worker", released)

    async def run_forever(self, idle_seconds: float = 30.0) -> None:
        """Deliver until cancelled, sleeping until woken or the next delivery is due."""
        while True:
            self._wake.clear()
            try:
                await self.run_once()
            except Exception:
                log.exception("delivery pass failed; trying again shortly")
                await asyncio.sleep(min(idle_seconds, self._policy.base_seconds))
                continue
            async with self._store.read() as tx:
                next_due = await tx.outbox.next_due_at()
                direct_due = await tx.direct.next_due_at() if self._direct else None
                if direct_due is not None and (next_due is None or direct_due < next_due):
                    next_due = direct_due
                if await tx.notices.due(self._clock(), limit=1):
                    next_due = self._clock()
            wait = idle_seconds
            if next_due is not None:
                wait = max(0.0, min(wait, (next_due - self._clock()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def _send_channel(self, deliveries: Sequence[Delivery], stop_at: datetime) -> int:
        sent = 0
        async with self._slots:
            for index, delivery in enumerate(deliveries):
                if self._clock() >= stop_at:
                    return sent  # still claimed by us: the next batch takes them
                outcome = await self._attempt(delivery)
                if isinstance(outcome, Sent):
                    sent += 1
                elif isinstance(outcome, Gone):
                    return sent  # the channel's other deliveries were failed with it
                elif isinstance(outcome, Retry) and index + 1 < len(deliveries):
                    # Keep the channel's order: later alerts wait for this one.
                    await self._postpone(deliveries[index + 1 :], outcome)
                    return sent
        return sent

    async def _attempt(self, delivery: Delivery) -> SendOutcome:
        if delivery.target is TargetKind.FORUM:
            # Read again now: an earlier delivery of this batch may have opened the post.
            async with self._store.transaction() as tx:
                post = await tx.forum_posts.claim(
                    delivery.channel_id, delivery.show_id, now=self._clock()
                )
            delivery = replace(
                delivery,
                post_thread_id=post.thread_id if post else None,
                post_started_at=post.started_at if post else None,
            )
        await self.limiter.acquire()
        try:
            outcome = await self._sender.send(delivery)
        except Exception as error:  # a bug or an unexpected client error: retry, log it
            log.exception("sending delivery %s failed", delivery.id)
            outcome = Retry(f"{type(error).__name__}: {error}")
        now = self._clock()
        async with self._store.transaction() as tx:
            if isinstance(outcome, Sent):
                await tx.outbox.mark_sent(delivery.id, outcome.message_id, now=now)
                if outcome.thread_id is not None:
                    await tx.forum_posts.record(
                        delivery.channel_id, delivery.show_id, outcome.thread_id
                    )
            elif isinstance(outcome, Rejected):
                log.error("Discord rejected delivery %s: %s", delivery.id, outcome.error)
                await tx.outbox.mark_failed(delivery.id, outcome.error)
                await log_delivery_failing(tx, delivery, outcome.error, gave_up=True, now=now)
            elif isinstance(outcome, Gone):
                await self._disable(tx, delivery, outcome)
            elif isinstance(outcome, PostGone):
                log.warning("forum post for delivery %s is gone: %s", delivery.id, outcome.error)
                await tx.forum_posts.forget(delivery.channel_id, delivery.show_id)
                await tx.outbox.mark_retry(delivery.id, outcome.error, next_attempt_at=now)
            elif delivery.attempts + 1 >= self._policy.max_attempts:
                log.warning("giving up delivery %s: %s", delivery.id, outcome.error)
                await tx.outbox.mark_failed(delivery.id, outcome.error)
                await log_delivery_failing(tx, delivery, outcome.error, gave_up=True, now=now)
            else:
                delay = self._policy.delay(delivery.attempts, outcome.after_seconds)
                await tx.outbox.mark_retry(
                    delivery.id,
                    outcome.error,
                    next_attempt_at=now + timedelta(seconds=delay),
                    message_id=outcome.message_id,
                )
                if delivery.attempts + 1 >= LOG_AFTER_ATTEMPTS:
                    await log_delivery_failing(tx, delivery, outcome.error, gave_up=False, now=now)
        return outcome

    async def _disable(self, tx: Tx, delivery: Delivery, outcome: Gone) -> None:
        log.warning("channel %s refused alerts: %s", delivery.channel_id, outcome.error)
        now = self._clock()
        shows = [
            watch.show_name for watch in await tx.watches.active_in_channel(delivery.channel_id)
        ]
        await tx.watches.disable_channel(delivery.channel_id, outcome.error, now=now)
        await tx.outbox.mark_failed(delivery.id, outcome.error)
        await tx.outbox.fail_pending_for_channel(delivery.channel_id, outcome.error)
        await log_channel_refused(
            tx,
            delivery.guild_id,
            delivery.channel_id,
            shows,
            outcome.error,
            deleted=outcome.deleted,
            now=now,
        )

    async def _send_notices(self) -> None:
        """Send the due log messages, one at a time (they are rare)."""
        async with self._store.read() as tx:
            due = await tx.notices.due(self._clock())
        for notice in due:
            await self.limiter.acquire()
            try:
                outcome = await self._sender.send_notice(notice)
            except Exception as exc:
                log.exception("sending log message %s failed", notice.id)
                outcome = Retry(f"{type(exc).__name__}: {exc}")
            now = self._clock()
            async with self._store.transaction() as tx:
                if isinstance(outcome, Sent):
                    await tx.notices.mark_sent(notice.id, outcome.message_id, now=now)
                elif isinstance(outcome, Retry) and notice.attempts + 1 < self._policy.max_attempts:
                    delay = self._policy.delay(notice.attempts, outcome.after_seconds)
                    await tx.notices.mark_retry(
                        notice.id, outcome.error, next_attempt_at=now + timedelta(seconds=delay)
                    )
                else:  # the log channel itself is broken: nobody to tell but the log
                    log.warning("log message %s to channel %s failed", notice.id, notice.channel_id)
                    await tx.notices.mark_failed(notice.id, outcome.error)

    async def _postpone(self, deliveries: Sequence[Delivery], outcome: Retry) -> None:
        delay = self._policy.delay(0, outcome.after_seconds)
        later = self._clock() + timedelta(seconds=delay)
        async with self._store.transaction() as tx:
            for delivery in deliveries:
                await tx.outbox.postpone(delivery.id, later)
