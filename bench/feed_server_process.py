"""The generated feeds served on 127.0.0.1 from a process of their own.

A process of its own so that the server's CPU is not counted in the benchmark's; a module
of its own so that the child, started with the "spawn" method, imports the function it runs
by this module's name (a script's `__main__` is re-run there under another name).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection

from wordpress_feeds import wordpress_feed


def _serve(feeds: int, connection: multiprocessing.connection.Connection) -> None:
    asyncio.run(_serve_async(feeds, connection))


async def _serve_async(feeds: int, connection: multiprocessing.connection.Connection) -> None:
    from tests.feeds.feed_server import FeedServer

    server = await FeedServer().start()

    def publish(version: int) -> None:
        for number in range(feeds):
            # Even feeds send an ETag (and get 304s); odd ones send bodies only.
            etag = f'"{number}-{version}"' if number % 2 == 0 else None
            server.feed(f"/feed/{number}", wordpress_feed(number, version), etag=etag)
        server.requests.clear()

    publish(0)
    connection.send(server.port)
    loop = asyncio.get_running_loop()
    while True:
        command, value = await loop.run_in_executor(None, connection.recv)
        if command == "stop":
            break
        publish(value)
        connection.send("ok")
    await server.close()


class ServerProcess:
    """The feed server running in a child process."""

    def __init__(self, feeds: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(feeds, child), daemon=True)
        self._process.start()
        self.port: int = self._connection.recv()

    def publish(self, version: int) -> None:
        """Serve every feed at `version`."""
        self._connection.send(("version", version))
        self._connection.recv()

    def stop(self) -> None:
        """Stop the server process."""
        self._connection.send(("stop", 0))
        self._process.join(timeout=10)
