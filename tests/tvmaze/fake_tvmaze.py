"""A fake TVmaze on 127.0.0.1 that answers with TVmaze's JSON shapes.

    fake = FakeTvmaze(today=date(2026, 3, 1))
    fake.add_show(1, "Under the Dome", network="CBS", status="Ended", premiered="2013-06-24")
    fake.add_season(1, 4, premiere="2026-04-02")          # /shows/1/seasons
    fake.schedule_episode(1, season=4, number=1, airdate="2026-04-02")   # /schedule/full
    async with fake:                                       # listens on a free port
        url = fake.url                                     # -> TVMAZE_API_URL
        ...
    fake.calls, fake.rate_limited, fake.requests_to("/shows")

Shapes, as TVmaze documents them (the data is ours): a show object (id, url, name, type,
language, genres, status, runtime, premiered, ended, officialSite, schedule, rating,
weight, network or webChannel with country, externals, image, summary, updated, _links);
`/shows?page=N` with 250 ids a page and 404 past the last page; `/shows/:id?embed=akas`
with `_embedded.akas`; `/shows/:id/seasons`; `/schedule/full` episodes with
`_embedded.show`; `/search/shows` as [{"score", "show"}]; `/updates/shows` as a map of
show id to epoch seconds. Every answer has an ETag and honours If-None-Match. More than
`limit` calls within `window` seconds (a sliding window) are answered 429.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp import web

PAGE = 250


@dataclass
class FakeShow:
    """One show as the fake serves it."""

    id: int
    name: str
    updated: int
    network: str | None = None
    web_channel: str | None = None
    country: str = "US"
    status: str = "Running"
    premiered: str | None = None
    ended: str | None = None
    imdb: str | None = None
    thetvdb: int | None = None
    weight: int = 50
    akas: list[str] = field(default_factory=list)
    seasons: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)

    def slug(self) -> str:
        return "-".join("".join(c if c.isalnum() else " " for c in self.name.lower()).split())

    def json(self) -> dict[str, Any]:
        channel = {
            "id": 1000 + self.id % 97,
            "name": self.network or self.web_channel,
            "country": {
                "name": "United States",
                "code": self.country,
                "timezone": "America/New_York",
            },
            "officialSite": None,
        }
        return {
            "id": self.id,
            "url": f"https://www.tvmaze.com/shows/{self.id}/{self.slug()}",
            "name": self.name,
            "type": "Scripted",
            "language": "English",
            "genres": ["Drama"],
            "status": self.status,
            "runtime": 60,
            "averageRuntime": 60,
            "premiered": self.premiered,
            "ended": self.ended,
            "officialSite": None,
            "schedule": {"time": "21:00", "days": ["Thursday"]},
            "rating": {"average": 7.5},
            "weight": self.weight,
            "network": channel if self.network else None,
            "webChannel": channel if self.web_channel and not self.network else None,
            "dvdCountry": None,
            "externals": {"tvrage": None, "thetvdb": self.thetvdb, "imdb": self.imdb},
            "image": None,
            "summary": f"<p><b>{self.name}</b> is a show the tests made up.</p>",
            "updated": self.updated,
            "_links": {"self": {"href": f"https://api.tvmaze.com/shows/{self.id}"}},
        }


class FakeTvmaze:
    """The fake's data and its aiohttp server."""

    def __init__(self, *, today: date, limit: int = 1000, window: float = 10.0) -> None:
        self.today = today
        self.shows: dict[int, FakeShow] = {}
        self.episodes: list[dict[str, Any]] = []
        self.limit = limit
        self.window = window
        self.calls = 0
        self.rate_limited = 0
        self.requests: list[tuple[str, str]] = []  # (path, query string)
        self.max_in_window = 0
        self._recent: deque[float] = deque()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- data ------------------------------------------------------------------------------

    def now_stamp(self, days_ago: float = 0.0) -> int:
        moment = datetime.combine(self.today, datetime.min.time(), tzinfo=UTC)
        return int((moment - timedelta(days=days_ago)).timestamp())

    def add_show(self, show_id: int, name: str, **fields: Any) -> FakeShow:
        fields.setdefault("updated", self.now_stamp(days_ago=400))
        show = FakeShow(id=show_id, name=name, **fields)
        self.shows[show_id] = show
        return show

    def change(self, show_id: int, **fields: Any) -> FakeShow:
        """Change a show upstream: its `updated` stamp moves to "now"."""
        show = self.shows[show_id]
        for name, value in fields.items():
            setattr(show, name, value)
        show.updated = self.now_stamp() + len(self.requests) + 1
        return show

    def add_season(
        self, show_id: int, number: int, premiere: str | None, end: str | None = None
    ) -> None:
        self.shows[show_id].seasons[number] = (premiere, end)

    def schedule_episode(self, show_id: int, *, season: int, number: int, airdate: str) -> None:
        self.episodes = [
            e
            for e in self.episodes
            if (e["_show_id"], e["season"], e["number"]) != (show_id, season, number)
        ]
        self.episodes.append(
            {"_show_id": show_id, "season": season, "number": number, "airdate": airdate}
        )

    def unschedule(self, show_id: int, season: int) -> None:
        self.episodes = [
            e for e in self.episodes if (e["_show_id"], e["season"]) != (show_id, season)
        ]

    # -- server ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> FakeTvmaze:
        app = web.Application()
        app.router.add_get("/shows", self._page)
        app.router.add_get("/shows/{id:\\d+}", self._show)
        app.router.add_get("/shows/{id:\\d+}/seasons", self._seasons)
        app.router.add_get("/updates/shows", self._updates)
        app.router.add_get("/schedule/full", self._schedule)
        app.router.add_get("/search/shows", self._search)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTvmaze:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    def requests_to(self, path: str) -> list[str]:
        """The query strings of the requests for `path`, oldest first."""
        return [query for requested, query in self.requests if requested == path]

    def _admit(self, request: web.Request) -> web.Response | None:
        self.calls += 1
        self.requests.append((request.path, request.query_string))
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - self.window:
            self._recent.popleft()
        if len(self._recent) >= self.limit:
            self.rate_limited += 1
            wait = math.ceil(self._recent[0] + self.window - now)
            return web.Response(status=429, headers={"Retry-After": str(max(1, wait))})
        self._recent.append(now)
        self.max_in_window = max(self.max_in_window, len(self._recent))
        return None

    def _json(self, request: web.Request, data: Any) -> web.Response:
        body = json.dumps(data).encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'  # noqa: S324 - not security
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=body,
            content_type="application/json",
            headers={"ETag": etag, "Cache-Control": "public, max-age=3600"},
        )

    async def _page(self, request: web.Request) -> web.Response:
        if (refused := self._admit(request)) is not None:
            return refused
        page = int(request.query.get("page", "0"))
        last = max(self.shows, default=-1) // PAGE
        if page > last:
            return web.Response(status=404, text='{"name":"Not Found","status":404}')
        ids = [i for i in sorted(self.shows) if page * PAGE <= i < (page + 1) * PAGE]
        return self._json(request, [self.shows[i].json() for i in ids])

    async def _show(self, request: web.Request) -> web.Response:
        if (refused := self._admit(request)) is not None:
            return refused
        show = self.shows.get(int(request.match_info["id"]))
        if show is None:
            return web.Response(status=404)
        data = show.json()
        if "akas" in request.query.getall("embed", []):
            data["_embedded"] = {"akas": [{"name": aka, "country": None} for aka in show.akas]}
        return self._json(request, data)

    async def _seasons(self, request: web.Request) -> web.Response:
        if (refused := self._admit(request)) is not None:
            return refused
        show = self.shows.get(int(request.match_info["id"]))
        if show is None:
            return web.Response(status=404)
        seasons = [
            {
                "id": show.id * 100 + number,
                "url": f"https://www.tvmaze.com/seasons/{show.id * 100 + number}/{show.slug()}",
                "number": number,
                "name": "",
                "episodeOrder": 10,
                "premiereDate": premiere,
                "endDate": end,
                "network": show.json()["network"],
                "webChannel": show.json()["webChannel"],
                "image": None,
                "summary": None,
                "_links": {
                    "self": {"href": f"https://api.tvmaze.com/seasons/{show.id * 100 + number}"}
                },
            }
            for number, (premiere, end) in sorted(show.seasons.items())
        ]
        return self._json(request, seasons)

    async def _updates(self, request: web.Request) -> web.Response:
        if (refused := self._admit(request)) is not None:
            return refused
        days = {"day": 1, "week": 7, "month": 31}.get(request.query.get("since", ""), 100_000)
        floor = self.now_stamp(days_ago=days)
        return self._json(
            request, {str(s.id): s.updated for s in self.shows.values() if s.updated >= floor}
        )

    async def _schedule(self, request: web.Request) -> web.Response:
        if (refused := self._admit(request)) is not None:
            return refused
        episodes = []
        for number, item in enumerate(sorted(self.episodes, key=lambda e: e["airdate"])):
            show = self.shows[item["_show_id"]]
            episodes.append(
                {
                    "id": 900_000 + number,
                    "url": f"https://www.tvmaze.com/episodes/{900_000 + number}/{show.slug()}",
                    "name": f"Episode {item['number']}",
                    "season": item["season"],
                    "number": item["number"],
                    "type": "regular",
                    "airdate": item["airdate"],
                    "airtime": "21:00",
                    "airstamp": f"{item['airdate']}T01:00:00+00:00",
                    "runtime": 60,
                    "rating": {"average": None},
                    "image": None,
                    "summary": None,
                    "_links": {
                        "self": {"href": f"https://api.tvmaze.com/episodes/{900_000 + number}"}
                    },
                    "_embedded": {"show": show.json()},
                }
            )
        return self._json(request, episodes)

    async def _search(self, request: web.Request) -> web.Response:
        if (refused := self._admit(request)) is not None:
            return refused
        words = request.query.get("q", "").lower().split()
        found: list[dict[str, Any]] = []
        for show in self.shows.values():
            name = show.name.lower()
            hits = sum(word in name for word in words)
            if hits:
                found.append(
                    {"score": round(hits / max(1, len(name.split())), 4), "show": show.json()}
                )
        found.sort(key=lambda item: -float(item["score"]))
        return self._json(request, found[:10])
