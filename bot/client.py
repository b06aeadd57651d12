"""The Discord client: connection setup, command sync, app-command errors and shutdown.

This is the only module under `bot/` that imports discord.py. Cogs get shared resources
through `CliffhangerBot.services` (an opaque object the caller builds; cogs cast it to the
services type they expect).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable, Sequence

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

log = logging.getLogger(__name__)

GENERIC_FAILURE = "Something went wrong on our side; please try again in a minute."
FAILED_CHECK = "You can't use this command here."
STALE_COMMAND = (
    "That command is out of date while I update my commands; please try again in a minute."
)
BOT_FORBIDDEN = (
    "Discord didn't let me do that here. Please check that I can view this channel, "
    "send messages and embed links in it."
)

# Discord's names for permissions where they differ from discord.py's attribute names.
_PERMISSION_LABELS = {
    "manage_guild": "Manage Server",
    "view_channel": "View Channel",
    "read_messages": "View Channel",
    "read_message_history": "Read Message History",
    "use_application_commands": "Use Application Commands",
    "send_tts_messages": "Send Text-to-Speech Messages",
    "external_emojis": "Use External Emojis",
}


class StartFailure(Exception):
    """The bot could not connect to Discord; the message is one line saying what to do."""


LOGIN_REFUSED = (
    "Discord refused the bot token: copy it again from "
    "https://discord.com/developers/applications (Bot → Reset Token) into DISCORD_TOKEN, "
    "then run again"
)


def start_failure(error: BaseException) -> StartFailure | None:
    """What to tell the operator when starting the bot failed with `error`; None when it is
    not a problem of the token, the network or Discord (a bug keeps its traceback)."""
    if isinstance(error, discord.LoginFailure):
        return StartFailure(LOGIN_REFUSED)
    if isinstance(error, discord.ConnectionClosed) and error.code == 4004:
        return StartFailure(LOGIN_REFUSED)
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return StartFailure(
            "Discord refused an intent the bot asked for; turn it on in the developer portal"
        )
    if isinstance(error, discord.Forbidden):
        return StartFailure(
            f"Discord refused to register the slash commands ({error.status}: {error.text}); "
            "invite the bot with the applications.commands scope, and check DEV_GUILD_ID"
        )
    if isinstance(error, discord.HTTPException):
        return StartFailure(
            f"Discord answered {error.status} ({error.text or 'no reason given'}) while the "
            "bot was starting; try again in a few minutes"
        )
    if isinstance(error, discord.GatewayNotFound | discord.ConnectionClosed):
        return StartFailure(f"can't open Discord's gateway ({error}); try again in a few minutes")
    if isinstance(error, aiohttp.ClientError | OSError):  # TimeoutError is an OSError
        detail = (str(error) or type(error).__name__).splitlines()[0][:200]
        return StartFailure(
            f"can't reach Discord ({detail}); check the network connection (and any proxy "
            "or firewall), then run again"
        )
    return None


def permission_label(name: str) -> str:
    """A discord.py permission attribute name as Discord's UI shows it."""
    return _PERMISSION_LABELS.get(name, name.replace("_", " ").title())


def _listing(names: Iterable[str]) -> str:
    labels = [f"**{permission_label(name)}**" for name in names]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _plural(count: int) -> str:
    return "permission" if count == 1 else "permissions"


def user_message(error: app_commands.AppCommandError) -> str:
    """The short, actionable message a user sees when their command fails with `error`."""
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = error.missing_permissions
        pronoun = "it" if len(missing) == 1 else "them"
        return (
            f"I need the {_listing(missing)} {_plural(len(missing))} in this channel. "
            f"Ask a server admin to grant {pronoun}, then try again."
        )
    if isinstance(error, app_commands.MissingPermissions):
        missing = error.missing_permissions
        return f"You need the {_listing(missing)} {_plural(len(missing))} to use this command."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little; try again in {max(1, round(error.retry_after))} seconds."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.CheckFailure):
        # The base class is what a plain failing predicate raises; its text is internal.
        return FAILED_CHECK if type(error) is app_commands.CheckFailure else str(error)
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand “{error.value}”. Please pick one of the suggestions."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return STALE_COMMAND
    if isinstance(error, app_commands.CommandInvokeError) and isinstance(
        error.original, discord.Forbidden
    ):
        return BOT_FORBIDDEN
    return GENERIC_FAILURE


def _is_expected(error: app_commands.AppCommandError) -> bool:
    """Failures caused by the user or the server setup, not by a bug."""
    return isinstance(error, app_commands.CheckFailure | app_commands.TransformerError)


class CliffhangerTree(app_commands.CommandTree["CliffhangerBot"]):
    """The command tree, with the one error handler for every app command."""

    async def interaction_check(self, interaction: discord.Interaction[CliffhangerBot], /) -> bool:
        """Run the bot's `before_commands` hooks (they note, never refuse)."""
        if interaction.type is discord.InteractionType.application_command:
            for hook in interaction.client.before_commands:
                await hook(interaction)
        return True

    async def on_error(
        self,
        interaction: discord.Interaction[CliffhangerBot],
        error: app_commands.AppCommandError,
        /,
    ) -> None:
        """Log the error and tell the user, privately, what happened."""
        command = interaction.command.qualified_name if interaction.command else "?"
        if _is_expected(error):
            log.info(
                "/%s refused for user %s in guild %s: %s",
                command,
                interaction.user.id,
                interaction.guild_id,
                error,
            )
        else:
            log.error(
                "/%s failed for user %s in guild %s",
                command,
                interaction.user.id,
                interaction.guild_id,
                exc_info=error,
            )
        await send_ephemeral(interaction, user_message(error))


async def send_ephemeral(interaction: discord.Interaction[CliffhangerBot], text: str) -> None:
    """Reply privately: as the response if none was sent yet, else as a follow-up."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        # The interaction may have expired; there is nobody left to tell.
        log.warning("could not send an error message for interaction %s", interaction.id)


class CliffhangerBot(commands.AutoShardedBot):
    """The bot: app commands only, guild events only, nothing cached that it doesn't need."""

    def __init__(
        self,
        *,
        services: object,
        extensions: Sequence[str] = (),
        dev_guild_id: int | None = None,
        guild_ready_timeout: float = 2.0,
        sync_commands: bool = True,
        shard_count: int | None = None,
        shard_ids: Sequence[int] | None = None,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        # A text-only bot: without these discord.py warns at every start that voice would
        # need PyNaCl and davey.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            tree_cls=CliffhangerTree,
            intents=intents,
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            max_messages=None,
            guild_ready_timeout=guild_ready_timeout,
            # Feed text must never ping anyone by accident; senders opt in per message.
            allowed_mentions=discord.AllowedMentions.none(),
            # None: discord.py asks Discord how many shards, and runs them all here.
            shard_count=shard_count,
        )
        # Set after: the stubs type the keyword as a list only (the settings checked the
        # ids against the count already).
        self.shard_ids = None if shard_ids is None else list(shard_ids)
        self.services = services
        self.extensions_to_load = tuple(extensions)
        self.dev_guild_id = dev_guild_id
        self.sync_commands = sync_commands
        # Awaited before each slash command runs, e.g. to note something to tell the user
        # once it has answered (cogs add them when loaded).
        self.before_commands: list[Callable[[discord.Interaction[CliffhangerBot]], Awaitable[None]]]
        self.before_commands = []

    async def setup_hook(self) -> None:
        """Load the extensions, then sync commands (to the dev guild when configured)."""
        for extension in self.extensions_to_load:
            await self.load_extension(extension)
        if not self.sync_commands:
            return
        if self.dev_guild_id is None:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))
        else:
            guild = discord.Object(id=self.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to dev guild %s", len(synced), self.dev_guild_id)


async def run_bot(
    bot: CliffhangerBot,
    token: str,
    *,
    stop_signals: Sequence[signal.Signals] = (signal.SIGTERM, signal.SIGINT),
) -> None:
    """Run the bot until it stops or one of `stop_signals` arrives, then close it.

    Only the client is closed; the caller closes the other resources it owns. A wrong
    token, no network or a Discord outage raise StartFailure (one line; the detail is
    logged at DEBUG).
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in stop_signals:
        loop.add_signal_handler(sig, stop.set)
    runner = asyncio.create_task(bot.start(token), name="cliffhanger-bot")
    stopper = asyncio.create_task(stop.wait(), name="cliffhanger-stop-signal")
    try:
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            log.info("stop signal received; closing the Discord connection")
    finally:
        for sig in stop_signals:
            loop.remove_signal_handler(sig)
        stopper.cancel()
        if not bot.is_closed():
            await bot.close()
        try:
            await runner
        except Exception as error:
            failure = start_failure(error)
            if failure is None:
                raise
            log.debug("the Discord connection failed", exc_info=error)
            raise failure from error
