"""Messages the bot posted, Discord's validation of message bodies, and nonce de-duplication."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.fake_discord.changes import Changes
from tests.fake_discord.models import JSON, FakeUser, iso_now

CROSSPOSTED = 1 << 0
SUPPRESS_EMBEDS = 1 << 2
EPHEMERAL = 1 << 6
SUPPRESS_NOTIFICATIONS = 1 << 12
MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
_EMBED_LIMITS = {"title": 256, "description": 4096}
_ROLE_MENTION = re.compile(r"<@&(\d+)>")
_USER_MENTION = re.compile(r"<@!?(\d+)>")


@dataclass(slots=True)
class RecordedMessage:
    """A message as the fake stored it. `interaction_id` is set for interaction responses and
    follow-ups; ephemeral ones are never listed in their channel.

    `unpingable_role_ids` and `can_ping_everyone` record what the bot could ping in the
    channel when it posted (Discord only pings a role that is mentionable, or any role when
    the bot has MENTION_EVERYONE).
    """

    id: int
    channel_id: int
    guild_id: int | None
    author: FakeUser
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    allowed_mentions: JSON | None = None
    nonce: str | None = None
    flags: int = 0
    attachments: list[str] = field(default_factory=list)
    interaction_id: int | None = None
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    deleted: bool = False
    loading: bool = False
    unpingable_role_ids: frozenset[int] = frozenset()
    can_ping_everyone: bool = True

    @property
    def ephemeral(self) -> bool:
        """Whether only the invoking user can see the message."""
        return bool(self.flags & EPHEMERAL)

    @property
    def crossposted(self) -> bool:
        """Whether the message was published to the announcement channel's followers."""
        return bool(self.flags & CROSSPOSTED)

    @property
    def embed_titles(self) -> list[str]:
        """The titles of the message's embeds, for short assertions."""
        return [str(embed.get("title", "")) for embed in self.embeds]

    def text(self) -> str:
        """Content plus every embed's visible text, joined by newlines, for `in` assertions."""
        parts = [self.content]
        for embed in self.embeds:
            parts.extend(str(embed.get(key, "")) for key in ("title", "description"))
            for embed_field in embed.get("fields", []) or []:
                parts.extend([str(embed_field.get("name", "")), str(embed_field.get("value", ""))])
            footer = embed.get("footer")
            if isinstance(footer, dict):
                parts.append(str(footer.get("text", "")))
        return "\n".join(part for part in parts if part)

    def pinged_role_ids(self) -> list[int]:
        """Role mentions in the content that Discord would actually ping, given
        `allowed_mentions` (none given means Discord parses every mention) and whether the
        role may be pinged by the bot."""
        mentioned = [int(role_id) for role_id in _ROLE_MENTION.findall(self.content)]
        return [
            role_id
            for role_id in mentioned
            if role_id not in self.unpingable_role_ids and self._allows("roles", role_id)
        ]

    def pinged_user_ids(self) -> list[int]:
        """User mentions in the content that Discord would actually ping."""
        mentioned = [int(user_id) for user_id in _USER_MENTION.findall(self.content)]
        return [user_id for user_id in mentioned if self._allows("users", user_id)]

    @property
    def pings_everyone(self) -> bool:
        """Whether the message would ping @everyone or @here."""
        mentioned = "@everyone" in self.content or "@here" in self.content
        return mentioned and self.can_ping_everyone and self._allows("everyone", None)

    def _allows(self, kind: str, target: int | None) -> bool:
        if self.allowed_mentions is None:
            return True
        parse = self.allowed_mentions.get("parse") or []
        if kind in parse:
            return True
        # discord.py sends snowflakes here as integers, Discord's docs show strings.
        explicit = {str(x) for x in self.allowed_mentions.get(kind) or []}
        return target is not None and str(target) in explicit

    def payload(self, *, application_id: int | None = None) -> JSON:
        """The message object Discord returns."""
        data: JSON = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": self.pings_everyone,
            "mentions": [],
            "mention_roles": [str(role_id) for role_id in self.pinged_role_ids()],
            "attachments": [
                {
                    "id": str(self.id + index + 1),
                    "filename": name,
                    "size": 0,
                    "url": f"https://cdn.invalid/{name}",
                    "proxy_url": f"https://cdn.invalid/{name}",
                }
                for index, name in enumerate(self.attachments)
            ],
            "embeds": self.embeds,
            "components": self.components,
            "pinned": False,
            "type": 0 if self.interaction_id is None else 20,
            "flags": self.flags | (1 << 7 if self.loading else 0),
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.interaction_id is not None and application_id is not None:
            data["webhook_id"] = str(application_id)
            data["application_id"] = str(application_id)
        return data

    def apply_edit(self, body: JSON) -> None:
        """Apply a PATCH body: only the fields present change."""
        if "content" in body:
            self.content = str(body["content"] or "")
        if "embeds" in body:
            self.embeds = list(body["embeds"] or [])
        if "components" in body:
            self.components = list(body["components"] or [])
        if "allowed_mentions" in body:
            self.allowed_mentions = body["allowed_mentions"]
        if "flags" in body and body["flags"] is not None:
            # Only some flags (like SUPPRESS_EMBEDS) may change; ephemeral never does.
            self.flags = (self.flags & EPHEMERAL) | (int(body["flags"]) & ~EPHEMERAL)
        self.loading = False
        self.edited_timestamp = iso_now()


def form_error(field_name: str, code: str, message: str) -> JSON:
    """Discord's 400 "Invalid Form Body" error for one field."""
    return {
        "message": "Invalid Form Body",
        "code": 50035,
        "errors": {field_name: {"_errors": [{"code": code, "message": message}]}},
    }


def validate_message_body(body: JSON, *, creating: bool) -> JSON | None:
    """Discord's checks on a message body; returns the 400 error body, or None if valid."""
    content = body.get("content")
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        return form_error(
            "content",
            "BASE_TYPE_MAX_LENGTH",
            f"Must be {MAX_CONTENT} or fewer in length.",
        )
    embeds = body.get("embeds") or []
    if not isinstance(embeds, list):
        return form_error("embeds", "MODEL_TYPE_CONVERT", "Only iterables may be used.")
    if len(embeds) > MAX_EMBEDS:
        return form_error(
            "embeds", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length."
        )
    total = 0
    for embed in embeds:
        for key, limit in _EMBED_LIMITS.items():
            value = str(embed.get(key) or "")
            total += len(value)
            if len(value) > limit:
                return form_error(
                    f"embeds.{key}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer."
                )
        fields = embed.get("fields") or []
        if len(fields) > 25:
            return form_error("embeds.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
        for embed_field in fields:
            name, value = str(embed_field.get("name", "")), str(embed_field.get("value", ""))
            if not name or not value:
                return form_error("embeds.fields", "BASE_TYPE_REQUIRED", "This field is required")
            if len(name) > 256 or len(value) > 1024:
                return form_error("embeds.fields", "BASE_TYPE_MAX_LENGTH", "Field too long.")
            total += len(name) + len(value)
        footer = embed.get("footer") or {}
        total += len(str(footer.get("text") or ""))
        author = embed.get("author") or {}
        total += len(str(author.get("name") or ""))
    if total > MAX_EMBED_TOTAL:
        return form_error("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size.")
    if (
        creating
        and not (content or embeds or body.get("attachments") or body.get("components"))
        and not body.get("sticker_ids")
        and not body.get("poll")
    ):
        return {"message": "Cannot send an empty message", "code": 50006}
    return None


class MessageStore:
    """Every message posted, per channel in order, with nonce de-duplication and waiting.

    All operations are O(1) amortised so a benchmark can push thousands of messages through.
    """

    def __init__(self, *, nonce_window: float, clock: Callable[[], float]) -> None:
        self._by_id: dict[int, RecordedMessage] = {}
        self._by_channel: dict[int, list[RecordedMessage]] = {}
        self._nonces: dict[tuple[int, int, str], tuple[RecordedMessage, float]] = {}
        self._nonce_expiry: deque[tuple[float, tuple[int, int, str]]] = deque()
        self._nonce_window = nonce_window
        self._clock = clock
        self._visible_total = 0
        self.changes = Changes()

    def get(self, message_id: int) -> RecordedMessage | None:
        """A message by id, deleted or not."""
        return self._by_id.get(message_id)

    def in_channel(self, channel_id: int) -> list[RecordedMessage]:
        """Non-ephemeral, non-deleted messages in a channel, oldest first (a copy)."""
        return [m for m in self._by_channel.get(channel_id, []) if not m.deleted]

    def total(self) -> int:
        """How many channel-visible messages were ever created."""
        return self._visible_total

    def add(self, message: RecordedMessage) -> None:
        """Store a new message and wake anyone waiting for messages."""
        self._by_id[message.id] = message
        if not message.ephemeral:
            self._by_channel.setdefault(message.channel_id, []).append(message)
            self._visible_total += 1
        self.notify()

    def remember_nonce(self, message: RecordedMessage) -> None:
        """Record an enforced nonce so a retry within the window returns `message`."""
        if message.nonce is None:
            return
        key = (message.channel_id, message.author.id, message.nonce)
        expires = self._clock() + self._nonce_window
        self._nonces[key] = (message, expires)
        self._nonce_expiry.append((expires, key))

    def find_nonce(self, channel_id: int, author_id: int, nonce: str) -> RecordedMessage | None:
        """The message created with this nonce within the window, if any."""
        now = self._clock()
        while self._nonce_expiry and self._nonce_expiry[0][0] <= now:
            _, key = self._nonce_expiry.popleft()
            entry = self._nonces.get(key)
            if entry is not None and entry[1] <= now:
                del self._nonces[key]
        entry = self._nonces.get((channel_id, author_id, nonce))
        return None if entry is None else entry[0]

    def notify(self) -> None:
        """Wake waiters after a change (creation, edit or deletion)."""
        self.changes.notify()
