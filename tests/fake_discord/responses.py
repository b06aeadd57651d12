"""What route handlers receive and answer, and Discord's common error bodies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from tests.fake_discord.models import JSON


@dataclass(frozen=True, slots=True)
class FakeResponse:
    """What the fake answers: a JSON body (or text, or nothing) plus headers."""

    status: int
    body: JSON | list[JSON] | None = None
    headers: tuple[tuple[str, str], ...] = ()
    text: str | None = None


@dataclass(slots=True)
class RestRequest:
    """A parsed request as route handlers see it."""

    method: str
    path: str
    params: dict[str, str]
    query: Mapping[str, str]
    body: object
    files: list[str]
    uploads: dict[str, bytes] = field(default_factory=dict)  # the files' contents by name

    def int_param(self, name: str) -> int:
        """A numeric path parameter (-1 if it is not a number, which matches nothing)."""
        value = self.params[name]
        return int(value) if value.isdigit() else -1

    def json(self) -> JSON:
        """The body as a JSON object ({} when absent)."""
        return self.body if isinstance(self.body, dict) else {}


Handler = Callable[[RestRequest], Awaitable[FakeResponse]]


def error(status: int, message: str, code: int) -> FakeResponse:
    """A Discord JSON error."""
    return FakeResponse(status, {"message": message, "code": code})


UNKNOWN_CHANNEL = error(404, "Unknown Channel", 10003)
UNKNOWN_MESSAGE = error(404, "Unknown Message", 10008)
UNKNOWN_WEBHOOK = error(404, "Unknown Webhook", 10015)
UNKNOWN_INTERACTION = error(404, "Unknown interaction", 10062)
UNKNOWN_GUILD = error(404, "Unknown Guild", 10004)
MISSING_ACCESS = error(403, "Missing Access", 50001)
MISSING_PERMISSIONS = error(403, "Missing Permissions", 50013)
CANNOT_DM = error(403, "Cannot send messages to this user", 50007)
ALREADY_ACKNOWLEDGED = error(400, "Interaction has already been acknowledged.", 40060)
UNAUTHORIZED = error(401, "401: Unauthorized", 0)
NOT_FOUND = error(404, "404: Not Found", 0)
