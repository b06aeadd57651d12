"""Forum posts, threads and announcement crossposts: the routes for channels that are more
than a list of messages.

* `POST /channels/{forum}/threads` opens a post in a forum: a public thread owned by the
  bot and its starter message (whose id is the thread's, as on Discord), in one request;
  it needs Send Messages (and Embed Links for embeds) in the forum and dispatches
  THREAD_CREATE.
* `POST /channels/{channel}/messages/{message}/crosspost` publishes a message of an
  announcement channel to its followers (Send Messages for the bot's own messages, and
  Manage Messages too for others'); a second crosspost is refused with 40033.
* `GET /guilds/{guild}/threads/active` lists the live threads the bot can see.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.fake_discord.messages import (
    CROSSPOSTED,
    MessageStore,
    RecordedMessage,
    form_error,
    validate_message_body,
)
from tests.fake_discord.models import JSON, ChannelKind, FakeChannel
from tests.fake_discord.permissions import Perm
from tests.fake_discord.responses import (
    MISSING_PERMISSIONS,
    UNKNOWN_GUILD,
    FakeResponse,
    Handler,
    RestRequest,
    error,
)
from tests.fake_discord.world import World


class ThreadRoutes:
    """Handlers for forum posts, crossposts and the active-threads listing."""

    def __init__(
        self,
        *,
        world: World,
        messages: MessageStore,
        dispatch: Callable[[str, JSON], object],
        visible_channel: Callable[[RestRequest], FakeChannel | FakeResponse],
        channel_message: Callable[[RestRequest], RecordedMessage | FakeResponse],
    ) -> None:
        self._world = world
        self._messages = messages
        self._dispatch = dispatch
        self._visible = visible_channel
        self._message = channel_message

    def routes(self) -> list[tuple[str, str, Handler]]:
        """(method, path template, handler) for every route here (all need the token)."""
        return [
            ("POST", "/channels/{channel_id}/threads", self._start_forum_post),
            (
                "POST",
                "/channels/{channel_id}/messages/{message_id}/crosspost",
                self._crosspost,
            ),
            ("GET", "/guilds/{guild_id}/threads/active", self._get_active_threads),
        ]

    async def _start_forum_post(self, request: RestRequest) -> FakeResponse:
        """A post in a forum: a public thread and its starter message (whose id is the
        thread's, as on Discord), in one request."""
        channel = self._visible(request)
        if isinstance(channel, FakeResponse):
            return channel
        if channel.kind is not ChannelKind.FORUM:
            return error(400, "Cannot execute action on this channel type", 50024)
        body = request.json()
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            return FakeResponse(400, form_error("name", "BASE_TYPE_BAD_LENGTH", "1-100 chars."))
        message = body.get("message")
        if not isinstance(message, dict):
            return FakeResponse(400, form_error("message", "BASE_TYPE_REQUIRED", "Required."))
        needed = Perm.SEND_MESSAGES | (Perm.EMBED_LINKS if message.get("embeds") else 0)
        if self._world.bot_permissions(channel) & needed != needed:
            return MISSING_PERMISSIONS
        invalid = validate_message_body(message, creating=True)
        if invalid is not None:
            return FakeResponse(400, invalid)
        thread = self._world.add_channel(
            channel.guild_id,
            name,
            kind=ChannelKind.PUBLIC_THREAD,
            parent=channel,
            owner=self._world.bot,
        )
        starter = RecordedMessage(
            id=thread.id,
            channel_id=thread.id,
            guild_id=thread.guild_id,
            author=self._world.bot,
            content=str(message.get("content") or ""),
            embeds=list(message.get("embeds") or []),
            components=list(message.get("components") or []),
            allowed_mentions=message.get("allowed_mentions"),
        )
        starter.unpingable_role_ids, starter.can_ping_everyone = self._world.ping_rules(thread)
        self._messages.add(starter)
        self._dispatch("THREAD_CREATE", {**thread.payload(), "newly_created": True})
        return FakeResponse(201, {**thread.payload(), "message": starter.payload()})

    async def _crosspost(self, request: RestRequest) -> FakeResponse:
        """Publish a message of an announcement channel to the channels following it."""
        message = self._message(request)
        if isinstance(message, FakeResponse):
            return message
        channel = self._world.channel(message.channel_id)
        if channel.kind is not ChannelKind.NEWS:
            return error(400, "Cannot execute action on this channel type", 50024)
        if message.crossposted:
            return error(400, "This message has already been crossposted.", 40033)
        own = message.author.id == self._world.bot.id
        needed = Perm.SEND_MESSAGES if own else Perm.SEND_MESSAGES | Perm.MANAGE_MESSAGES
        if self._world.bot_permissions(channel) & needed != needed:
            return MISSING_PERMISSIONS
        message.flags |= CROSSPOSTED
        self._messages.notify()
        return FakeResponse(200, message.payload())

    async def _get_active_threads(self, request: RestRequest) -> FakeResponse:
        guild = self._world.guilds.get(request.int_param("guild_id"))
        if guild is None or self._world.bot.id not in guild.members:
            return UNKNOWN_GUILD
        visible = [
            thread.payload()
            for thread in guild.threads()
            if self._world.bot_permissions(thread) & Perm.VIEW_CHANNEL
        ]
        return FakeResponse(200, {"threads": visible, "members": []})
