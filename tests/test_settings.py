"""Settings: defaults, environment, and one clear line for a wrong value."""

from __future__ import annotations

import logging

import pytest

from bot.logging_setup import SecretFilter
from bot.settings import SettingsError, load_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(str(tmp_path))  # no .env here
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///data/cliffhanger.db"
    assert settings.poll_interval_minutes == 10
    assert settings.feed_allow_private_hosts is False
    assert settings.discord_token is None


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLL_INTERVAL_MINUTES", "5")
    monkeypatch.setenv("DEV_GUILD_ID", "1234")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = load_settings()
    assert (settings.poll_interval_minutes, settings.dev_guild_id) == (5, 1234)
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("POLL_INTERVAL_MINUTES", "soon"),
        ("POLL_INTERVAL_MINUTES", "0"),
        ("DATABASE_URL", "mysql://x"),
        ("LOG_LEVEL", "LOUD"),
        ("FEED_ALLOW_PRIVATE_HOSTS", "perhaps"),
    ],
)
def test_a_wrong_value_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert name in message and "\n" not in message


def test_the_token_is_secret_and_never_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.abcdefghijklmnopqrstuvwxyz0123456789"
    monkeypatch.setenv("DISCORD_TOKEN", token)
    settings = load_settings()
    assert token not in repr(settings) and token not in str(settings.model_dump())
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token is %s", (token,), None)
    SecretFilter(()).filter(record)
    assert token not in record.getMessage()
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "Bot secret-value", None, None)
    SecretFilter(("secret-value",)).filter(record)
    assert record.getMessage() == "Bot [redacted]"


def test_empty_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    # As a copy of .env.example has them: `SHARD_COUNT=`, `DEV_GUILD_ID=`.
    for name in ("SHARD_COUNT", "SHARD_IDS", "DEV_GUILD_ID", "DISCORD_TOKEN"):
        monkeypatch.setenv(name, "")
    settings = load_settings()
    assert (settings.shard_count, settings.shard_ids, settings.dev_guild_id) == (None, None, None)
    assert settings.discord_token is None


def test_shards_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", "0, 1")
    settings = load_settings()
    assert (settings.shard_count, settings.shard_ids) == (4, (0, 1))
    assert settings.shards_label == "0, 1 of 4"
    monkeypatch.delenv("SHARD_IDS")
    assert load_settings().shards_label == "all 4"
    monkeypatch.delenv("SHARD_COUNT")
    assert load_settings().shards_label == "all"


@pytest.mark.parametrize(
    ("count", "ids", "says"),
    [
        (None, "0", "needs SHARD_COUNT"),
        ("2", "0,2", "numbered 0 to 1"),
        ("2", "1,1", "twice"),
        ("2", "one", "separated by commas"),
    ],
)
def test_wrong_shards_are_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, count: str | None, ids: str, says: str
) -> None:
    if count is not None:
        monkeypatch.setenv("SHARD_COUNT", count)
    monkeypatch.setenv("SHARD_IDS", ids)
    monkeypatch.setenv("DISCORD_TOKEN", "secret-token-value")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith("SHARD_IDS:") and says in message and "\n" not in message
    assert "secret-token-value" not in message
