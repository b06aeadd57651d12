"""Sending the DM outbox: alerts to the users following a show, exactly once.

Like channel alerts, each DM is sent with its nonce (`enforce_nonce`) and then marked, so
a resend after a crash returns the message already sent. A user whose DMs refuse the bot
(Discord error 50007) is paused: that DM and every other one pending for them are given
up, no more are queued until they follow again, and their next command tells them why.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

from bot.alerts.outcomes import Closed, Rejected, Retry, SendOutcome, Sent
from bot.clock import Clock
from bot.records import DirectDelivery
from db.store import Store

log = logging.getLogger(__name__)

CANNOT_DM = 50007  # Discord: "Cannot send messages to this user"


class DirectSender(Protocol):
    """Sends a DM to a following user (implemented with discord.py in cogs/)."""

    async def send_direct(self, delivery: DirectDelivery) -> SendOutcome | Closed:
        """DM the alert with `delivery.nonce`; `Closed` when the user's DMs refuse."""
        ...


class DirectDeliveries:
    """The DM half of the delivery worker: sends due DMs one at a time, through the same
    rate limiter and retry policy as channel alerts."""

    def __init__(
        self,
        store: Store,
        sender: DirectSender,
        *,
        clock: Clock,
        acquire: Callable[[], Awaitable[None]],
        delay: Callable[[int, float | None], float],
        max_attempts: int,
    ) -> None:
        self._store = store
        self._sender = sender
        self._clock = clock
        self._acquire = acquire
        self._delay = delay
        self._max_attempts = max_attempts

    async def run_once(self, limit: int = 200) -> int:
        """Send the DMs due now; returns how many were sent."""
        async with self._store.read() as tx:
            due = await tx.direct.due(self._clock(), limit=limit)
        sent = 0
        closed: set[int] = set()
        for delivery in due:
            if delivery.user_id in closed:
                continue  # failed with the pause below
            await self._acquire()
            outcome: SendOutcome | Closed
            try:
                outcome = await self._sender.send_direct(delivery)
            except Exception as exc:  # a bug or an unexpected client error: retry, log it
                log.exception("sending DM %s failed", delivery.id)
                outcome = Retry(f"{type(exc).__name__}: {exc}")
            now = self._clock()
            async with self._store.transaction() as tx:
                if isinstance(outcome, Sent):
                    await tx.direct.mark_sent(delivery.id, outcome.message_id, now=now)
                    sent += 1
                elif isinstance(outcome, Closed):
                    log.info("DMs to user %s are closed; pausing their follows", delivery.user_id)
                    await tx.direct.mark_failed(delivery.id, outcome.error)
                    unsent = await tx.direct.fail_pending_for_user(delivery.user_id, outcome.error)
                    shows = [delivery.change.show, *unsent]
                    await tx.follows.pause(delivery.user_id, outcome.error, shows, now=now)
                    closed.add(delivery.user_id)
                elif isinstance(outcome, Retry) and delivery.attempts + 1 < self._max_attempts:
                    wait = self._delay(delivery.attempts, outcome.after_seconds)
                    await tx.direct.mark_retry(
                        delivery.id, outcome.error, next_attempt_at=now + timedelta(seconds=wait)
                    )
                else:  # rejected, or retried too often (Gone needs no case: no channel)
                    reason = outcome.error
                    if isinstance(outcome, Rejected):
                        log.error("Discord rejected DM %s: %s", delivery.id, reason)
                    await tx.direct.mark_failed(delivery.id, reason)
        return sent
