"""One place that configures logging for the whole process."""

from __future__ import annotations

import logging
import re

_NOISY = ("discord", "apscheduler", "aiosqlite", "sqlalchemy", "alembic", "asyncio")
# Discord bot tokens: three dot-separated base64url parts; also "Bot <token>" headers.
_TOKEN = re.compile(r"[MNO][A-Za-z\d_-]{23,28}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}")


class SecretFilter(logging.Filter):
    """Redacts known secrets and anything shaped like a Discord token from every record."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return _TOKEN.sub("[redacted]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def setup_logging(level: str = "INFO", secrets: tuple[str, ...] = ()) -> None:
    """Configure the root logger; noisy libraries stay at WARNING unless we debug."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
    )
    handler.addFilter(SecretFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    library_level = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(library_level, logging.WARNING))
