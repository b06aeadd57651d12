"""What a send can come to, for channel alerts, log messages and DMs alike."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sent:
    """Discord has the message (for a forum's first alert about a show: in the post it
    opened, `thread_id`)."""

    message_id: int | None
    thread_id: int | None = None


@dataclass(frozen=True, slots=True)
class Retry:
    """A passing failure (5xx, 429 after the client's own retries, network).
    `message_id`: the message is posted, a later step (publishing it) failed."""

    error: str
    after_seconds: float | None = None
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Gone:
    """The channel is deleted (`deleted`) or the bot may not post there: stop trying."""

    error: str
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class PostGone:
    """The show's post in a forum was deleted: the next attempt opens a new one."""

    error: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """Discord refused this message itself (a 4xx such as 400): sending it again would
    fail again, so it is failed; the channel stays watched."""

    error: str


SendOutcome = Sent | Retry | Gone | Rejected | PostGone


@dataclass(frozen=True, slots=True)
class Closed:
    """A user's DMs refuse the bot (Discord error 50007), or the user is gone: pause
    their follows instead of retrying."""

    error: str
