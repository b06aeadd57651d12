"""Interactions the fake sends to the bot, and what the bot answered.

`build_command_data` turns a test's friendly `{"channel": alerts, "role": fans}` into the
option list and `resolved` data Discord would send, using the command's registered schema
(so option types, choices and channel types are checked as Discord's client would).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from tests.fake_discord.changes import Changes
from tests.fake_discord.messages import RecordedMessage
from tests.fake_discord.models import JSON, FakeChannel, FakeGuild, FakeMember, FakeRole, FakeUser
from tests.fake_discord.permissions import Perm
from tests.fake_discord.world import World


class InteractionType(IntEnum):
    """Discord interaction types."""

    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CallbackType(IntEnum):
    """Discord interaction callback types."""

    PONG = 1
    CHANNEL_MESSAGE_WITH_SOURCE = 4
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class OptionType(IntEnum):
    """Application command option types."""

    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


class InvocationError(AssertionError):
    """The test asked for an interaction Discord's client would not send (unknown command or
    option, a value outside the choices, a user lacking the command's default permissions)."""


@dataclass(frozen=True, slots=True)
class Callback:
    """One interaction callback the bot sent: its type and data."""

    type: CallbackType
    data: JSON


@dataclass(eq=False)
class InteractionResult:
    """Everything the bot did in answer to one interaction; it keeps updating as follow-ups
    arrive. `original` is the response message (or, for components, the clicked message)."""

    id: int
    token: str
    type: InteractionType
    name: str
    guild_id: int | None
    channel_id: int
    user: FakeUser
    callbacks: list[Callback] = field(default_factory=list)
    original: RecordedMessage | None = None
    followups: list[RecordedMessage] = field(default_factory=list)
    edits: int = 0
    changes: Changes = field(default_factory=Changes)

    @property
    def response_type(self) -> CallbackType | None:
        """The type of the bot's (first) callback, or None if it never acknowledged."""
        return self.callbacks[0].type if self.callbacks else None

    @property
    def deferred(self) -> bool:
        """Whether the bot deferred (thinking) before answering."""
        return self.response_type is CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE

    @property
    def answered(self) -> bool:
        """Whether the user has seen an answer: a message, choices, a modal, an updated
        message, or, after a defer, the edited or followed-up response."""
        kind = self.response_type
        if kind is None:
            return False
        if kind is CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            return (self.original is not None and not self.original.loading) or bool(self.followups)
        if kind is CallbackType.DEFERRED_UPDATE_MESSAGE:
            return self.edits > 0 or bool(self.followups)
        return True

    @property
    def ephemeral(self) -> bool:
        """Whether the response message is visible to the invoking user only."""
        return self.original is not None and self.original.ephemeral

    @property
    def content(self) -> str:
        """The response message's current content ('' if none)."""
        return "" if self.original is None else self.original.content

    @property
    def embeds(self) -> list[JSON]:
        """The response message's current embeds."""
        return [] if self.original is None else self.original.embeds

    @property
    def choices(self) -> list[JSON]:
        """Autocomplete choices (`{"name": ..., "value": ...}`) the bot returned."""
        for callback in self.callbacks:
            if callback.type is CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
                return list(callback.data.get("choices") or [])
        return []

    @property
    def modal(self) -> JSON | None:
        """The modal the bot opened, if any."""
        for callback in self.callbacks:
            if callback.type is CallbackType.MODAL:
                return callback.data
        return None

    @property
    def messages(self) -> list[RecordedMessage]:
        """The response message (if any) followed by the follow-ups."""
        first = [] if self.original is None else [self.original]
        return first + [m for m in self.followups if m is not self.original]

    def text(self) -> str:
        """All visible text of all the messages, for `in` assertions."""
        return "\n".join(message.text() for message in self.messages)

    async def wait_until_answered(self, timeout: float = 5.0) -> InteractionResult:
        """Wait until `answered`; raises AssertionError on timeout."""
        if not await self.changes.wait_until(lambda: self.answered, timeout):
            raise AssertionError(
                f"the bot did not answer /{self.name} within {timeout}s "
                f"(callbacks: {[c.type.name for c in self.callbacks]})"
            )
        return self

    async def wait_for_followups(self, count: int, timeout: float = 5.0) -> list[RecordedMessage]:
        """Wait until the bot sent at least `count` follow-ups; returns them."""
        if not await self.changes.wait_until(lambda: len(self.followups) >= count, timeout):
            raise AssertionError(
                f"expected {count} follow-ups to /{self.name}, got {len(self.followups)}"
            )
        return list(self.followups)


def _identify(value: object) -> int:
    if isinstance(value, FakeUser | FakeMember | FakeRole | FakeChannel | FakeGuild):
        return value.id
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise InvocationError(f"expected a model or an id, got {value!r}")


@dataclass(slots=True)
class _Resolver:
    world: World
    guild: FakeGuild | None
    invoker_id: int
    resolved: dict[str, dict[str, JSON]] = field(default_factory=dict)

    def _add(self, kind: str, key: int, payload: JSON) -> None:
        self.resolved.setdefault(kind, {})[str(key)] = payload

    def user(self, user_id: int) -> None:
        user = self.world.user(user_id)
        self._add("users", user.id, user.payload())
        member = None if self.guild is None else self.guild.members.get(user.id)
        if member is not None and self.guild is not None:
            permissions = self.guild.base_permissions_for(user.id)
            self._add("members", user.id, member.payload(permissions=permissions, with_user=False))

    def role(self, role_id: int) -> None:
        if self.guild is None or role_id not in self.guild.roles:
            raise InvocationError(f"role {role_id} is not in the guild")
        self._add("roles", role_id, self.guild.roles[role_id].payload())

    def channel(self, channel_id: int, allowed_types: Sequence[int]) -> None:
        channel = self.world.live_channel(channel_id)
        if channel is None or self.guild is None or channel.guild_id != self.guild.id:
            raise InvocationError(f"channel {channel_id} is not in the guild")
        if allowed_types and int(channel.kind) not in allowed_types:
            raise InvocationError(f"channel #{channel.name} is not of types {allowed_types}")
        permissions = self.guild.permissions_for(self.invoker_id, channel)
        self._add("channels", channel.id, channel.payload(permissions=permissions))


def _convert(option: JSON, value: object, resolver: _Resolver) -> object:
    kind = OptionType(int(option["type"]))
    name = option["name"]
    if kind is OptionType.STRING:
        converted: object = str(value)
    elif kind is OptionType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvocationError(f"option {name!r} takes an integer, got {value!r}")
        converted = value
    elif kind is OptionType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvocationError(f"option {name!r} takes a number, got {value!r}")
        converted = float(value)
    elif kind is OptionType.BOOLEAN:
        if not isinstance(value, bool):
            raise InvocationError(f"option {name!r} takes a boolean, got {value!r}")
        converted = value
    elif kind is OptionType.USER:
        resolver.user(_identify(value))
        converted = str(_identify(value))
    elif kind is OptionType.ROLE:
        resolver.role(_identify(value))
        converted = str(_identify(value))
    elif kind is OptionType.CHANNEL:
        types = [int(t) for t in option.get("channel_types") or []]
        resolver.channel(_identify(value), types)
        converted = str(_identify(value))
    elif kind is OptionType.MENTIONABLE:
        target = _identify(value)
        if isinstance(value, FakeRole) or (
            resolver.guild is not None and target in resolver.guild.roles
        ):
            resolver.role(target)
        else:
            resolver.user(target)
        converted = str(target)
    else:
        raise InvocationError(f"option type {kind.name} is not supported by the fake")
    choices = option.get("choices") or []
    if choices and converted not in [c["value"] for c in choices]:
        raise InvocationError(f"{converted!r} is not one of the choices of option {name!r}")
    return converted


def build_command_data(
    command: JSON,
    path: Sequence[str],
    options: Mapping[str, object],
    *,
    world: World,
    guild: FakeGuild | None,
    invoker_id: int,
    focused: str | None = None,
) -> JSON:
    """The `data` of an APPLICATION_COMMAND (or, with `focused`, AUTOCOMPLETE) interaction
    for `command` invoked through the sub-command `path` with `options`."""
    resolver = _Resolver(world, guild, invoker_id)
    schema: list[JSON] = list(command.get("options") or [])
    top: list[JSON] = []
    container = top
    for step in path:
        sub = next((o for o in schema if o.get("name") == step), None)
        if sub is None or sub.get("type") not in (
            OptionType.SUB_COMMAND,
            OptionType.SUB_COMMAND_GROUP,
        ):
            raise InvocationError(f"/{command['name']} has no sub-command {step!r}")
        nested: list[JSON] = []
        container.append({"name": step, "type": int(sub["type"]), "options": nested})
        container = nested
        schema = list(sub.get("options") or [])
    if any(o.get("type") in (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP) for o in schema):
        names = [str(o["name"]) for o in schema]
        raise InvocationError(f"/{command['name']} needs a sub-command, one of {names}")
    by_name = {str(o["name"]): o for o in schema}
    for name in options:
        if name not in by_name:
            raise InvocationError(f"/{command['name']} has no option {name!r}; has {list(by_name)}")
    for option in schema:
        name = str(option["name"])
        if name not in options:
            if option.get("required") and focused is None:
                raise InvocationError(f"option {name!r} of /{command['name']} is required")
            continue
        value = options[name]
        entry: JSON = {"name": name, "type": int(option["type"])}
        if name == focused:
            entry.update(value=str(value), focused=True)
        else:
            entry["value"] = _convert(option, value, resolver)
        container.append(entry)
    if focused is not None and focused not in by_name:
        raise InvocationError(f"/{command['name']} has no option {focused!r} to autocomplete")
    data: JSON = {
        "id": command["id"],
        "name": command["name"],
        "type": command.get("type", 1),
        "options": top,
    }
    if "guild_id" in command:
        data["guild_id"] = command["guild_id"]
    if resolver.resolved:
        data["resolved"] = resolver.resolved
    return data


def check_default_permissions(command: JSON, member_permissions: int, name: str) -> None:
    """Discord hides a command from members lacking its default permissions ("0" means
    administrators only)."""
    required = command.get("default_member_permissions")
    if required is None or member_permissions & Perm.ADMINISTRATOR:
        return
    bits = int(str(required))
    if bits == 0 or member_permissions & bits != bits:
        raise InvocationError(f"Discord would not show /{name} to a member with these permissions")


def interaction_payload(
    result: InteractionResult,
    data: JSON,
    *,
    application_id: int,
    guild: FakeGuild,
    channel: FakeChannel,
    member: FakeMember,
    member_permissions: int,
    app_permissions: int,
    locale: str,
) -> JSON:
    """The INTERACTION_CREATE payload for `result` in a guild channel."""
    payload: JSON = {
        "id": str(result.id),
        "application_id": str(application_id),
        "type": int(result.type),
        "token": result.token,
        "version": 1,
        "data": data,
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
        "channel_id": str(channel.id),
        "channel": channel.payload(permissions=member_permissions),
        "member": member.payload(permissions=member_permissions),
        "app_permissions": str(app_permissions),
        "locale": locale,
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if result.original is not None:
        payload["message"] = result.original.payload(application_id=application_id)
    return payload


BOT_DM_CONTEXT = 1
DM_APP_PERMISSIONS = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_APPLICATION_COMMANDS
)


def check_dm_allowed(command: JSON, name: str) -> None:
    """Discord offers a command in the bot's DMs only when its contexts include them (or,
    with no contexts, unless `dm_permission` is false)."""
    contexts = command.get("contexts")
    allowed = (
        BOT_DM_CONTEXT in contexts
        if contexts is not None
        else command.get("dm_permission") is not False
    )
    if not allowed:
        raise InvocationError(f"Discord would not offer /{name} in DMs")


def dm_interaction_payload(
    result: InteractionResult,
    data: JSON,
    *,
    application_id: int,
    channel: FakeChannel,
    user: FakeUser,
    locale: str,
) -> JSON:
    """The INTERACTION_CREATE payload for `result` in the bot's DMs with `user`."""
    return {
        "id": str(result.id),
        "application_id": str(application_id),
        "type": int(result.type),
        "token": result.token,
        "version": 1,
        "data": data,
        "channel_id": str(channel.id),
        "channel": {
            **channel.payload(permissions=DM_APP_PERMISSIONS),
            "recipients": [user.payload()],
        },
        "user": user.payload(),
        "app_permissions": str(int(DM_APP_PERMISSIONS)),
        "locale": locale,
        "entitlements": [],
        "authorizing_integration_owners": {"0": "0"},
        "context": BOT_DM_CONTEXT,
        "attachment_size_limit": 10 * 1024 * 1024,
    }
