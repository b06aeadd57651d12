"""Discord's permission bits and the server-side algorithm that resolves them.

This is an independent implementation of the rules Discord documents ("Permission
Hierarchy"), so tests that compare it with discord.py's `permissions_for` check something.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, IntFlag


class Perm(IntFlag):
    """The permission bits the fake knows by name; any other bit passes through untouched."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    PRIORITY_SPEAKER = 1 << 8
    STREAM = 1 << 9
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    CHANGE_NICKNAME = 1 << 26
    MANAGE_NICKNAMES = 1 << 27
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    USE_APPLICATION_COMMANDS = 1 << 31
    SEND_MESSAGES_IN_THREADS = 1 << 38


ALL_PERMISSIONS = (1 << 53) - 1
"""Every bit Discord may define; what owners and administrators get."""

DEFAULT_EVERYONE = (
    Perm.CREATE_INSTANT_INVITE
    | Perm.ADD_REACTIONS
    | Perm.STREAM
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.CONNECT
    | Perm.SPEAK
    | Perm.CHANGE_NICKNAME
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.SEND_MESSAGES_IN_THREADS
)
"""Roughly what a new server's @everyone role may do."""

DEFAULT_BOT = Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES | Perm.EMBED_LINKS | Perm.READ_MESSAGE_HISTORY
"""What the bot's managed role gets when the fake adds the bot to a guild."""

# In text channels Discord strips these when SEND_MESSAGES is missing.
_NEEDS_SEND_MESSAGES = (
    Perm.SEND_TTS_MESSAGES | Perm.MENTION_EVERYONE | Perm.EMBED_LINKS | Perm.ATTACH_FILES
)


class OverwriteType(IntEnum):
    """Whom a permission overwrite targets."""

    ROLE = 0
    MEMBER = 1


@dataclass(slots=True)
class Overwrite:
    """A channel permission overwrite; `target_id` is a role id or a user id."""

    target_id: int
    type: OverwriteType
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, object]:
        """The overwrite as Discord sends it."""
        return {
            "id": str(self.target_id),
            "type": int(self.type),
            "allow": str(int(self.allow)),
            "deny": str(int(self.deny)),
        }


def base_permissions(
    *,
    guild_id: int,
    owner_id: int,
    user_id: int,
    role_ids: Iterable[int],
    role_permissions: dict[int, int],
) -> int:
    """Guild-wide permissions: @everyone (the role whose id is the guild's) plus the member's
    roles; the owner and administrators get everything."""
    if user_id == owner_id:
        return ALL_PERMISSIONS
    permissions = role_permissions.get(guild_id, 0)
    for role_id in role_ids:
        permissions |= role_permissions.get(role_id, 0)
    if permissions & Perm.ADMINISTRATOR:
        return ALL_PERMISSIONS
    return permissions


def channel_permissions(
    base: int,
    *,
    guild_id: int,
    user_id: int,
    role_ids: Iterable[int],
    overwrites: Iterable[Overwrite],
    is_text: bool,
    implicit: bool = True,
) -> int:
    """Apply a channel's overwrites to `base` in Discord's order: @everyone, then all the
    member's roles together, then the member; then the implicit rules (a thread applies
    its own instead: `implicit=False`, then `thread_permissions`)."""
    if base & Perm.ADMINISTRATOR:
        return ALL_PERMISSIONS
    roles = set(role_ids)
    everyone: Overwrite | None = None
    member: Overwrite | None = None
    role_allow = role_deny = 0
    for overwrite in overwrites:
        if overwrite.type is OverwriteType.ROLE and overwrite.target_id == guild_id:
            everyone = overwrite
        elif overwrite.type is OverwriteType.ROLE and overwrite.target_id in roles:
            role_allow |= overwrite.allow
            role_deny |= overwrite.deny
        elif overwrite.type is OverwriteType.MEMBER and overwrite.target_id == user_id:
            member = overwrite
    permissions = base
    if everyone is not None:
        permissions = (permissions & ~everyone.deny) | everyone.allow
    permissions = (permissions & ~role_deny) | role_allow
    if member is not None:
        permissions = (permissions & ~member.deny) | member.allow
    if not permissions & Perm.VIEW_CHANNEL:
        return 0
    if implicit and is_text and not permissions & Perm.SEND_MESSAGES:
        permissions &= ~_NEEDS_SEND_MESSAGES
    return permissions


def thread_permissions(channel: int) -> int:
    """A thread's permissions from its channel's (before the channel's implicit rules): in
    a thread, SEND_MESSAGES_IN_THREADS stands where SEND_MESSAGES stands in a channel."""
    if channel & Perm.ADMINISTRATOR or channel == 0:
        return channel
    if not channel & Perm.SEND_MESSAGES_IN_THREADS:
        channel &= ~_NEEDS_SEND_MESSAGES
    return channel


def permission_names(bits: int) -> list[str]:
    """Names of the known permissions set in `bits`, for readable assertion messages."""
    return [flag.name for flag in Perm if flag.name is not None and bits & flag]
