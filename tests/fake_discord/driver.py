"""Acting as Discord users: slash commands, autocomplete, buttons and modals.

`InteractionDriver` is mixed into `FakeDiscord`; it builds INTERACTION_CREATE payloads the
way Discord's client would and waits for the bot's answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping

from tests.fake_discord.commands import CHAT_INPUT, CommandRegistry
from tests.fake_discord.components import fill_modal, find_component
from tests.fake_discord.gateway import FakeGateway
from tests.fake_discord.interaction_routes import Interactions
from tests.fake_discord.interactions import (
    InteractionResult,
    InteractionType,
    InvocationError,
    build_command_data,
    check_default_permissions,
    check_dm_allowed,
    dm_interaction_payload,
    interaction_payload,
)
from tests.fake_discord.messages import MessageStore, RecordedMessage
from tests.fake_discord.models import JSON, FakeChannel, FakeGuild, FakeMember
from tests.fake_discord.world import ChannelRef, GuildRef, UserRef, World


class InteractionDriver:
    """The user-facing half of the fake: invoke commands and use components as a member."""

    world: World
    commands: CommandRegistry
    gateway: FakeGateway
    interactions: Interactions
    _messages: MessageStore

    def registered_commands(self, guild: GuildRef | None = None) -> list[str]:
        """Names of the chat-input commands synced globally, or to `guild`."""
        guild_id = None if guild is None else self.world.guild(guild).id
        return self.commands.names(guild_id)

    async def invoke(
        self,
        name: str,
        options: Mapping[str, object] | None = None,
        *,
        user: UserRef | None = None,
        guild: GuildRef | None = None,
        channel: ChannelRef | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        timeout: float = 5.0,
        wait: bool = True,
    ) -> InteractionResult:
        """Run a slash command as a user and wait (up to `timeout`) until the bot answered.

        `name` may include sub-commands (`"feeds add"`). Option values are plain values,
        or models/ids for user, channel, role and mentionable options (these are added to
        `data.resolved`). Defaults: the first guild, its first text channel, the guild
        owner. `permissions` overrides the invoking member's channel permissions.
        """
        top, *path = name.split()
        target_guild, target_channel, member = self._context(user, guild, channel)
        command = self._command(top, target_guild)
        member_permissions = (
            target_guild.permissions_for(member.id, target_channel)
            if permissions is None
            else permissions
        )
        check_default_permissions(command, member_permissions, top)
        data = build_command_data(
            command,
            path,
            options or {},
            world=self.world,
            guild=target_guild,
            invoker_id=member.id,
        )
        result = self._send(
            InteractionType.APPLICATION_COMMAND,
            name,
            data,
            target_guild,
            target_channel,
            member,
            member_permissions,
            locale=locale,
        )
        if wait:
            await result.wait_until_answered(timeout)
        return result

    async def invoke_in_dm(
        self,
        name: str,
        options: Mapping[str, object] | None = None,
        *,
        user: UserRef,
        locale: str = "en-US",
        timeout: float = 5.0,
    ) -> InteractionResult:
        """Run a global slash command as `user` in their DMs with the bot (Discord offers
        only commands allowed there), and wait until the bot answered."""
        top, *path = name.split()
        invoker = self.world.user(user)
        command = self.commands.lookup(top, None, CHAT_INPUT)
        if command is None:
            raise InvocationError(f"/{top} is not registered globally: {self.commands.names()}")
        check_dm_allowed(command, top)
        data = build_command_data(
            command, path, options or {}, world=self.world, guild=None, invoker_id=invoker.id
        )
        if self.gateway.current is None:
            raise RuntimeError("the bot has no gateway session; start it with fake.running()")
        channel = self.world.dm_channel(invoker)
        result = InteractionResult(
            id=self.world.ids.next(),
            token=secrets.token_hex(24),
            type=InteractionType.APPLICATION_COMMAND,
            name=name,
            guild_id=None,
            channel_id=channel.id,
            user=invoker,
        )
        payload = dm_interaction_payload(
            result,
            data,
            application_id=self.world.application.id,
            channel=channel,
            user=invoker,
            locale=locale,
        )
        self.interactions.add(result)
        self.gateway.dispatch("INTERACTION_CREATE", payload)
        await result.wait_until_answered(timeout)
        return result

    async def autocomplete(
        self,
        name: str,
        option: str,
        value: str,
        *,
        options: Mapping[str, object] | None = None,
        user: UserRef | None = None,
        guild: GuildRef | None = None,
        channel: ChannelRef | None = None,
        timeout: float = 5.0,
    ) -> list[JSON]:
        """Type `value` into `option` of command `name`; returns the bot's choices."""
        top, *path = name.split()
        target_guild, target_channel, member = self._context(user, guild, channel)
        command = self._command(top, target_guild)
        data = build_command_data(
            command,
            path,
            {**(options or {}), option: value},
            world=self.world,
            guild=target_guild,
            invoker_id=member.id,
            focused=option,
        )
        permissions = target_guild.permissions_for(member.id, target_channel)
        result = self._send(
            InteractionType.AUTOCOMPLETE,
            name,
            data,
            target_guild,
            target_channel,
            member,
            permissions,
        )
        await result.wait_until_answered(timeout)
        return result.choices

    async def click(
        self,
        message: RecordedMessage | int,
        custom_id: str,
        *,
        user: UserRef | None = None,
        values: Iterable[str] | None = None,
        timeout: float = 5.0,
        wait: bool = True,
    ) -> InteractionResult:
        """Press a button (or, with `values`, use a select menu) on a message the bot sent,
        and wait until the bot answered (after a deferred update: edited the message or sent
        a follow-up). With `wait=False`, return once the click is dispatched."""
        found = self._messages.get(message) if isinstance(message, int) else message
        if found is None or found.guild_id is None:
            raise InvocationError(f"no guild message {message!r} to click")
        component = find_component(found.components, custom_id)
        if component is None:
            raise InvocationError(f"message {found.id} has no component {custom_id!r}")
        target_guild, target_channel, member = self._context(user, found.guild_id, found.channel_id)
        data: JSON = {"custom_id": custom_id, "component_type": component.get("type", 2)}
        if values is not None:
            data["values"] = list(values)
        permissions = target_guild.permissions_for(member.id, target_channel)
        result = self._send(
            InteractionType.MESSAGE_COMPONENT,
            custom_id,
            data,
            target_guild,
            target_channel,
            member,
            permissions,
            message=found,
        )
        if wait:
            await result.wait_until_answered(timeout)
        return result

    async def submit_modal(
        self,
        opened: InteractionResult,
        values: Mapping[str, str | list[str]],
        *,
        timeout: float = 5.0,
    ) -> InteractionResult:
        """Fill in and submit the modal the bot opened in answer to `opened`; `values` maps
        text-input (or select) custom ids to what the user entered."""
        modal = opened.modal
        if modal is None or opened.guild_id is None:
            raise InvocationError("the bot did not open a modal for that interaction")
        components = list(modal.get("components") or [])
        data: JSON = {
            "custom_id": modal["custom_id"],
            "components": [fill_modal(component, values) for component in components],
        }
        target_guild, target_channel, member = self._context(
            opened.user, opened.guild_id, opened.channel_id
        )
        permissions = target_guild.permissions_for(member.id, target_channel)
        result = self._send(
            InteractionType.MODAL_SUBMIT,
            str(modal["custom_id"]),
            data,
            target_guild,
            target_channel,
            member,
            permissions,
        )
        await result.wait_until_answered(timeout)
        return result

    def _context(
        self, user: UserRef | None, guild: GuildRef | None, channel: ChannelRef | None
    ) -> tuple[FakeGuild, FakeChannel, FakeMember]:
        if guild is not None:
            target_guild = self.world.guild(guild)
        elif channel is not None:
            target_guild = self.world.guild(self.world.channel(channel).guild_id)
        else:
            guilds = self.world.bot_guilds()
            if not guilds:
                raise InvocationError("add a guild with the bot in it first")
            target_guild = guilds[0]
        if channel is None:
            texts = [c for c in target_guild.text_channels() if not c.deleted]
            if not texts:
                raise InvocationError(f"guild {target_guild.name!r} has no text channel")
            target_channel = texts[0]
        else:
            target_channel = self.world.channel(channel)
        invoker = self.world.user(target_guild.owner_id if user is None else user)
        member = target_guild.members.get(invoker.id)
        if member is None:
            raise InvocationError(f"{invoker.name} is not a member of {target_guild.name!r}")
        return target_guild, target_channel, member

    def _command(self, name: str, guild: FakeGuild) -> JSON:
        command = self.commands.lookup(name, guild.id, CHAT_INPUT)
        if command is None:
            raise InvocationError(
                f"/{name} is not registered; global: {self.commands.names(None)}, "
                f"guild: {self.commands.names(guild.id)}"
            )
        return command

    def _send(
        self,
        kind: InteractionType,
        name: str,
        data: JSON,
        guild: FakeGuild,
        channel: FakeChannel,
        member: FakeMember,
        member_permissions: int,
        *,
        locale: str = "en-US",
        message: RecordedMessage | None = None,
    ) -> InteractionResult:
        if self.gateway.session_for(guild.id) is None:
            raise RuntimeError(
                f"no gateway session for guild {guild.id}'s shard; start it with fake.running()"
            )
        interaction_id = self.world.ids.next()
        result = InteractionResult(
            id=interaction_id,
            token=secrets.token_hex(24),
            type=kind,
            name=name,
            guild_id=guild.id,
            channel_id=channel.id,
            user=member.user,
            original=message,
        )
        payload = interaction_payload(
            result,
            data,
            application_id=self.world.application.id,
            guild=guild,
            channel=channel,
            member=member,
            member_permissions=member_permissions,
            app_permissions=self.world.bot_permissions(channel),
            locale=locale,
        )
        self.interactions.add(result)
        self.gateway.dispatch("INTERACTION_CREATE", payload)
        return result
