"""The fake's REST API: the routes discord.py calls, with Discord's status codes and bodies.

Every request goes through `RestApi.handle`: authentication, injected faults, the optional
rate-limit model, then the route handler. Unknown routes are logged loudly, recorded in
`unknown_routes` and answered 404, so gaps in the fake show up instead of hiding.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from tests.fake_discord.commands import CommandRegistry
from tests.fake_discord.event_routes import EventRoutes
from tests.fake_discord.faults import FaultInjector
from tests.fake_discord.interaction_routes import InteractionRoutes, Interactions
from tests.fake_discord.messages import (
    SUPPRESS_EMBEDS,
    SUPPRESS_NOTIFICATIONS,
    MessageStore,
    RecordedMessage,
    validate_message_body,
)
from tests.fake_discord.models import JSON, FakeChannel
from tests.fake_discord.permissions import Perm
from tests.fake_discord.ratelimits import RateLimitModel
from tests.fake_discord.responses import (
    CANNOT_DM,
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    NOT_FOUND,
    UNAUTHORIZED,
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MESSAGE,
    FakeResponse,
    Handler,
    RestRequest,
    error,
)
from tests.fake_discord.thread_routes import ThreadRoutes
from tests.fake_discord.world import World

log = logging.getLogger("fake_discord.rest")

API_PREFIX = "/api/v10"


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the fake answered."""

    method: str
    path: str
    route: str | None
    status: int
    body: object = None  # the JSON the client sent (a multipart request's payload_json)


@dataclass(slots=True)
class _Route:
    method: str
    template: str
    regex: re.Pattern[str]
    handler: Handler
    authenticated: bool


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(pattern + r"\Z")


class RestApi:
    """Route table and handlers; state lives in the objects passed in."""

    def __init__(
        self,
        *,
        token: str,
        world: World,
        commands: CommandRegistry,
        messages: MessageStore,
        interactions: Interactions,
        faults: FaultInjector,
        gateway_url: Callable[[], str],
        dispatch: Callable[[str, JSON], object] = lambda event, data: None,  # THREAD_CREATE...
        dispatch_with_intent: Callable[[str, JSON, int], object] = lambda e, d, i: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._token = token
        self._world = world
        self._commands = commands
        self._messages = messages
        self._interactions = interactions
        self._faults = faults
        self._gateway_url = gateway_url
        self.rate_limits: RateLimitModel | None = None
        self.requests: list[RequestRecord] = []
        self.unknown_routes: list[str] = []
        self._routes: list[_Route] = []
        self._interaction_routes = InteractionRoutes(
            world=world, messages=messages, interactions=interactions
        )
        self._thread_routes = ThreadRoutes(
            world=world,
            messages=messages,
            dispatch=dispatch,
            visible_channel=self._visible_channel,
            channel_message=self._channel_message,
        )
        self._event_routes = EventRoutes(world=world, dispatch=dispatch_with_intent, clock=clock)
        self._register_routes()

    # -- plumbing ---------------------------------------------------------------------

    def _add(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        self._routes.append(_Route(method, template, _template_regex(template), handler, auth))

    def _match(self, method: str, path: str) -> tuple[_Route, dict[str, str]] | None:
        for route in self._routes:
            if route.method == method:
                found = route.regex.match(path)
                if found is not None:
                    return route, found.groupdict()
        return None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler for everything under the API prefix."""
        path = "/" + request.match_info["tail"]
        method = request.method.upper()
        matched = self._match(method, path)
        template = None if matched is None else matched[0].template
        body, files = await _read_body(request)
        response = await self._respond(request, method, path, matched, body, files)
        self.requests.append(RequestRecord(method, path, template, response.status, body))
        return _to_web(response)

    async def _respond(
        self,
        request: web.Request,
        method: str,
        path: str,
        matched: tuple[_Route, dict[str, str]] | None,
        body: object,
        files: dict[str, bytes],
    ) -> FakeResponse:
        authenticated = matched is None or matched[0].authenticated
        if authenticated and request.headers.get("Authorization") != f"Bot {self._token}":
            return UNAUTHORIZED
        fault = self._faults.take(method, path)
        if fault is not None:
            return fault
        if self.rate_limits is not None and authenticated:
            limited = self.rate_limits.check_global()
            if limited is not None:
                return limited
        if matched is None:
            log.warning("FAKE DISCORD: no route for %s %s; answering 404", method, path)
            self.unknown_routes.append(f"{method} {path}")
            return NOT_FOUND
        route, params = matched
        await self._faults.hold(method, path)  # the request is in; its answer waits
        parsed = RestRequest(method, path, params, request.query, body, list(files), files)
        return await route.handler(parsed)

    def _register_routes(self) -> None:
        add = self._add
        add("GET", "/users/@me", self._get_me)
        add("GET", "/oauth2/applications/@me", self._get_application)
        add("GET", "/applications/@me", self._get_application)
        add("GET", "/gateway/bot", self._get_gateway_bot)
        add("GET", "/gateway", self._get_gateway, auth=False)
        add("PUT", "/applications/{app_id}/commands", self._put_global_commands)
        add("GET", "/applications/{app_id}/commands", self._get_global_commands)
        add("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", self._put_guild_commands)
        add("GET", "/applications/{app_id}/guilds/{guild_id}/commands", self._get_guild_commands)
        add("GET", "/channels/{channel_id}", self._get_channel)
        add("POST", "/channels/{channel_id}/messages", self._create_message)
        add("POST", "/channels/{channel_id}/typing", self._typing)
        add("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message)
        add("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message)
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message)
        add("GET", "/guilds/{guild_id}", self._get_guild)
        add("GET", "/guilds/{guild_id}/channels", self._get_guild_channels)
        add("GET", "/guilds/{guild_id}/roles", self._get_guild_roles)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member)
        for method, template, handler in self._thread_routes.routes():
            add(method, template, handler)
        for method, template, handler in self._event_routes.routes():
            add(method, template, handler)
        for method, template, handler in self._interaction_routes.routes():
            add(method, template, handler, auth=False)

    # -- session and application ------------------------------------------------------

    async def _get_me(self, request: RestRequest) -> FakeResponse:
        return FakeResponse(200, self._world.bot.me_payload())

    async def _get_application(self, request: RestRequest) -> FakeResponse:
        return FakeResponse(200, self._world.application.payload())

    async def _get_gateway(self, request: RestRequest) -> FakeResponse:
        return FakeResponse(200, {"url": self._gateway_url()})

    async def _get_gateway_bot(self, request: RestRequest) -> FakeResponse:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        body: JSON = {"url": self._gateway_url(), "shards": 1, "session_start_limit": limit}
        return FakeResponse(200, body)

    # -- commands ---------------------------------------------------------------------

    def _own_application(self, request: RestRequest) -> bool:
        return request.int_param("app_id") == self._world.application.id

    async def _put_global_commands(self, request: RestRequest) -> FakeResponse:
        return self._overwrite_commands(request, guild_id=None)

    async def _put_guild_commands(self, request: RestRequest) -> FakeResponse:
        guild_id = request.int_param("guild_id")
        if guild_id not in self._world.guilds:
            return UNKNOWN_GUILD
        if self._world.bot.id not in self._world.guilds[guild_id].members:
            return MISSING_ACCESS
        return self._overwrite_commands(request, guild_id=guild_id)

    def _overwrite_commands(self, request: RestRequest, *, guild_id: int | None) -> FakeResponse:
        if not self._own_application(request):
            return MISSING_ACCESS
        if not isinstance(request.body, list):
            return error(400, "Invalid Form Body", 50035)
        status, body = self._commands.overwrite(list(request.body), guild_id=guild_id)
        return FakeResponse(status, body)

    async def _get_global_commands(self, request: RestRequest) -> FakeResponse:
        if not self._own_application(request):
            return MISSING_ACCESS
        return FakeResponse(200, self._commands.listing(None))

    async def _get_guild_commands(self, request: RestRequest) -> FakeResponse:
        if not self._own_application(request):
            return MISSING_ACCESS
        return FakeResponse(200, self._commands.listing(request.int_param("guild_id")))

    # -- guilds and channels ----------------------------------------------------------

    def _visible_channel(self, request: RestRequest) -> FakeChannel | FakeResponse:
        channel = self._world.live_channel(request.int_param("channel_id"))
        if channel is None:
            return UNKNOWN_CHANNEL
        if not self._world.bot_permissions(channel) & Perm.VIEW_CHANNEL:
            return MISSING_ACCESS
        return channel

    async def _get_channel(self, request: RestRequest) -> FakeResponse:
        channel = self._visible_channel(request)
        return (
            channel if isinstance(channel, FakeResponse) else FakeResponse(200, channel.payload())
        )

    async def _get_guild(self, request: RestRequest) -> FakeResponse:
        guild = self._world.guilds.get(request.int_param("guild_id"))
        if guild is None or self._world.bot.id not in guild.members:
            return UNKNOWN_GUILD
        body = guild.payload()
        for key in ("members", "channels", "threads", "presences", "voice_states"):
            body.pop(key, None)
        return FakeResponse(200, body)

    async def _get_guild_channels(self, request: RestRequest) -> FakeResponse:
        guild = self._world.guilds.get(request.int_param("guild_id"))
        if guild is None or self._world.bot.id not in guild.members:
            return UNKNOWN_GUILD
        channels = [c.payload() for c in guild.channels.values() if not c.deleted]
        return FakeResponse(200, channels)

    async def _get_guild_roles(self, request: RestRequest) -> FakeResponse:
        guild = self._world.guilds.get(request.int_param("guild_id"))
        if guild is None or self._world.bot.id not in guild.members:
            return UNKNOWN_GUILD
        return FakeResponse(200, [role.payload() for role in guild.roles.values()])

    async def _get_member(self, request: RestRequest) -> FakeResponse:
        guild = self._world.guilds.get(request.int_param("guild_id"))
        if guild is None or self._world.bot.id not in guild.members:
            return UNKNOWN_GUILD
        member = guild.members.get(request.int_param("user_id"))
        if member is None:
            return error(404, "Unknown Member", 10007)
        return FakeResponse(200, member.payload())

    # -- channel messages -------------------------------------------------------------

    async def _typing(self, request: RestRequest) -> FakeResponse:
        channel = self._visible_channel(request)
        return channel if isinstance(channel, FakeResponse) else FakeResponse(204)

    async def _create_message(self, request: RestRequest) -> FakeResponse:
        channel_id = request.int_param("channel_id")
        bucket_headers: tuple[tuple[str, str], ...] = ()
        if self.rate_limits is not None:
            limited, bucket_headers = self.rate_limits.check_channel_message(channel_id)
            if limited is not None:
                return limited
        channel = self._world.live_channel(channel_id)
        if channel is None:
            return UNKNOWN_CHANNEL
        if not channel.accepts_messages:
            return error(400, "Cannot send messages in a non-text channel", 50008)
        body = request.json()
        if channel.is_dm and (
            channel.recipient_id is None or not self._world.can_dm(channel.recipient_id)
        ):
            return CANNOT_DM
        permissions = self._world.bot_permissions(channel)
        if not permissions & Perm.VIEW_CHANNEL:
            return MISSING_ACCESS
        needed = Perm.SEND_MESSAGES_IN_THREADS if channel.is_thread else Perm.SEND_MESSAGES
        if body.get("embeds"):
            needed |= Perm.EMBED_LINKS
        if request.files:
            needed |= Perm.ATTACH_FILES
        if permissions & needed != needed:
            return MISSING_PERMISSIONS
        invalid = validate_message_body({**body, "attachments": request.files}, creating=True)
        if invalid is not None:
            return FakeResponse(400, invalid)
        nonce = body.get("nonce")
        nonce_text = None if nonce is None else str(nonce)
        if nonce_text is not None and body.get("enforce_nonce"):
            earlier = self._messages.find_nonce(channel.id, self._world.bot.id, nonce_text)
            if earlier is not None:
                if earlier.deleted:
                    return UNKNOWN_MESSAGE
                return FakeResponse(200, earlier.payload(), bucket_headers)
        message = RecordedMessage(
            id=self._world.ids.next(),
            channel_id=channel.id,
            guild_id=None if channel.is_dm else channel.guild_id,
            author=self._world.bot,
            content=str(body.get("content") or ""),
            embeds=list(body.get("embeds") or []),
            components=list(body.get("components") or []),
            allowed_mentions=body.get("allowed_mentions"),
            nonce=nonce_text,
            flags=int(body.get("flags") or 0) & (SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS),
            attachments=list(request.files),
            files=dict(request.uploads),
        )
        message.unpingable_role_ids, message.can_ping_everyone = self._world.ping_rules(channel)
        self._messages.add(message)
        if body.get("enforce_nonce"):
            self._messages.remember_nonce(message)
        return FakeResponse(200, message.payload(), bucket_headers)

    def _channel_message(self, request: RestRequest) -> RecordedMessage | FakeResponse:
        channel = self._visible_channel(request)
        if isinstance(channel, FakeResponse):
            return channel
        message = self._messages.get(request.int_param("message_id"))
        if message is None or message.deleted or message.channel_id != channel.id:
            return UNKNOWN_MESSAGE
        if message.ephemeral:
            return UNKNOWN_MESSAGE
        return message

    async def _get_message(self, request: RestRequest) -> FakeResponse:
        message = self._channel_message(request)
        if isinstance(message, FakeResponse):
            return message
        return FakeResponse(200, message.payload(application_id=self._world.application.id))

    async def _edit_message(self, request: RestRequest) -> FakeResponse:
        message = self._channel_message(request)
        if isinstance(message, FakeResponse):
            return message
        if message.author.id != self._world.bot.id:
            return error(403, "Cannot edit a message authored by another user", 50005)
        invalid = validate_message_body(request.json(), creating=False)
        if invalid is not None:
            return FakeResponse(400, invalid)
        message.apply_edit(request.json())
        self._messages.notify()
        return FakeResponse(200, message.payload(application_id=self._world.application.id))

    async def _delete_message(self, request: RestRequest) -> FakeResponse:
        message = self._channel_message(request)
        if isinstance(message, FakeResponse):
            return message
        channel = self._world.channel(message.channel_id)
        own = message.author.id == self._world.bot.id
        if not own and not self._world.bot_permissions(channel) & Perm.MANAGE_MESSAGES:
            return MISSING_PERMISSIONS
        message.deleted = True
        self._messages.notify()
        return FakeResponse(204)


async def _read_body(request: web.Request) -> tuple[object, dict[str, bytes]]:
    """The JSON body (or multipart `payload_json`) and the uploaded files by name."""
    if not request.can_read_body:
        return None, {}
    if request.content_type.startswith("multipart/"):
        form = await request.post()
        files = {
            str(value.filename): value.file.read()
            for key, value in form.items()
            if key.startswith("files[") and isinstance(value, web.FileField)
        }
        raw = form.get("payload_json")
        return (json.loads(str(raw)) if raw is not None else None), files
    text = await request.text()
    return (json.loads(text) if text else None), {}


def _to_web(response: FakeResponse) -> web.Response:
    headers = dict(response.headers)
    if response.body is not None:
        # Exactly "application/json": discord.py only decodes JSON without a charset.
        headers["Content-Type"] = "application/json"
        return web.Response(
            status=response.status, body=json.dumps(response.body).encode(), headers=headers
        )
    if response.text is not None:
        headers["Content-Type"] = "text/plain"
        return web.Response(status=response.status, body=response.text.encode(), headers=headers)
    return web.Response(status=response.status, headers=headers)
