"""The fake Discord's world: users, the application, guilds with roles, channels and members.

Each model renders itself as the JSON payload Discord would send, with ids as strings.
Models are plain mutable dataclasses; change them through `FakeDiscord` while the bot is
connected so that the matching gateway events are dispatched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from tests.fake_discord.permissions import (
    Overwrite,
    base_permissions,
    channel_permissions,
    thread_permissions,
)

JSON = dict[str, Any]
"""A JSON object as Discord sends it; payloads are loosely typed by nature."""


def iso_now() -> str:
    """The current time as Discord formats timestamps."""
    return datetime.now(UTC).isoformat()


class ChannelKind(IntEnum):
    """Discord channel types the fake supports."""

    TEXT = 0
    DM = 1
    VOICE = 2
    CATEGORY = 4
    NEWS = 5  # an announcement channel
    NEWS_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    FORUM = 15


THREAD_KINDS = frozenset(
    {ChannelKind.NEWS_THREAD, ChannelKind.PUBLIC_THREAD, ChannelKind.PRIVATE_THREAD}
)


@dataclass(slots=True)
class FakeUser:
    """A Discord user (human or bot)."""

    id: int
    name: str
    bot: bool = False

    def payload(self) -> JSON:
        """The user object."""
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": None if self.bot else self.name.title(),
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }

    def me_payload(self) -> JSON:
        """The user object as `GET /users/@me` returns it for the bot itself."""
        return {**self.payload(), "verified": True, "mfa_enabled": False, "flags": 0}


@dataclass(slots=True)
class FakeRole:
    """A guild role; the role whose id equals the guild's id is @everyone."""

    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    mentionable: bool = False
    managed: bool = False
    hoist: bool = False
    color: int = 0

    @property
    def is_everyone(self) -> bool:
        """Whether this is the guild's @everyone role."""
        return self.id == self.guild_id

    def payload(self) -> JSON:
        """The role object."""
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(int(self.permissions)),
            "position": self.position,
            "color": self.color,
            "colors": {"primary_color": self.color},
            "hoist": self.hoist,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass(slots=True)
class FakeChannel:
    """A guild channel with its permission overwrites, or a thread (`parent_id` is its
    channel, `owner_id` who started it; a thread has no overwrites of its own)."""

    id: int
    guild_id: int
    name: str
    kind: ChannelKind = ChannelKind.TEXT
    position: int = 0
    overwrites: list[Overwrite] = field(default_factory=list)
    parent_id: int | None = None
    topic: str | None = None
    deleted: bool = False
    owner_id: int | None = None
    created: str = field(default_factory=iso_now)

    @property
    def is_text(self) -> bool:
        """Whether this is a text or announcement channel."""
        return self.kind in (ChannelKind.TEXT, ChannelKind.NEWS)

    @property
    def is_thread(self) -> bool:
        """Whether this is a thread (of a text, announcement or forum channel)."""
        return self.kind in THREAD_KINDS

    @property
    def accepts_messages(self) -> bool:
        """Whether messages can be posted here directly (not in a forum: in its posts)."""
        return self.is_text or self.is_thread

    @property
    def mention(self) -> str:
        """How a message mentions this channel."""
        return f"<#{self.id}>"

    def payload(self, *, permissions: int | None = None) -> JSON:
        """The channel object; `permissions` (the viewer's, as in resolved interaction data)
        is included when given."""
        if self.is_thread:
            return self._thread_payload(permissions)
        data: JSON = {
            "id": str(self.id),
            "type": int(self.kind),
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [overwrite.payload() for overwrite in self.overwrites],
            "parent_id": None if self.parent_id is None else str(self.parent_id),
            "nsfw": False,
            "flags": 0,
        }
        if self.is_text:
            data.update(topic=self.topic, rate_limit_per_user=0, last_message_id=None)
        if self.kind is ChannelKind.VOICE:
            data.update(bitrate=64000, user_limit=0, rtc_region=None)
        if self.kind is ChannelKind.FORUM:
            data.update(
                topic=self.topic,
                rate_limit_per_user=0,
                last_message_id=None,
                available_tags=[],
                default_reaction_emoji=None,
                default_sort_order=None,
                default_forum_layout=0,
                default_thread_rate_limit_per_user=0,
                default_auto_archive_duration=1440,
            )
        if permissions is not None:
            data["permissions"] = str(int(permissions))
        return data

    def _thread_payload(self, permissions: int | None) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "type": int(self.kind),
            "guild_id": str(self.guild_id),
            "parent_id": str(self.parent_id),
            "owner_id": str(self.owner_id),
            "name": self.name,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "flags": 0,
            "applied_tags": [],
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": self.created,
                "locked": False,
                "create_timestamp": self.created,
            },
        }
        if permissions is not None:
            data["permissions"] = str(int(permissions))
        return data


@dataclass(slots=True)
class FakeMember:
    """A user's membership of a guild."""

    user: FakeUser
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def id(self) -> int:
        """The member's user id."""
        return self.user.id

    def payload(self, *, permissions: int | None = None, with_user: bool = True) -> JSON:
        """The guild member object; interactions add the member's channel `permissions`."""
        data: JSON = {
            "roles": [str(role_id) for role_id in self.role_ids],
            "nick": self.nick,
            "avatar": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(int(permissions))
        return data


@dataclass(slots=True)
class FakeGuild:
    """A guild: its roles, channels and members, keyed by id in creation order."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)

    @property
    def everyone(self) -> FakeRole:
        """The @everyone role."""
        return self.roles[self.id]

    def threads(self) -> list[FakeChannel]:
        """The guild's live threads, oldest first."""
        return [c for c in self.channels.values() if c.is_thread and not c.deleted]

    def text_channels(self) -> list[FakeChannel]:
        """The guild's text and announcement channels, oldest first."""
        return [channel for channel in self.channels.values() if channel.is_text]

    def base_permissions_for(self, user_id: int) -> int:
        """Guild-wide permissions of a member (0 for a non-member)."""
        member = self.members.get(user_id)
        if member is None:
            return 0
        return base_permissions(
            guild_id=self.id,
            owner_id=self.owner_id,
            user_id=user_id,
            role_ids=member.role_ids,
            role_permissions={role.id: role.permissions for role in self.roles.values()},
        )

    def permissions_for(self, user_id: int, channel: FakeChannel) -> int:
        """A member's effective permissions in one of this guild's channels."""
        member = self.members.get(user_id)
        if member is None:
            return 0
        # A thread has its channel's permissions, with the thread rules on top.
        parent = channel
        if channel.is_thread:
            assert channel.parent_id is not None, "a thread belongs to a channel"
            parent = self.channels[channel.parent_id]
        permissions = channel_permissions(
            self.base_permissions_for(user_id),
            guild_id=self.id,
            user_id=user_id,
            role_ids=member.role_ids,
            overwrites=parent.overwrites,
            is_text=parent.is_text or parent.kind is ChannelKind.FORUM,
            implicit=not channel.is_thread,
        )
        return thread_permissions(permissions) if channel.is_thread else permissions

    def payload(self) -> JSON:
        """The full guild object sent in GUILD_CREATE; `member_count` matches the members
        sent, so discord.py never asks to chunk them."""
        members = [member.payload() for member in self.members.values()]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.owner_id),
            "unavailable": False,
            "large": False,
            "member_count": len(members),
            "members": members,
            "roles": [role.payload() for role in self.roles.values()],
            "channels": [
                channel.payload()
                for channel in self.channels.values()
                if not channel.deleted and not channel.is_thread
            ],
            "threads": [
                channel.payload()
                for channel in self.channels.values()
                if not channel.deleted and channel.is_thread
            ],
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "system_channel_id": None,
            "joined_at": iso_now(),
        }


class TeamRole(IntEnum):
    """Team member roles; only admins and developers count as bot owners in discord.py."""

    ADMIN = 0
    DEVELOPER = 1
    READ_ONLY = 2

    @property
    def wire_name(self) -> str:
        """The role as Discord spells it."""
        return self.name.lower()


@dataclass(slots=True)
class FakeApplication:
    """The bot's application: owner, optional team, and the privileged intents it may use."""

    id: int
    name: str
    owner: FakeUser
    team_id: int | None = None
    team_members: list[tuple[FakeUser, TeamRole]] = field(default_factory=list)
    allowed_privileged_intents: int = 0

    def payload(self) -> JSON:
        """The application object returned by `GET /oauth2/applications/@me`."""
        team: JSON | None = None
        if self.team_id is not None:
            team = {
                "id": str(self.team_id),
                "name": f"{self.name} team",
                "icon": None,
                "owner_user_id": str(self.owner.id),
                "members": [
                    {
                        "membership_state": 2,
                        "team_id": str(self.team_id),
                        "user": user.payload(),
                        "role": role.wire_name,
                        "permissions": ["*"],
                    }
                    for user, role in self.team_members
                ],
            }
        return {
            "id": str(self.id),
            "name": self.name,
            "description": "",
            "icon": None,
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner.payload(),
            "team": team,
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
            "tags": [],
            "interactions_endpoint_url": None,
            "redirect_uris": [],
        }
