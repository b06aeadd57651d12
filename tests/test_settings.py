"""Settings: defaults, environment, and one clear line for a wrong value."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.logging_setup import SecretFilter
from bot.settings import Settings, SettingsError, load_settings


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


ROOT = Path(__file__).resolve().parents[1]


def test_the_env_example_copied_as_the_readme_says_loads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # `cp .env.example .env` and fill in the token: the empty settings are "not set".
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    (tmp_path / ".env").write_text(
        example.replace("\nDISCORD_TOKEN=\n", "\nDISCORD_TOKEN=abc.def.ghi\n"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "abc.def.ghi"
    assert settings.dev_guild_id is None


@pytest.mark.parametrize("name", [name.upper() for name in Settings.model_fields])
def test_an_empty_value_means_not_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    defaults = load_settings()
    monkeypatch.setenv(name, "")
    assert load_settings() == defaults
    (tmp_path / ".env").write_text(f"{name}=\n", encoding="utf-8")
    monkeypatch.delenv(name)
    assert load_settings() == defaults


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://",
        "postgresql+asyncpg://cliffhanger:hunter2@db-host:5432/",
        "sqlite+aiosqlite://",
        "sqlite+aiosqlite:///:memory:",
    ],
)
def test_a_database_url_without_a_database_is_refused(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith("DATABASE_URL: must name ") and "\n" not in message
    assert "hunter2" not in message  # the password is never repeated


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
