"""Registered application commands, with the validation Discord applies when they are synced.

`PUT /applications/{app}/commands` (and the guild variant) replaces the whole set; a command
keeps its id across syncs when its name and type stay the same, as on Discord.
"""

from __future__ import annotations

import re

from tests.fake_discord.messages import form_error
from tests.fake_discord.models import JSON
from tests.fake_discord.snowflakes import SnowflakeFactory

CHAT_INPUT = 1
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
_NAME = re.compile(r"^[-_\w]{1,32}$")


def _validate_options(options: list[JSON], where: str) -> JSON | None:
    if len(options) > 25:
        return form_error(f"{where}.options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
    seen: set[str] = set()
    optional_seen = False
    for option in options:
        name = str(option.get("name", ""))
        if not _NAME.match(name) or name != name.lower():
            return form_error(f"{where}.options.name", "APPLICATION_COMMAND_INVALID_NAME", name)
        if name in seen:
            return form_error(f"{where}.options", "APPLICATION_COMMAND_OPTIONS_DUPLICATE", name)
        seen.add(name)
        description = str(option.get("description", ""))
        if not 1 <= len(description) <= 100:
            return form_error(
                f"{where}.options.{name}.description", "BASE_TYPE_BAD_LENGTH", "1-100 chars."
            )
        if option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
            nested = _validate_options(list(option.get("options") or []), f"{where}.{name}")
            if nested is not None:
                return nested
            continue
        if option.get("required"):
            if optional_seen:
                return form_error(
                    f"{where}.options",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = option.get("choices") or []
        if len(choices) > 25:
            return form_error(f"{where}.options.{name}.choices", "BASE_TYPE_MAX_LENGTH", "25")
        if choices and option.get("autocomplete"):
            return form_error(
                f"{where}.options.{name}",
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES",
                "Autocomplete cannot be set with choices",
            )
    return None


def validate_command(command: JSON) -> JSON | None:
    """Discord's 400 error body for an invalid command payload, or None."""
    name = str(command.get("name", ""))
    kind = command.get("type", CHAT_INPUT)
    if kind == CHAT_INPUT:
        if not _NAME.match(name) or name != name.lower():
            return form_error("name", "APPLICATION_COMMAND_INVALID_NAME", f"Invalid name {name!r}")
        description = str(command.get("description", ""))
        if not 1 <= len(description) <= 100:
            return form_error("description", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 chars.")
    elif not 1 <= len(name) <= 32:
        return form_error("name", "BASE_TYPE_BAD_LENGTH", "Must be 1-32 chars.")
    return _validate_options(list(command.get("options") or []), name)


class CommandRegistry:
    """Global and per-guild command sets, plus how often each set was synced."""

    def __init__(self, application_id: int, ids: SnowflakeFactory) -> None:
        self._application_id = application_id
        self._ids = ids
        self.global_commands: dict[tuple[int, str], JSON] = {}
        self.guild_commands: dict[int, dict[tuple[int, str], JSON]] = {}
        self.sync_count: dict[int | None, int] = {}

    def overwrite(
        self, payloads: list[JSON], *, guild_id: int | None
    ) -> tuple[int, JSON | list[JSON]]:
        """Replace a command set; returns (status, body) for the bulk-overwrite route."""
        if len(payloads) > 100:
            return 400, form_error("commands", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer.")
        for payload in payloads:
            error = validate_command(payload)
            if error is not None:
                return 400, error
        current = (
            self.global_commands if guild_id is None else self.guild_commands.get(guild_id, {})
        )
        replaced: dict[tuple[int, str], JSON] = {}
        for payload in payloads:
            kind = int(payload.get("type", CHAT_INPUT))
            key = (kind, str(payload["name"]))
            if key in replaced:
                return 400, form_error("commands", "APPLICATION_COMMANDS_DUPLICATE_NAME", key[1])
            previous = current.get(key)
            command: JSON = {
                "options": [],
                "default_member_permissions": None,
                "nsfw": False,
                **payload,
                "type": kind,
                "id": previous["id"] if previous else str(self._ids.next()),
                "application_id": str(self._application_id),
                "version": str(self._ids.next()),
            }
            if guild_id is not None:
                command["guild_id"] = str(guild_id)
            replaced[key] = command
        if guild_id is None:
            self.global_commands = replaced
        else:
            self.guild_commands[guild_id] = replaced
        self.sync_count[guild_id] = self.sync_count.get(guild_id, 0) + 1
        return 200, list(replaced.values())

    def listing(self, guild_id: int | None) -> list[JSON]:
        """The registered commands of one scope (global when `guild_id` is None)."""
        scope = self.global_commands if guild_id is None else self.guild_commands.get(guild_id, {})
        return list(scope.values())

    def names(self, guild_id: int | None = None) -> list[str]:
        """Names of the chat-input commands of one scope."""
        return [name for kind, name in self.listing_keys(guild_id) if kind == CHAT_INPUT]

    def listing_keys(self, guild_id: int | None) -> list[tuple[int, str]]:
        """(type, name) of every command in one scope."""
        scope = self.global_commands if guild_id is None else self.guild_commands.get(guild_id, {})
        return list(scope)

    def lookup(self, name: str, guild_id: int | None, kind: int = CHAT_INPUT) -> JSON | None:
        """The command a user in `guild_id` would run: a guild command shadows a global one."""
        if guild_id is not None:
            command = self.guild_commands.get(guild_id, {}).get((kind, name))
            if command is not None:
                return command
        return self.global_commands.get((kind, name))
