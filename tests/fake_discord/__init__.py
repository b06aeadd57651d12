"""A fake Discord for tests: REST + gateway on 127.0.0.1, driven through the real discord.py.

The fake speaks enough of Discord's API for the bot's real client to log in, sync its
commands, connect to the gateway, receive interactions and post messages. Tests build the
world (guilds, channels, roles, members, permissions), run the client against it, invoke
commands as users and inspect what the bot answered or posted. It also injects failures
(`fail_next`), models Discord's rate limits (`enable_rate_limits`) and drops the gateway
(`drop_gateway`) to exercise RESUME.

Example::

    from bot.client import CliffhangerBot
    from tests.fake_discord import FakeDiscord, Perm

    async def test_watch_then_alert() -> None:
        async with FakeDiscord() as fake:                      # 127.0.0.1, free port
            guild = fake.add_guild("Fans")                     # the bot is a member
            alerts = fake.add_text_channel(guild, "alerts")
            fans = fake.add_role(guild, "Citadel fans", mentionable=True)
            alice = fake.add_member(guild, "alice")
            bot = CliffhangerBot(services=..., extensions=["cogs.watches"],
                                 dev_guild_id=guild.id, guild_ready_timeout=0.02)
            async with fake.running(bot):                      # login, sync, READY
                result = await fake.invoke(
                    "watch", {"show": "citadel", "channel": alerts, "role": fans}, user=alice
                )
                assert result.ephemeral and "Citadel" in result.content
                choices = await fake.autocomplete("when", "show", "cit")

                fake.set_bot_permissions(alerts, deny=Perm.EMBED_LINKS)  # sends now get 403
                await fake.sync_gateway()                      # the bot's cache has seen it
                fake.fail_next("POST /channels/*/messages", status=500)  # retried by discord.py
                await fake.drop_gateway()                      # the bot RESUMEs
                posted = await fake.wait_for_messages(alerts, 1, timeout=5)
                assert posted[0].pinged_role_ids() == [fans.id]

`tests/fake_discord/standard_world.py` builds a ready-made server (guild, two channels,
roles, members); `tests/discord/conftest.py` shows fixtures built on it.

What to know:

* Models (`FakeGuild`, `FakeChannel`, ...) or plain ids are accepted wherever a guild,
  channel, role or user is expected.
* Changing the world while the bot is connected dispatches the gateway event Discord would
  (CHANNEL_CREATE/UPDATE/DELETE, GUILD_ROLE_CREATE, GUILD_CREATE); member events are not
  sent because they need a privileged intent.
* Permissions are computed server-side the way Discord does (owner, administrator,
  @everyone, roles, overwrites, implicit rules). Creating a message without VIEW_CHANNEL
  gives 403 Missing Access (50001); without SEND_MESSAGES, or EMBED_LINKS when sending
  embeds, 403 Missing Permissions (50013); in a deleted channel, 404 Unknown Channel (10003).
* `invoke` refuses (InvocationError) what Discord's client would not send: unregistered
  commands, unknown options, values outside the choices, or members lacking a command's
  default permissions.
* `messages(channel)` lists what is visible in the channel, including non-ephemeral
  interaction responses (their `interaction_id` is set).
* Announcement channels (`kind=ChannelKind.NEWS`) take crossposts (`message.crossposted`);
  forum channels (`add_forum_channel`) take posts, each a thread owned by its author whose
  starter message has the thread's id (`threads_of(forum)`); `add_thread` starts a thread
  in a text channel. A thread has its channel's permissions, with SEND_MESSAGES_IN_THREADS
  standing for SEND_MESSAGES; `GET /guilds/{id}/threads/active` lists the live ones.
* Unknown routes are logged, recorded in `unknown_routes` and answered 404.
* One fake at a time per process: it points `discord.http.Route.BASE` and
  `DiscordWebSocket.DEFAULT_GATEWAY` at itself while running and restores them on close.
"""

from tests.fake_discord.faults import FaultRule
from tests.fake_discord.interactions import (
    Callback,
    CallbackType,
    InteractionResult,
    InteractionType,
    InvocationError,
)
from tests.fake_discord.messages import RecordedMessage
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
    ALL_PERMISSIONS,
    DEFAULT_BOT,
    DEFAULT_EVERYONE,
    Overwrite,
    OverwriteType,
    Perm,
)
from tests.fake_discord.ratelimits import RateLimitConfig, RateLimitStats
from tests.fake_discord.rest import RequestRecord
from tests.fake_discord.server import FakeDiscord

__all__ = [
    "ALL_PERMISSIONS",
    "DEFAULT_BOT",
    "DEFAULT_EVERYONE",
    "Callback",
    "CallbackType",
    "ChannelKind",
    "FakeApplication",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "FaultRule",
    "InteractionResult",
    "InteractionType",
    "InvocationError",
    "Overwrite",
    "OverwriteType",
    "Perm",
    "RateLimitConfig",
    "RateLimitStats",
    "RecordedMessage",
    "RequestRecord",
    "TeamRole",
]
