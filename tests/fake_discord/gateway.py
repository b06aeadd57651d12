"""The fake gateway: a websocket speaking Discord's JSON gateway protocol (no compression).

HELLO → IDENTIFY → READY + one GUILD_CREATE per guild; heartbeats are ACKed; a dropped
connection can RESUME, which replays every dispatch the client missed and then RESUMED.

Dispatches go into the session's history (bounded) and, if a connection is attached, into
that connection's outbox; one writer task per connection sends them in order. So a test
may dispatch while the bot is disconnected: the events arrive when it resumes.

Shards: a client identifying with `shard: [id, count]` gets, as from Discord, only the
guilds with `(guild_id >> 22) % count == id`, and an event about a guild goes to the
session of that guild's shard. Sessions of several shards (of one process or of several)
live side by side; `current` is the latest session identified or resumed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from tests.fake_discord.changes import Changes
from tests.fake_discord.models import JSON, FakeApplication, FakeGuild, FakeUser

log = logging.getLogger("fake_discord.gateway")

GUILDS_INTENT = 1 << 0
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content

# Close codes Discord uses; 4000 ("unknown error") lets the client resume.
CLOSE_RESUMABLE = 4000
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_DISALLOWED_INTENTS = 4014

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE = 3
OP_RESUME = 6
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11


def _encode(payload: JSON) -> str:
    return json.dumps(payload, separators=(",", ":"))


class GatewayConnection:
    """One websocket connection and the task that writes its outbox in order."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.outbox: asyncio.Queue[str] = asyncio.Queue()
        self.dropped_by_server = False
        self._writer = asyncio.get_running_loop().create_task(self._write())

    def send(self, frame: str) -> None:
        """Queue a frame; it is sent after every frame queued before it."""
        self.outbox.put_nowait(frame)

    async def _write(self) -> None:
        while True:
            frame = await self.outbox.get()
            try:
                if not self.ws.closed:
                    await self.ws.send_str(frame)
            except ConnectionError:
                log.debug("gateway connection went away while sending")
            finally:
                self.outbox.task_done()

    async def stop(self) -> None:
        """Stop the writer (frames not yet sent stay in the session history)."""
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer


@dataclass(slots=True)
class GatewaySession:
    """A gateway session: its sequence number and the dispatches it may have to replay."""

    id: str
    intents: int
    shard: tuple[int, int]
    history: deque[tuple[int, str]]
    seq: int = 0
    connection: GatewayConnection | None = None
    events: list[str] = field(default_factory=list)

    def dispatch(self, event: str, data: object) -> int:
        """Number, record and (if connected) send one dispatch; returns its sequence."""
        self.seq += 1
        frame = _encode({"op": OP_DISPATCH, "t": event, "s": self.seq, "d": data})
        self.history.append((self.seq, frame))
        self.events.append(event)
        if self.connection is not None:
            self.connection.send(frame)
        return self.seq

    def can_replay_after(self, seq: int) -> bool:
        """Whether every dispatch after `seq` is still in the history."""
        if not self.history:
            return seq == self.seq
        return self.history[0][0] <= seq + 1


class FakeGateway:
    """The gateway half of the fake. Counters (`identify_count`, `resume_count`, ...) let
    tests assert how the client (re)connected."""

    def __init__(
        self,
        *,
        token: str,
        application: FakeApplication,
        bot_user: FakeUser,
        guilds: Callable[[], list[FakeGuild]],
        url: Callable[[], str],
        heartbeat_interval_ms: int,
        history_limit: int,
    ) -> None:
        self._token = token
        self._application = application
        self._bot_user = bot_user
        self._guilds = guilds
        self._url = url
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self._history_limit = history_limit
        self._sessions: dict[str, GatewaySession] = {}
        self._connections: set[GatewayConnection] = set()
        self.current: GatewaySession | None = None
        self.shards: dict[int, GatewaySession] = {}  # the live session of each shard id
        self.identify_count = 0
        self.resume_count = 0
        self.invalid_session_count = 0
        self.heartbeat_count = 0
        self.acknowledged_seq = 0
        self.connection_count = 0
        self.identify_payloads: list[JSON] = []
        self.changes = Changes()

    @property
    def connected(self) -> bool:
        """Whether the bot has a live, identified or resumed connection."""
        return self.current is not None and self.current.connection is not None

    def connected_shards(self) -> set[int]:
        """The shard ids with a live connection."""
        return {shard for shard, s in self.shards.items() if s.connection is not None}

    def session_for(self, guild_id: int | None) -> GatewaySession | None:
        """The session a guild's events go to: its shard's (the current one when there is
        no guild, or one shard)."""
        current = self.current
        if guild_id is None or current is None or current.shard[1] <= 1:
            return current
        return self.shards.get((guild_id >> 22) % current.shard[1])

    def dispatch(self, event: str, data: object, *, intent: int = 0) -> int | None:
        """Dispatch to the session of the guild the event is about (buffered while it is
        disconnected). Events that need an intent the bot did not ask for are not sent.
        Returns the sequence number."""
        session = self.session_for(_guild_of(event, data))
        if session is None:
            log.debug("no gateway session; dropping %s", event)
            return None
        if intent and not session.intents & intent:
            return None
        return session.dispatch(event, data)

    async def sync(self, timeout: float) -> None:
        """Wait until the client has processed every dispatch sent so far.

        Asks for a heartbeat (op 1 from the server) and waits for one carrying the latest
        sequence number: discord.py records the sequence and runs the event's parser (which
        updates its cache) before it can send anything else.
        """
        session = self.current
        if session is None or session.connection is None:
            raise RuntimeError("the bot has no live gateway connection")
        target = session.seq
        session.connection.send(_encode({"op": OP_HEARTBEAT, "d": None}))
        if not await self.changes.wait_until(lambda: self.acknowledged_seq >= target, timeout):
            raise AssertionError(f"the bot did not process gateway events up to #{target}")

    async def drop(self, code: int = CLOSE_RESUMABLE) -> None:
        """Close the live connection from the server side with `code`."""
        session = self.current
        if session is None or session.connection is None:
            raise RuntimeError("the bot has no live gateway connection to drop")
        connection = session.connection
        connection.dropped_by_server = True
        session.connection = None
        await connection.ws.close(code=code, message=b"fake discord dropped the connection")

    async def close_all(self) -> None:
        """Close every connection (server shutdown)."""
        for connection in list(self._connections):
            connection.dropped_by_server = True
            await connection.ws.close(code=1001, message=b"fake discord shutting down")
            await connection.stop()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate()` holds for the gateway counters and connection state;
        raises AssertionError after `timeout` seconds."""
        if not await self.changes.wait_until(predicate, timeout):
            raise AssertionError(
                f"gateway condition not met within {timeout}s: identifies="
                f"{self.identify_count} resumes={self.resume_count} connected={self.connected}"
            )

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """The aiohttp handler for the gateway websocket."""
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        connection = GatewayConnection(ws)
        self._connections.add(connection)
        self.connection_count += 1
        session: GatewaySession | None = None
        connection.send(
            _encode({"op": OP_HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        )
        try:
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                attached = await self._on_frame(connection, json.loads(message.data))
                session = attached or session
        finally:
            if session is not None and session.connection is connection:
                session.connection = None
            # A clean close (1000/1001) by the client ends its session, as on Discord.
            if (
                session is not None
                and not connection.dropped_by_server
                and ws.close_code in (1000, 1001)
            ):
                self._sessions.pop(session.id, None)
                if self.shards.get(session.shard[0]) is session:
                    del self.shards[session.shard[0]]
                if self.current is session:
                    self.current = None
            await connection.stop()
            self._connections.discard(connection)
            self.changes.notify()
        return ws

    async def _on_frame(self, connection: GatewayConnection, frame: JSON) -> GatewaySession | None:
        op = frame.get("op")
        data = frame.get("d")
        if op == OP_HEARTBEAT:
            self.heartbeat_count += 1
            if isinstance(data, int):
                self.acknowledged_seq = max(self.acknowledged_seq, data)
            connection.send(_encode({"op": OP_HEARTBEAT_ACK}))
            self.changes.notify()
            return None
        if op == OP_IDENTIFY and isinstance(data, dict):
            return await self._identify(connection, data)
        if op == OP_RESUME and isinstance(data, dict):
            return await self._resume(connection, data)
        if op == OP_PRESENCE:
            return None
        log.warning("fake gateway ignoring unexpected op %s: %s", op, frame)
        return None

    async def _identify(self, connection: GatewayConnection, data: JSON) -> GatewaySession | None:
        self.identify_payloads.append(data)
        if data.get("token") != self._token:
            await connection.ws.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"bad token")
            return None
        intents = int(data.get("intents") or 0)
        if intents & PRIVILEGED_INTENTS & ~self._application.allowed_privileged_intents:
            await connection.ws.close(code=CLOSE_DISALLOWED_INTENTS, message=b"disallowed")
            return None
        shard_data = data.get("shard") or [0, 1]
        shard = (int(shard_data[0]), int(shard_data[1]))
        session = GatewaySession(
            id=secrets.token_hex(16),
            intents=intents,
            shard=shard,
            history=deque(maxlen=self._history_limit),
        )
        replaced = self.shards.get(shard[0])
        if replaced is not None:
            self._sessions.pop(replaced.id, None)
        self._sessions[session.id] = session
        self.shards[shard[0]] = session
        self.current = session
        self.acknowledged_seq = 0
        session.connection = connection
        guilds = [guild for guild in self._guilds() if (guild.id >> 22) % shard[1] == shard[0]]
        session.dispatch(
            "READY",
            {
                "v": 10,
                "user": self._bot_user.me_payload(),
                "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
                "session_id": session.id,
                "resume_gateway_url": self._url(),
                "shard": list(shard),
                "application": {"id": str(self._application.id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "user_settings": {},
            },
        )
        if intents & GUILDS_INTENT:
            for guild in guilds:
                session.dispatch("GUILD_CREATE", guild.payload())
        self.identify_count += 1
        self.changes.notify()
        return session

    async def _resume(self, connection: GatewayConnection, data: JSON) -> GatewaySession | None:
        session = self._sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        if (
            data.get("token") != self._token
            or session is None
            or not isinstance(seq, int)
            or not session.can_replay_after(seq)
        ):
            self.invalid_session_count += 1
            connection.send(_encode({"op": OP_INVALID_SESSION, "d": False}))
            self.changes.notify()
            return None
        for frame_seq, frame in session.history:
            if frame_seq > seq:
                connection.send(frame)
        session.connection = connection
        self.current = session
        self.shards[session.shard[0]] = session
        session.dispatch("RESUMED", {})
        self.resume_count += 1
        self.changes.notify()
        return session


def _guild_of(event: str, data: object) -> int | None:
    """The guild an event is about, if any (a guild's own events carry it as `id`)."""
    if not isinstance(data, dict):
        return None
    value = data.get("id") if event.startswith("GUILD_") and "guild_id" not in data else None
    value = data.get("guild_id", value)
    return int(value) if value is not None else None
