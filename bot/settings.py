"""Settings read once at start-up from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

# The hour of premiere reminders for a server that chose none (bot/server_settings.py).
DEFAULT_REMINDER_HOUR = 10
DEFAULT_USER_AGENT = (
    "Cliffhanger/0.1 (+https://github.com/cliffhanger-bot/cliffhanger; ops@example.org)"
)


class SettingsError(ValueError):
    """A setting has a wrong value; the message is one line naming the setting."""


class Settings(BaseSettings):
    """Every knob of the bot. Secrets have no default and are never logged."""

    # An empty value ("DEV_GUILD_ID=" as .env.example has it) means "not set": the default.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    discord_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///data/cliffhanger.db"
    database_busy_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Fractions are allowed (0.05 = every 3 s) so that tests can run the real schedule.
    poll_interval_minutes: float = Field(default=10, ge=0.02, le=24 * 60)
    dev_guild_id: int | None = None
    feed_allow_private_hosts: bool = False
    http_user_agent: str = DEFAULT_USER_AGENT
    log_level: str = "INFO"
    http_timeout_seconds: float = Field(default=15.0, gt=0, le=300)
    feed_max_bytes: int = Field(default=5_000_000, ge=10_000)
    feed_max_failures: int = Field(default=10, ge=1)
    feed_per_host_concurrency: int = Field(default=2, ge=1, le=50)
    alert_recent_days: int = Field(default=3, ge=0, le=365)
    # The reminder hour of servers that chose none (local time; a server's default zone is
    # UTC, hence the name).
    reminder_hour_utc: int = Field(default=DEFAULT_REMINDER_HOUR, ge=0, le=23)
    delivery_concurrency: int = Field(default=25, ge=1, le=200)
    delivery_rate_per_second: float = Field(default=48.0, gt=0, le=50)
    tvmaze_enabled: bool = True
    tvmaze_api_url: str = "https://api.tvmaze.com"
    # TVmaze allows at least 20 calls per 10 s per IP; calls are spaced evenly within it.
    tvmaze_rate_calls: int = Field(default=20, ge=1, le=10_000)
    tvmaze_rate_seconds: float = Field(default=10.0, gt=0, le=3600)
    # Sharding: SHARD_COUNT=4 SHARD_IDS=0,1 runs shards 0 and 1 of 4 here; unset, discord.py
    # asks Discord how many shards to run and runs them all.
    shard_count: int | None = Field(default=None, ge=1, le=10_000)
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = None
    # Several processes on one PostgreSQL store: how often a standby tries to become the
    # worker (and the worker checks it still is, and every process reads the shows the
    # others learned), and how long a worker's claim on an alert it is sending lasts.
    cluster_check_seconds: float = Field(default=5.0, ge=0.1, le=60)
    delivery_claim_seconds: float = Field(default=15.0, ge=1, le=3600)

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.isdigit() for part in parts):
                raise ValueError("must be shard numbers separated by commas, e.g. 0,1")
            return tuple(int(part) for part in parts) or None
        return value

    @field_validator("shard_ids")
    @classmethod
    def _shards_fit(cls, value: tuple[int, ...] | None, info: ValidationInfo) -> object:
        if value is None:
            return value
        count = info.data.get("shard_count")  # validated first: declared first
        if count is None:
            raise ValueError("needs SHARD_COUNT too (e.g. SHARD_COUNT=2 SHARD_IDS=0)")
        if len(set(value)) != len(value):
            raise ValueError("lists a shard twice")
        if any(shard >= count for shard in value):
            raise ValueError(f"shards are numbered 0 to {count - 1} when SHARD_COUNT={count}")
        return value

    @property
    def shards_label(self) -> str:
        """This process's shards as people read them: "0, 1 of 4", "all 4", or "all"."""
        if self.shard_count is None:
            return "all"
        if self.shard_ids is None:
            return f"all {self.shard_count}"
        return ", ".join(map(str, self.shard_ids)) + f" of {self.shard_count}"

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg:// "
                "(e.g. sqlite+aiosqlite:///data/cliffhanger.db)"
            )
        try:
            url = make_url(value)
        except (ArgumentError, ValueError) as exc:
            raise ValueError(f"is not a database URL ({exc})") from None
        # Without a database name, PostgreSQL would use whatever database the user defaults
        # to, and SQLite an in-memory store that is empty at every start.
        if url.get_backend_name() == "sqlite":
            if not url.database or url.database == ":memory:" or "memory" in url.query.values():
                raise ValueError(
                    "must name a database file, e.g. sqlite+aiosqlite:///data/cliffhanger.db"
                )
        elif not url.database:
            raise ValueError(
                "must name the database, "
                "e.g. postgresql+asyncpg://user:password@host:5432/cliffhanger"
            )
        return value

    @field_validator("tvmaze_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// address, e.g. https://api.tvmaze.com")
        return value.rstrip("/")

    @field_validator("http_user_agent")
    @classmethod
    def _has_contact(cls, value: str) -> str:
        if "@" not in value and "http" not in value:
            raise ValueError("should include a contact address (an e-mail or URL) for feed owners")
        return value


def load_settings(**overrides: object) -> Settings:
    """Build the settings, turning a validation error into one clear line per setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "settings"
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"{name}: {message} (got {_shown(name, error.get('input'))!r})")
        raise SettingsError("; ".join(lines)) from None


def _shown(name: str, value: object) -> object:
    """A wrong value as it may be shown: never a secret, never a database password."""
    if name == "DISCORD_TOKEN":
        return "[redacted]"
    if name == "DATABASE_URL" and isinstance(value, str):
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            return "[not shown]"  # unreadable, so its password could not be hidden
        return value if url.password is None else url.render_as_string(hide_password=True)
    return value
