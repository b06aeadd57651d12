"""Per-server settings: every default declared here (the reminder hour's beside
REMINDER_HOUR_UTC in bot/settings.py), values checked here, and each server's settings read
with the defaults filled in.

A server that never set anything lives in UTC, gets premiere reminders at
REMINDER_HOUR_UTC (bot/settings.py) and its digests at 18:00, and has no log channel.
Hours are the server's local time, in its IANA timezone (`zoneinfo`, with the `tzdata`
package as the database where the system has none).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.records import GuildSettingsRecord
from bot.settings import DEFAULT_REMINDER_HOUR, Settings

if TYPE_CHECKING:
    from db.store import Store, Tx

log = logging.getLogger(__name__)

DEFAULT_TIMEZONE = "UTC"
DEFAULT_DIGEST_HOUR = 18
SUGGESTIONS = 25


class InvalidSettingError(ValueError):
    """A setting's value is not allowed; the message says what is."""


@dataclass(frozen=True, slots=True)
class ServerDefaults:
    """What a server gets for each setting it did not choose."""

    timezone: str = DEFAULT_TIMEZONE
    reminder_hour: int = DEFAULT_REMINDER_HOUR
    digest_hour: int = DEFAULT_DIGEST_HOUR

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerDefaults:
        """The defaults, with the reminder hour from REMINDER_HOUR_UTC."""
        return cls(reminder_hour=settings.reminder_hour_utc)


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """A server's settings with the defaults filled in; `chosen` names the ones it set."""

    guild_id: int
    timezone: str
    reminder_hour: int
    digest_hour: int
    log_channel_id: int | None
    chosen: frozenset[str] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        """The server's timezone."""
        return _zone(self.timezone)

    def today(self, now: datetime) -> date:
        """The server's calendar date at `now`."""
        return now.astimezone(self.zone).date()

    def local_hour_passed(self, now: datetime, hour: int) -> bool:
        """Whether it is `hour` o'clock or later today in the server's timezone."""
        return now.astimezone(self.zone).hour >= hour

    def moment(self, day: date, hour: int) -> datetime:
        """`hour` o'clock on `day` in the server's timezone, as UTC."""
        return datetime.combine(day, time(hour), tzinfo=self.zone).astimezone(UTC)

    def latest_digest_moment(self, now: datetime) -> datetime:
        """The most recent digest time at or before `now` (today's, or else yesterday's)."""
        today = self.today(now)
        moment = self.moment(today, self.digest_hour)
        if moment > now:
            moment = self.moment(today - timedelta(days=1), self.digest_hour)
        return moment


@functools.cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _stored_zone(name: str | None, default: str) -> str:
    if name is None:
        return default
    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A name the timezone database no longer has: the server gets the default.
        log.warning("unknown stored timezone %r; using %s", name, default)
        return default
    return name


def resolve(record: GuildSettingsRecord, defaults: ServerDefaults) -> ServerSettings:
    """A server's settings: what it stored, else the defaults."""
    chosen = frozenset(
        item.name
        for item in fields(record)
        if item.name != "guild_id" and getattr(record, item.name) is not None
    )
    return ServerSettings(
        guild_id=record.guild_id,
        timezone=_stored_zone(record.timezone, defaults.timezone),
        reminder_hour=(
            defaults.reminder_hour if record.reminder_hour is None else record.reminder_hour
        ),
        digest_hour=defaults.digest_hour if record.digest_hour is None else record.digest_hour,
        log_channel_id=record.log_channel_id,
        chosen=chosen,
    )


async def settings_of(
    tx: Tx, defaults: ServerDefaults, guild_ids: Iterable[int]
) -> dict[int, ServerSettings]:
    """Several servers' settings in one query, by guild id."""
    ids = set(guild_ids)
    stored = await tx.guild_settings.many(ids)
    return {
        guild_id: resolve(stored.get(guild_id, GuildSettingsRecord(guild_id)), defaults)
        for guild_id in ids
    }


async def server_settings(store: Store, defaults: ServerDefaults, guild_id: int) -> ServerSettings:
    """One server's settings."""
    async with store.read() as tx:
        return resolve(await tx.guild_settings.get(guild_id), defaults)


async def change_settings(
    store: Store, defaults: ServerDefaults, guild_id: int, *, now: datetime, **values: object
) -> ServerSettings:
    """Store some of a server's settings (None restores a default); returns them all."""
    async with store.transaction() as tx:
        await tx.guild_settings.update(guild_id, now=now, **values)
        return resolve(await tx.guild_settings.get(guild_id), defaults)


@functools.cache
def timezone_names() -> tuple[str, ...]:
    """Every IANA timezone name, sorted."""
    skipped = ("posix/", "right/")
    names = (n for n in available_timezones() if not n.startswith(skipped))
    return tuple(sorted(n for n in names if n not in {"localtime", "Factory", "posixrules"}))


def _folded(text: str) -> str:
    return text.casefold().replace(" ", "_")


def parse_timezone(text: str) -> str:
    """The IANA name a user means ("europe/berlin", "America/New York"), or
    InvalidSettingError."""
    wanted = _folded(text.strip())
    for name in timezone_names():
        if _folded(name) == wanted:
            return name
    try:
        _zone(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSettingError(
            f"“{text.strip()[:60]}” is not a timezone I know. Pick one from the list, "
            "such as Europe/Berlin or America/Los_Angeles."
        ) from None
    return text.strip()


def timezone_suggestions(typed: str, limit: int = SUGGESTIONS) -> list[str]:
    """Timezones matching what a user typed: names starting with it first, then names whose
    city starts with it, then any containing it."""
    wanted = _folded(typed.strip())
    if not wanted:
        preferred = ("UTC", "Europe/London", "America/New_York", "America/Los_Angeles")
        return list(preferred)[:limit]
    ranked: list[tuple[int, str]] = []
    for name in timezone_names():
        folded = _folded(name)
        if folded.startswith(wanted):
            rank = 0
        elif folded.rsplit("/", 1)[-1].startswith(wanted):
            rank = 1
        elif wanted in folded:
            rank = 2
        else:
            continue
        ranked.append((rank, name))
    return [name for _, name in sorted(ranked)[:limit]]


def check_hour(hour: int) -> int:
    """An hour of the day, 0-23."""
    if not 0 <= hour <= 23:
        raise InvalidSettingError("Pick an hour from 0 to 23 (server time).")
    return hour
