"""Scheduled events and DMs as tests see them: what the bot made, and the knobs a test turns
(a moderator deleting an event, the bot's guild permissions, a user closing their DMs).

Mixed into `FakeDiscord`; the routes themselves are in event_routes.py.
"""

from __future__ import annotations

from tests.fake_discord.gateway import GUILDS_INTENT, FakeGateway
from tests.fake_discord.messages import MessageStore, RecordedMessage
from tests.fake_discord.models import FakeChannel, FakeRole, FakeScheduledEvent
from tests.fake_discord.world import GuildRef, UserRef, World


class EventsAndDms:
    """Scheduled events and DM channels of the fake."""

    world: World
    gateway: FakeGateway
    _messages: MessageStore

    def set_bot_guild_permissions(self, guild: GuildRef, permissions: int) -> FakeRole:
        """Set the permissions of the bot's own (managed) role in a guild, e.g. to grant or
        take Manage Events; dispatches GUILD_ROLE_UPDATE."""
        found = self.world.guild(guild)
        role = next(
            r
            for r in found.roles.values()
            if r.managed and r.id in found.members[self.world.bot.id].role_ids
        )
        role.permissions = permissions
        self.gateway.dispatch(
            "GUILD_ROLE_UPDATE",
            {"guild_id": str(found.id), "role": role.payload()},
            intent=GUILDS_INTENT,
        )
        return role

    def scheduled_events(
        self, guild: GuildRef, *, deleted: bool = False
    ) -> list[FakeScheduledEvent]:
        """A guild's scheduled events, oldest first (with `deleted`, also removed ones)."""
        events = self.world.guild(guild).scheduled_events.values()
        return [event for event in events if deleted or not event.deleted]

    def delete_scheduled_event(self, guild: GuildRef, event: FakeScheduledEvent | int) -> None:
        """A moderator deletes an event (the bot is not told: it lacks the intent)."""
        event_id = event.id if isinstance(event, FakeScheduledEvent) else event
        self.world.guild(guild).scheduled_events[event_id].deleted = True

    def close_dms(self, user: UserRef, *, closed: bool = True) -> None:
        """The user stops (or, with closed=False, resumes) accepting DMs: the bot's
        messages to them now fail with 403 "Cannot send messages to this user" (50007)."""
        self.world.user(user).dms_open = not closed

    def dm_channel_of(self, user: UserRef) -> FakeChannel | None:
        """The bot's DM channel with a user, if the bot opened one."""
        wanted = self.world.user(user).id
        for channel in self.world.channels.values():
            if channel.is_dm and channel.recipient_id == wanted:
                return channel
        return None

    def dms(self, user: UserRef) -> list[RecordedMessage]:
        """The messages the bot sent a user in DMs (not interaction replies), oldest first."""
        channel = self.dm_channel_of(user)
        if channel is None:
            return []
        return [m for m in self._messages.in_channel(channel.id) if m.interaction_id is None]
