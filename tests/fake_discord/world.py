"""The fake's state model: the application, the bot, users and guilds, indexed by id.

`World` only changes state; `FakeDiscord` wraps it to also dispatch the gateway events a
change causes when the bot is connected.
"""

from __future__ import annotations

from collections.abc import Iterable

from tests.fake_discord.models import (
    ChannelKind,
    FakeApplication,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    TeamRole,
)
from tests.fake_discord.permissions import (
    DEFAULT_BOT,
    DEFAULT_EVERYONE,
    Overwrite,
    OverwriteType,
    Perm,
)
from tests.fake_discord.snowflakes import SnowflakeFactory

# What the bot may do in a DM channel.
DM_PERMISSIONS = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
)

GuildRef = FakeGuild | int
ChannelRef = FakeChannel | int
UserRef = FakeUser | FakeMember | int
RoleRef = FakeRole | int


class World:
    """Everything the fake Discord knows about, with the bot's application at the centre."""

    def __init__(self, *, bot_name: str = "Cliffhanger", owner_name: str = "owner") -> None:
        self.ids = SnowflakeFactory()
        self.users: dict[int, FakeUser] = {}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.bot = self.add_user(bot_name, bot=True)
        owner = self.add_user(owner_name)
        self.application = FakeApplication(id=self.bot.id, name=bot_name, owner=owner)

    # -- lookups ----------------------------------------------------------------------

    def guild(self, ref: GuildRef) -> FakeGuild:
        """A guild by model or id."""
        guild_id = ref.id if isinstance(ref, FakeGuild) else ref
        try:
            return self.guilds[guild_id]
        except KeyError:
            raise KeyError(f"no guild with id {guild_id}") from None

    def channel(self, ref: ChannelRef) -> FakeChannel:
        """A channel (including deleted ones) by model or id."""
        channel_id = ref.id if isinstance(ref, FakeChannel) else ref
        try:
            return self.channels[channel_id]
        except KeyError:
            raise KeyError(f"no channel with id {channel_id}") from None

    def user(self, ref: UserRef) -> FakeUser:
        """A user by model, member or id."""
        if isinstance(ref, FakeMember):
            return ref.user
        user_id = ref.id if isinstance(ref, FakeUser) else ref
        try:
            return self.users[user_id]
        except KeyError:
            raise KeyError(f"no user with id {user_id}") from None

    def role(self, ref: RoleRef) -> FakeRole:
        """A role by model or id, searched across guilds."""
        if isinstance(ref, FakeRole):
            return ref
        for guild in self.guilds.values():
            if ref in guild.roles:
                return guild.roles[ref]
        raise KeyError(f"no role with id {ref}")

    def live_channel(self, channel_id: int) -> FakeChannel | None:
        """A channel that exists and was not deleted."""
        channel = self.channels.get(channel_id)
        return None if channel is None or channel.deleted else channel

    def bot_guilds(self) -> list[FakeGuild]:
        """Guilds the bot is a member of."""
        return [guild for guild in self.guilds.values() if self.bot.id in guild.members]

    def bot_permissions(self, channel: FakeChannel) -> int:
        """The bot's effective permissions in a channel (in a DM: what anyone has there)."""
        if channel.is_dm:
            return DM_PERMISSIONS
        return self.guilds[channel.guild_id].permissions_for(self.bot.id, channel)

    def ping_rules(self, channel: FakeChannel) -> tuple[frozenset[int], bool]:
        """(roles the bot cannot ping, whether it can ping @everyone) in a channel: without
        MENTION_EVERYONE only mentionable roles ping (a DM has neither)."""
        if channel.is_dm:
            return frozenset(), False
        if self.bot_permissions(channel) & Perm.MENTION_EVERYONE:
            return frozenset(), True
        roles = self.guilds[channel.guild_id].roles.values()
        return frozenset(role.id for role in roles if not role.mentionable), False

    def can_dm(self, user_id: int) -> bool:
        """Whether the bot may DM a user: they accept DMs and share a guild with it
        (otherwise Discord answers 50007, "Cannot send messages to this user")."""
        user = self.users.get(user_id)
        if user is None or not user.dms_open:
            return False
        return any(user_id in guild.members for guild in self.bot_guilds())

    def dm_channel(self, user: UserRef) -> FakeChannel:
        """The bot's DM channel with a user, opened on first use (as Discord does: one per
        user, whatever their settings)."""
        recipient = self.user(user)
        for channel in self.channels.values():
            if channel.is_dm and channel.recipient_id == recipient.id:
                return channel
        channel = FakeChannel(
            id=self.ids.next(),
            guild_id=0,
            name=recipient.name,
            kind=ChannelKind.DM,
            recipient_id=recipient.id,
        )
        self.channels[channel.id] = channel
        return channel

    def bot_guild_permissions(self, guild: GuildRef) -> int:
        """The bot's guild-wide permissions (what scheduled events need)."""
        return self.guild(guild).base_permissions_for(self.bot.id)

    # -- building ---------------------------------------------------------------------

    def add_user(self, name: str, *, bot: bool = False) -> FakeUser:
        """A new user, not yet a member of any guild."""
        user = FakeUser(id=self.ids.next(), name=name, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str = "Test Guild",
        *,
        owner: UserRef | None = None,
        everyone_permissions: int = DEFAULT_EVERYONE,
        bot_permissions: int | None = DEFAULT_BOT,
        shard: tuple[int, int] | None = None,
    ) -> FakeGuild:
        """A guild with @everyone, an owner (a new user unless given), and, unless
        `bot_permissions` is None, the bot as a member with its managed role. `shard`
        (id, count): an id that shard serves."""
        owner_user = (
            self.add_user(f"{name.lower().replace(' ', '-')}-owner")
            if owner is None
            else self.user(owner)
        )
        guild_id = self.ids.next() if shard is None else self.ids.next_on_shard(*shard)
        guild = FakeGuild(id=guild_id, name=name, owner_id=owner_user.id)
        self.guilds[guild.id] = guild
        guild.roles[guild.id] = FakeRole(
            id=guild.id, guild_id=guild.id, name="@everyone", permissions=everyone_permissions
        )
        self.add_member(guild, owner_user)
        if bot_permissions is not None:
            bot_role = self.add_role(
                guild, self.bot.name, permissions=bot_permissions, managed=True
            )
            self.add_member(guild, self.bot, roles=[bot_role])
        return guild

    def add_role(
        self,
        guild: GuildRef,
        name: str,
        *,
        permissions: int = 0,
        mentionable: bool = False,
        managed: bool = False,
    ) -> FakeRole:
        """A new role, positioned above the existing ones."""
        target = self.guild(guild)
        role = FakeRole(
            id=self.ids.next(),
            guild_id=target.id,
            name=name,
            permissions=permissions,
            position=len(target.roles),
            mentionable=mentionable,
            managed=managed,
        )
        target.roles[role.id] = role
        return role

    def add_channel(
        self,
        guild: GuildRef,
        name: str,
        *,
        kind: ChannelKind = ChannelKind.TEXT,
        overwrites: Iterable[Overwrite] = (),
        parent: ChannelRef | None = None,
        topic: str | None = None,
        owner: UserRef | None = None,
    ) -> FakeChannel:
        """A new channel at the end of the guild's list (a thread when `kind` is one:
        `parent` is its channel, `owner` who started it)."""
        target = self.guild(guild)
        channel = FakeChannel(
            id=self.ids.next(),
            guild_id=target.id,
            name=name,
            kind=kind,
            position=len(target.channels),
            overwrites=list(overwrites),
            parent_id=None if parent is None else self.channel(parent).id,
            topic=topic,
            owner_id=None if owner is None else self.user(owner).id,
        )
        target.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_member(
        self,
        guild: GuildRef,
        user: UserRef | str,
        *,
        roles: Iterable[RoleRef] = (),
        nick: str | None = None,
    ) -> FakeMember:
        """Make a user (an existing one, or a new one when given a name) a guild member."""
        target = self.guild(guild)
        member_user = self.add_user(user) if isinstance(user, str) else self.user(user)
        member = FakeMember(
            user=member_user,
            guild_id=target.id,
            role_ids=[self.role(role).id for role in roles],
            nick=nick,
        )
        target.members[member_user.id] = member
        return member

    def set_overwrite(
        self,
        channel: ChannelRef,
        target: RoleRef | UserRef,
        *,
        allow: int = 0,
        deny: int = 0,
    ) -> FakeChannel:
        """Replace the channel's overwrite for a role or a member."""
        found = self.channel(channel)
        if isinstance(target, FakeRole):
            target_id, kind = target.id, OverwriteType.ROLE
        elif isinstance(target, FakeUser | FakeMember):
            target_id, kind = target.id, OverwriteType.MEMBER
        elif target in self.guilds[found.guild_id].roles:
            target_id, kind = target, OverwriteType.ROLE
        else:
            target_id, kind = self.user(target).id, OverwriteType.MEMBER
        found.overwrites = [o for o in found.overwrites if o.target_id != target_id]
        if allow or deny:
            found.overwrites.append(Overwrite(target_id, kind, allow=allow, deny=deny))
        return found

    def make_team(self, members: Iterable[tuple[UserRef, TeamRole]] = ()) -> None:
        """Turn the application's ownership into a team: the current owner is an admin and
        `members` join with their roles."""
        app = self.application
        app.team_id = self.ids.next()
        app.team_members = [(app.owner, TeamRole.ADMIN)]
        app.team_members.extend((self.user(user), role) for user, role in members)
