"""Snowflake ids like Discord's: the creation time in the top bits, unique and increasing.

discord.py reads the time back out of ids (for example to pick the rate limit bucket when
deleting a message), so the ids must carry a realistic timestamp.
"""

from __future__ import annotations

import time

DISCORD_EPOCH_MS = 1_420_070_400_000


class SnowflakeFactory:
    """Hands out strictly increasing snowflakes stamped with the current time."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        """A new id, greater than every id handed out before."""
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        candidate = now_ms << 22
        self._last = max(candidate, self._last + 1)
        return self._last

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """A new id of a guild that shard `shard_id` of `shard_count` serves (Discord's
        rule: `(guild_id >> 22) % shard_count`); its time is at most a few ms ahead."""
        stamp = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, (self._last >> 22) + 1)
        stamp += (shard_id - stamp) % shard_count
        self._last = stamp << 22
        return self._last
