"""The feed server of bench/memory.py: every feed of the measured bot points here.

It answers every feed with the same small RSS document and counts the polls, so that the
polls falling due during a run really happen without leaving 127.0.0.1.
"""

from __future__ import annotations

import asyncio
from typing import Any

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local outlet {name}</title>
<link>http://127.0.0.1/</link><description>Bench feed</description>
{items}
</channel></rss>
"""
ITEM = """<item><title>{title}</title><link>http://127.0.0.1/{name}/{n}</link>
<guid>{name}-{n}</guid><pubDate>Mon, 02 Jun 2025 1{n}:00:00 +0000</pubDate>
<description>{title}. More on the story as it develops.</description></item>"""
HEADLINES = (
    "Weekend box office: a quiet frame for new releases",
    "Emmy voting window opens next week",
    "Streaming ratings roundup for the week",
    "Upfronts: what advertisers heard this year",
    "Interview: a showrunner on writing for television",
    "Festival line-up announced for the autumn",
    "Late-night ratings hold steady",
    "A look back at the season's best pilots",
)


class FeedServer:
    """Answers every GET /feeds/<name> with a small RSS document; counts the polls."""

    def __init__(self) -> None:
        self.polls = 0
        self._runner: Any = None
        self.port = 0

    async def start(self) -> None:
        from aiohttp import web

        async def feed(request: web.Request) -> web.Response:
            self.polls += 1
            name = request.match_info["name"]
            items = "\n".join(
                ITEM.format(title=title, name=name, n=n) for n, title in enumerate(HEADLINES)
            )
            body = RSS.format(name=name, items=items)
            return web.Response(text=body, content_type="application/rss+xml")

        app = web.Application()
        app.router.add_get("/feeds/{name}", feed)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        self.port = server.sockets[0].getsockname()[1]

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/feeds/{name}.xml"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
