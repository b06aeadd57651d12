"""An optional model of Discord's published REST rate limits.

* Global: 50 requests per second per bot token (interaction callbacks and webhook
  follow-ups are exempt, as on Discord).
* Creating messages: 5 per 5 seconds per channel.

Windows are fixed: they start with the first request and reset `window` seconds later.
Successful requests carry the X-RateLimit-* bucket headers so discord.py paces itself;
over-limit requests get a 429 exactly like Discord's. Every check is O(1).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.fake_discord.faults import rate_limited_response
from tests.fake_discord.responses import FakeResponse

MESSAGE_BUCKET = "fake-create-message"


@dataclass(frozen=True, slots=True)
class RateLimitConfig:
    """Limits of the model; scale the windows down to keep tests fast."""

    global_limit: int = 50
    global_window: float = 1.0
    channel_message_limit: int = 5
    channel_message_window: float = 5.0


@dataclass(slots=True)
class _Window:
    reset_at: float
    used: int


@dataclass(slots=True)
class RateLimitStats:
    """How many requests the model refused with 429."""

    global_limited: int = 0
    channel_limited: int = 0

    @property
    def total(self) -> int:
        """All 429s the model sent."""
        return self.global_limited + self.channel_limited


class RateLimitModel:
    """Counts requests in fixed windows and decides when to answer 429."""

    def __init__(self, config: RateLimitConfig, clock: Callable[[], float]) -> None:
        self.config = config
        self.stats = RateLimitStats()
        self._clock = clock
        self._global = _Window(reset_at=0.0, used=0)
        self._channels: dict[int, _Window] = {}

    def check_global(self) -> FakeResponse | None:
        """Count one authenticated request; the 429 to send if over the global limit."""
        now = self._clock()
        window = self._global
        if now >= window.reset_at:
            window.reset_at, window.used = now + self.config.global_window, 0
        if window.used >= self.config.global_limit:
            self.stats.global_limited += 1
            return rate_limited_response(window.reset_at - now, is_global=True)
        window.used += 1
        return None

    def check_channel_message(
        self, channel_id: int
    ) -> tuple[FakeResponse | None, tuple[tuple[str, str], ...]]:
        """Count one message creation in `channel_id`; returns (the 429 if over the limit,
        the bucket headers to send with a success)."""
        now = self._clock()
        limit, length = self.config.channel_message_limit, self.config.channel_message_window
        window = self._channels.get(channel_id)
        if window is None or now >= window.reset_at:
            window = self._channels[channel_id] = _Window(reset_at=now + length, used=0)
        reset_after = max(window.reset_at - now, 0.0)
        if window.used >= limit:
            self.stats.channel_limited += 1
            headers = self._bucket_headers(limit, 0, reset_after)
            return rate_limited_response(reset_after, is_global=False, bucket_headers=headers), ()
        window.used += 1
        return None, self._bucket_headers(limit, limit - window.used, reset_after)

    @staticmethod
    def _bucket_headers(
        limit: int, remaining: int, reset_after: float
    ) -> tuple[tuple[str, str], ...]:
        # Round up so a client sleeping exactly `reset_after` never wakes before the reset.
        reset_after = math.ceil(reset_after * 1000) / 1000
        return (
            ("X-RateLimit-Limit", str(limit)),
            ("X-RateLimit-Remaining", str(remaining)),
            ("X-RateLimit-Reset", f"{time.time() + reset_after:.3f}"),
            ("X-RateLimit-Reset-After", f"{reset_after:.3f}"),
            ("X-RateLimit-Bucket", MESSAGE_BUCKET),
        )
