"""Server settings as the domain sees them: defaults, timezones, local hours and days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.records import GuildSettingsRecord
from bot.server_settings import (
    DEFAULT_DIGEST_HOUR,
    DEFAULT_TIMEZONE,
    InvalidSettingError,
    ServerDefaults,
    check_hour,
    parse_timezone,
    resolve,
    timezone_names,
    timezone_suggestions,
)
from bot.settings import load_settings


def test_a_server_that_set_nothing_gets_the_declared_defaults() -> None:
    defaults = ServerDefaults.from_settings(load_settings(reminder_hour_utc=7))
    server = resolve(GuildSettingsRecord(1), defaults)
    assert (server.timezone, server.reminder_hour, server.digest_hour) == (
        DEFAULT_TIMEZONE,
        7,  # REMINDER_HOUR_UTC
        DEFAULT_DIGEST_HOUR,
    )
    assert server.log_channel_id is None and server.chosen == frozenset()
    chose = resolve(GuildSettingsRecord(1, "Asia/Tokyo", 0, None, None), defaults)
    assert (chose.timezone, chose.reminder_hour, chose.chosen) == (
        "Asia/Tokyo",
        0,  # midnight is a choice, not "unset"
        frozenset({"timezone", "reminder_hour"}),
    )


def test_local_days_and_hours_follow_the_servers_timezone() -> None:
    auckland = resolve(GuildSettingsRecord(1, "Pacific/Auckland"), ServerDefaults())
    now = datetime(2024, 6, 2, 13, 0, tzinfo=UTC)  # 01:00 on June 3 in Auckland (UTC+12)
    assert auckland.today(now) == date(2024, 6, 3)
    assert not auckland.local_hour_passed(now, 2)
    assert auckland.moment(date(2024, 6, 3), 10) == datetime(2024, 6, 2, 22, 0, tzinfo=UTC)


def test_the_latest_digest_time_is_todays_once_it_has_come_else_yesterdays() -> None:
    la = resolve(GuildSettingsRecord(1, "America/Los_Angeles", None, 18), ServerDefaults())
    before = datetime(2024, 6, 3, 0, 59, tzinfo=UTC)  # 17:59 on June 2 in LA (UTC-7)
    after = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)  # 18:00 on June 2 in LA
    assert la.latest_digest_moment(before) == datetime(2024, 6, 2, 1, 0, tzinfo=UTC)
    assert la.latest_digest_moment(after) == after


def test_timezones_are_read_as_iana_names_whatever_the_case() -> None:
    assert parse_timezone("  america/new york ") == "America/New_York"
    assert parse_timezone("UTC") == "UTC"
    with pytest.raises(InvalidSettingError, match="not a timezone I know"):
        parse_timezone("Europe/Atlantis")
    assert "Europe/Berlin" in timezone_names()
    assert not any(name.startswith(("posix/", "right/")) for name in timezone_names())


def test_suggestions_put_what_starts_with_the_text_first() -> None:
    assert timezone_suggestions("europe/l")[:2] == ["Europe/Lisbon", "Europe/Ljubljana"]
    assert timezone_suggestions("tokyo") == ["Asia/Tokyo"]
    assert timezone_suggestions("")[0] == "UTC"
    assert len(timezone_suggestions("a")) == 25


def test_hours_are_0_to_23() -> None:
    assert check_hour(0) == 0 and check_hour(23) == 23
    with pytest.raises(InvalidSettingError):
        check_hour(24)


def test_a_stored_timezone_the_database_lost_falls_back_to_the_default() -> None:
    server = resolve(GuildSettingsRecord(1, "Mars/Olympus_Mons"), ServerDefaults())
    assert server.timezone == DEFAULT_TIMEZONE
    assert server.today(datetime(2024, 6, 2, 23, 0, tzinfo=UTC)) == date(2024, 6, 2)
