"""A real HTTP server on 127.0.0.1 that serves feeds and misbehaves on demand.

    server = FeedServer()
    await server.start()
    server.feed("/wp", fixture("wordpress.xml"), etag='"v1"')   # answers 304 to "v1"
    server.redirect("/old", "/wp", status=301)
    server.status("/busy", 429, headers={"Retry-After": "120"})
    url = server.url("/wp")
    ...
    server.requests_to("/wp")[-1].headers["If-None-Match"]
    await server.close()

Used by the feed tests, the Discord tests and the benchmarks (`tests/conftest.py` has a
`feed_server` fixture). Every request is recorded with its headers.
"""

from __future__ import annotations

import asyncio
import gzip as gzip_module
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "feeds"
RSS = "application/rss+xml; charset=utf-8"


def fixture(name: str) -> bytes:
    """The bytes of a fixture feed in tests/data/feeds/."""
    return (FIXTURES / name).read_bytes()


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """A request the server received."""

    method: str
    path: str
    headers: CIMultiDictProxy[str]
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass
class Route:
    """How the server answers one path."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = RSS
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # 304 when If-None-Match matches
    last_modified: str | None = None  # 304 when If-Modified-Since matches
    gzip: bool = False  # compress when the client accepts gzip
    delay: float = 0.0  # seconds before answering at all
    stall: float = 0.0  # seconds to wait after sending half the body
    stream: int | None = None  # stream this many filler bytes instead of `body`


class FeedServer:
    """An aiohttp server on 127.0.0.1 with routes set up by the test."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[RecordedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests it was answering at once
        self._arrived: dict[str, asyncio.Event] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return "127.0.0.1"

    @property
    def authority(self) -> str:
        """ "host:port", as URLPolicy.allowed takes it."""
        return f"{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return f"http://{self.authority}{path}"

    async def start(self) -> FeedServer:
        """Listen on a free port."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None)
        assert sockets
        self.port = sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        """Stop listening and drop open connections."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FeedServer:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    # Routes -------------------------------------------------------------------------

    def feed(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str | None = RSS,
        etag: str | None = None,
        last_modified: str | None = None,
        gzip: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> Route:
        """Serve a document at `path` (replacing what was there)."""
        route = Route(
            body=body,
            content_type=content_type,
            etag=etag,
            last_modified=last_modified,
            gzip=gzip,
            headers=dict(headers or {}),
        )
        self.routes[path] = route
        return route

    def status(
        self, path: str, status: int, *, headers: Mapping[str, str] | None = None, body: bytes = b""
    ) -> Route:
        """Answer `path` with a bare status (410, 429, 500...)."""
        route = Route(
            status=status, body=body, content_type="text/plain", headers=dict(headers or {})
        )
        self.routes[path] = route
        return route

    def redirect(self, path: str, location: str, *, status: int = 301) -> Route:
        """Redirect `path` to `location` (a path on this server or an absolute URL)."""
        return self.status(path, status, headers={"Location": location})

    def slow(self, path: str, body: bytes, *, delay: float = 0.0, stall: float = 0.0) -> Route:
        """Serve `body` after `delay` seconds, or stall `stall` seconds midway through it."""
        route = self.feed(path, body)
        route.delay = delay
        route.stall = stall
        return route

    def huge(self, path: str, size: int, *, declare_length: bool = False) -> Route:
        """Stream `size` bytes of filler, with or without a Content-Length up front."""
        route = self.feed(path, b"")
        route.stream = size
        if declare_length:
            route.headers["Content-Length"] = str(size)
        return route

    async def arrival(self, path: str) -> None:
        """Wait until a request for `path` has arrived (at once if one already has)."""
        await self._arrived.setdefault(path, asyncio.Event()).wait()

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """The requests received for `path`, oldest first."""
        return [request for request in self.requests if request.path == path]

    # Serving ------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(RecordedRequest(request.method, request.path, request.headers))
        self._arrived.setdefault(request.path, asyncio.Event()).set()
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer(request)
        finally:
            self.in_flight -= 1

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="no such feed")
        if route.delay:
            await asyncio.sleep(route.delay)
        headers = CIMultiDict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.status == 200 and _not_modified(request, route):
            return web.Response(status=304, headers=headers)
        if route.stream is not None:
            return await self._stream(request, route, headers)
        body = route.body
        if route.gzip and "gzip" in request.headers.get("Accept-Encoding", ""):
            body = gzip_module.compress(body)
            headers["Content-Encoding"] = "gzip"
        if route.content_type:
            headers["Content-Type"] = route.content_type
        if not route.stall:
            return web.Response(status=route.status, body=body, headers=headers)
        response = web.StreamResponse(status=route.status, headers=headers)
        response.content_length = len(body)
        await response.prepare(request)
        await response.write(body[: len(body) // 2])
        await asyncio.sleep(route.stall)
        await response.write(body[len(body) // 2 :])
        await response.write_eof()
        return response

    async def _stream(
        self, request: web.Request, route: Route, headers: CIMultiDict[str]
    ) -> web.StreamResponse:
        assert route.stream is not None
        response = web.StreamResponse(status=route.status, headers=headers)
        response.content_type = "application/rss+xml"
        await response.prepare(request)
        chunk = b"<!-- filler -->" * 4096
        sent = 0
        try:
            while sent < route.stream:
                piece = chunk[: route.stream - sent]
                await response.write(piece)
                sent += len(piece)
            await response.write_eof()
        except (ConnectionResetError, ConnectionError):
            pass  # the client gave up past its cap, as it should
        return response


def _not_modified(request: web.Request, route: Route) -> bool:
    if route.etag and request.headers.get("If-None-Match") == route.etag:
        return True
    return bool(
        route.last_modified and request.headers.get("If-Modified-Since") == route.last_modified
    )
