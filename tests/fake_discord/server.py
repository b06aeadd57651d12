"""`FakeDiscord`: the fake server and the API tests drive it with.

See the package docstring (`tests/fake_discord/__init__.py`) for a usage example.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime
from typing import TypeVar

import discord
import yarl
from aiohttp import web

from tests.fake_discord.commands import CommandRegistry
from tests.fake_discord.driver import InteractionDriver
from tests.fake_discord.events_driver import EventsAndDms
from tests.fake_discord.faults import FaultInjector, FaultRule, Stall
from tests.fake_discord.gateway import CLOSE_RESUMABLE, GUILDS_INTENT, FakeGateway
from tests.fake_discord.interaction_routes import Interactions
from tests.fake_discord.messages import MessageStore, RecordedMessage
from tests.fake_discord.models import (
    JSON,
    ChannelKind,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    TeamRole,
)
from tests.fake_discord.permissions import DEFAULT_BOT, Overwrite
from tests.fake_discord.ratelimits import RateLimitConfig, RateLimitModel, RateLimitStats
from tests.fake_discord.rest import API_PREFIX, RequestRecord, RestApi
from tests.fake_discord.routes import RoutePattern
from tests.fake_discord.world import ChannelRef, GuildRef, RoleRef, UserRef, World

ClientT = TypeVar("ClientT", bound=discord.Client)


class FakeDiscord(InteractionDriver, EventsAndDms):
    """A fake Discord on 127.0.0.1: REST + gateway for one bot application.

    Use `async with FakeDiscord() as fake:`; while it runs, discord.py's REST base and
    gateway URL point at it. Only one fake may run at a time in a process. Acting as users
    (`invoke`, `invoke_in_dm`, `autocomplete`, `click`, `submit_modal`) comes from
    `InteractionDriver`; scheduled events and DMs (`scheduled_events`, `close_dms`, `dms`,
    ...) from `EventsAndDms`.
    """

    _active: FakeDiscord | None = None

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",  # noqa: S107
        bot_name: str = "Cliffhanger",
        owner_name: str = "owner",
        heartbeat_interval_ms: int = 1000,
        rate_limits: RateLimitConfig | None = None,
        nonce_window: float = 300.0,
        history_limit: int = 10_000,
    ) -> None:
        self.token = token
        # What "now" is to the fake (scheduled events must start after it); tests of the
        # product point it at their fake clock.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.world = World(bot_name=bot_name, owner_name=owner_name)
        self.commands = CommandRegistry(self.world.application.id, self.world.ids)
        self._messages = MessageStore(nonce_window=nonce_window, clock=time.monotonic)
        self.interactions = Interactions()
        self.faults = FaultInjector()
        self.gateway = FakeGateway(
            token=token,
            application=self.world.application,
            bot_user=self.world.bot,
            guilds=self.world.bot_guilds,
            url=lambda: self.gateway_url,
            heartbeat_interval_ms=heartbeat_interval_ms,
            history_limit=history_limit,
        )
        self.rest = RestApi(
            token=token,
            world=self.world,
            commands=self.commands,
            messages=self._messages,
            interactions=self.interactions,
            faults=self.faults,
            gateway_url=lambda: self.gateway_url,
            dispatch=lambda event, data: self.gateway.dispatch(event, data, intent=GUILDS_INTENT),
            dispatch_with_intent=lambda event, data, intent: self.gateway.dispatch(
                event, data, intent=intent
            ),
            clock=lambda: self.clock(),
        )
        if rate_limits is not None:
            self.enable_rate_limits(rate_limits)
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._saved_urls: tuple[str, yarl.URL] | None = None

    # -- lifecycle --------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        if self._runner is None:
            raise RuntimeError("the fake is not running")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        """The REST base discord.py is pointed at."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """The gateway websocket URL."""
        return f"ws://127.0.0.1:{self._port}/gateway"

    async def start(self) -> None:
        """Bind a free port on 127.0.0.1 and point discord.py at it."""
        if FakeDiscord._active is not None:
            raise RuntimeError("another FakeDiscord is already running in this process")
        app = web.Application()
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self.rest.handle)
        runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)  # TCPSite always makes an asyncio.Server
        self._port = server.sockets[0].getsockname()[1]
        self._runner = runner
        FakeDiscord._active = self
        self._saved_urls = (
            discord.http.Route.BASE,
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
        )
        discord.http.Route.BASE = self.api_url
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    async def close(self) -> None:
        """Close every connection, stop the server and restore discord.py's URLs."""
        if self._saved_urls is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = (
                self._saved_urls
            )
            self._saved_urls = None
        if FakeDiscord._active is self:
            FakeDiscord._active = None
        if self._runner is not None:
            await self.gateway.close_all()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @contextlib.asynccontextmanager
    async def running(self, client: ClientT, *, timeout: float = 5.0) -> AsyncIterator[ClientT]:
        """Log `client` in, connect it, wait until it is ready; close it on exit.

        Errors from the client's connection task are re-raised when the block ends.
        """
        try:
            await asyncio.wait_for(client.login(self.token), timeout)
        except BaseException:
            await client.close()  # login opened an HTTP session; don't leak it
            raise
        connection = asyncio.create_task(client.connect(), name="fake-discord-client")
        ready = asyncio.create_task(client.wait_until_ready())
        try:
            done, _ = await asyncio.wait(
                {connection, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if connection in done:
                connection.result()
                raise RuntimeError("the client stopped before it was ready")
            if ready not in done:
                raise TimeoutError(f"the client was not ready within {timeout}s; {self.diagnose()}")
            yield client
        finally:
            ready.cancel()
            await client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(connection, timeout)

    def diagnose(self) -> str:
        """A one-line summary of what the fake saw, for failure messages."""
        gateway = self.gateway
        return (
            f"requests={len(self.rest.requests)} unknown_routes={self.rest.unknown_routes} "
            f"identifies={gateway.identify_count} resumes={gateway.resume_count} "
            f"connected={gateway.connected}"
        )

    # -- the world --------------------------------------------------------------------

    @property
    def bot_user(self) -> FakeUser:
        """The bot's user."""
        return self.world.bot

    @property
    def owner(self) -> FakeUser:
        """The application owner."""
        return self.world.application.owner

    def add_user(self, name: str) -> FakeUser:
        """A new (human) user, member of no guild."""
        return self.world.add_user(name)

    def add_guild(
        self,
        name: str = "Test Guild",
        *,
        owner: UserRef | None = None,
        everyone_permissions: int | None = None,
        bot_permissions: int | None = DEFAULT_BOT,
        shard: tuple[int, int] | None = None,
    ) -> FakeGuild:
        """A guild the bot is in (unless `bot_permissions` is None); dispatches GUILD_CREATE
        when the bot is connected. `shard` (id, count): a guild that shard serves."""
        kwargs: dict[str, int] = {}
        if everyone_permissions is not None:
            kwargs["everyone_permissions"] = everyone_permissions
        guild = self.world.add_guild(
            name, owner=owner, bot_permissions=bot_permissions, shard=shard, **kwargs
        )
        if bot_permissions is not None:
            self.gateway.dispatch("GUILD_CREATE", guild.payload(), intent=GUILDS_INTENT)
        return guild

    def add_role(
        self, guild: GuildRef, name: str, *, permissions: int = 0, mentionable: bool = False
    ) -> FakeRole:
        """A new role; dispatches GUILD_ROLE_CREATE when connected."""
        role = self.world.add_role(guild, name, permissions=permissions, mentionable=mentionable)
        self.gateway.dispatch(
            "GUILD_ROLE_CREATE",
            {"guild_id": str(role.guild_id), "role": role.payload()},
            intent=GUILDS_INTENT,
        )
        return role

    def add_text_channel(
        self,
        guild: GuildRef,
        name: str,
        *,
        overwrites: Iterable[Overwrite] = (),
        kind: ChannelKind = ChannelKind.TEXT,
        parent: ChannelRef | None = None,
    ) -> FakeChannel:
        """A new channel (text unless `kind` says otherwise); dispatches CHANNEL_CREATE."""
        channel = self.world.add_channel(
            guild, name, kind=kind, overwrites=overwrites, parent=parent
        )
        self.gateway.dispatch("CHANNEL_CREATE", channel.payload(), intent=GUILDS_INTENT)
        return channel

    def add_forum_channel(
        self, guild: GuildRef, name: str, *, overwrites: Iterable[Overwrite] = ()
    ) -> FakeChannel:
        """A new forum channel (posts are threads; messages go in them, not in the forum)."""
        return self.add_text_channel(guild, name, overwrites=overwrites, kind=ChannelKind.FORUM)

    def add_thread(
        self, parent: ChannelRef, name: str, *, owner: UserRef | None = None
    ) -> FakeChannel:
        """A new public thread in a text or announcement channel, started by `owner` (the
        guild's owner by default); dispatches THREAD_CREATE. Its permissions are the
        channel's, with Send Messages in Threads standing for Send Messages."""
        channel = self.world.channel(parent)
        kind = (
            ChannelKind.NEWS_THREAD
            if channel.kind is ChannelKind.NEWS
            else ChannelKind.PUBLIC_THREAD
        )
        guild = self.world.guild(channel.guild_id)
        thread = self.world.add_channel(
            guild,
            name,
            kind=kind,
            parent=channel,
            owner=guild.owner_id if owner is None else owner,
        )
        self.gateway.dispatch(
            "THREAD_CREATE", {**thread.payload(), "newly_created": True}, intent=GUILDS_INTENT
        )
        return thread

    def threads_of(self, channel: ChannelRef) -> list[FakeChannel]:
        """The live threads (forum posts) of a channel, oldest first."""
        parent = self.world.channel(channel)
        return [t for t in self.world.guild(parent.guild_id).threads() if t.parent_id == parent.id]

    def add_member(
        self, guild: GuildRef, user: UserRef | str, *, roles: Iterable[RoleRef] = ()
    ) -> FakeMember:
        """Add a user (or a new user named `user`) to a guild. No event is dispatched: member
        events need the privileged members intent, which the bot does not use."""
        return self.world.add_member(guild, user, roles=roles)

    def make_team(self, members: Iterable[tuple[UserRef, TeamRole]] = ()) -> None:
        """Make the application team-owned: the owner becomes a team admin, plus `members`."""
        self.world.make_team(members)

    def delete_channel(self, channel: ChannelRef) -> None:
        """Delete a channel: sends to it now fail with 404 Unknown Channel (10003).
        Dispatches CHANNEL_DELETE when connected; its messages stay readable in the fake."""
        found = self.world.channel(channel)
        found.deleted = True
        event = "THREAD_DELETE" if found.is_thread else "CHANNEL_DELETE"
        self.gateway.dispatch(event, found.payload(), intent=GUILDS_INTENT)

    def set_overwrite(
        self,
        channel: ChannelRef,
        target: RoleRef | UserRef,
        *,
        allow: int = 0,
        deny: int = 0,
    ) -> FakeChannel:
        """Replace a channel's overwrite for a role or member (allow=deny=0 removes it);
        dispatches CHANNEL_UPDATE so discord.py's `permissions_for` sees it."""
        found = self.world.set_overwrite(channel, target, allow=allow, deny=deny)
        self.gateway.dispatch("CHANNEL_UPDATE", found.payload(), intent=GUILDS_INTENT)
        return found

    def set_bot_permissions(
        self, channel: ChannelRef, *, allow: int = 0, deny: int = 0
    ) -> FakeChannel:
        """Give the bot a member overwrite in a channel, e.g.
        `deny=Perm.SEND_MESSAGES` or `deny=Perm.VIEW_CHANNEL`."""
        return self.set_overwrite(channel, self.world.bot, allow=allow, deny=deny)

    def permissions_in(self, channel: ChannelRef, user: UserRef) -> int:
        """A user's effective permissions in a channel, as the fake computes them."""
        found = self.world.channel(channel)
        return self.world.guild(found.guild_id).permissions_for(self.world.user(user).id, found)

    # -- gateway ----------------------------------------------------------------------

    def dispatch(self, event: str, data: object) -> int | None:
        """Send any gateway dispatch to the bot (buffered while it is disconnected)."""
        return self.gateway.dispatch(event, data)

    async def sync_gateway(self, timeout: float = 5.0) -> None:
        """Wait until the bot has processed (updated its cache for) every gateway event sent
        so far. Event listeners it schedules may still be running."""
        await self.gateway.sync(timeout)

    async def drop_gateway(self, code: int = CLOSE_RESUMABLE) -> None:
        """Close the bot's websocket from the server side with a resumable close code."""
        await self.gateway.drop(code)

    async def wait_for_resume(self, count: int = 1, timeout: float = 5.0) -> None:
        """Wait until the bot has RESUMEd `count` times in total."""
        await self.gateway.wait_for(
            lambda: self.gateway.resume_count >= count and self.gateway.connected, timeout
        )

    # -- messages ---------------------------------------------------------------------

    def messages(self, channel: ChannelRef) -> list[RecordedMessage]:
        """Messages visible in a channel (not ephemeral, not deleted), oldest first."""
        channel_id = channel.id if isinstance(channel, FakeChannel) else channel
        return self._messages.in_channel(channel_id)

    def message(self, message_id: int) -> RecordedMessage | None:
        """Any message the fake stored, by id."""
        return self._messages.get(message_id)

    def message_count(self) -> int:
        """How many channel-visible messages were created in total."""
        return self._messages.total()

    async def wait_for_messages(
        self,
        channel: ChannelRef | None,
        count: int,
        timeout: float = 5.0,
    ) -> list[RecordedMessage]:
        """Wait until a channel (or, with None, all channels together) has at least `count`
        messages; returns the channel's messages (or [] for None)."""
        channel_id = channel.id if isinstance(channel, FakeChannel) else channel

        def enough() -> bool:
            if channel_id is None:
                return self._messages.total() >= count
            return len(self._messages.in_channel(channel_id)) >= count

        if not await self._messages.changes.wait_until(enough, timeout):
            have = (
                self._messages.total()
                if channel_id is None
                else len(self._messages.in_channel(channel_id))
            )
            raise AssertionError(f"expected {count} messages, got {have} after {timeout}s")
        return [] if channel_id is None else self._messages.in_channel(channel_id)

    # -- faults and rate limits -------------------------------------------------------

    def fail_next(
        self,
        route: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
        body: JSON | None = None,
    ) -> FaultRule:
        """Fail the next `times` requests matching `route` (e.g.
        `"POST /channels/*/messages"`) with `status`. A 429 carries `retry_after`, the
        `global` flag, a `Via` header and X-RateLimit headers, like Discord's. The returned
        rule's `hits` counts the failures sent."""
        return self.faults.add(
            route,
            status=status,
            times=times,
            retry_after=retry_after,
            is_global=is_global,
            body=body,
        )

    def stall_next(self, route: str, *, times: int = 1) -> Stall:
        """Hold the next `times` requests matching `route` unanswered until the returned
        stall's `release()`; `stall.arrived` is set when the first one comes in."""
        return self.faults.stall(route, times=times)

    def enable_rate_limits(self, config: RateLimitConfig | None = None) -> RateLimitModel:
        """Turn on the rate-limit model (Discord's published limits by default)."""
        self.rest.rate_limits = RateLimitModel(config or RateLimitConfig(), time.monotonic)
        return self.rest.rate_limits

    @property
    def rate_limit_stats(self) -> RateLimitStats:
        """429s sent by the rate-limit model (all zero when it is off)."""
        model = self.rest.rate_limits
        return RateLimitStats() if model is None else model.stats

    def requests(self, route: str | None = None) -> list[RequestRecord]:
        """Requests answered so far, optionally only those matching a route pattern."""
        if route is None:
            return list(self.rest.requests)
        pattern = RoutePattern.parse(route)
        return [r for r in self.rest.requests if pattern.matches(r.method, r.path)]

    @property
    def unknown_routes(self) -> list[str]:
        """Requests for routes the fake does not implement (answered 404)."""
        return self.rest.unknown_routes
