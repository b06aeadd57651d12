"""Poll cycles of every generated feed into a fresh store, timed and counted.

Shared by bench/ingest.py and bench/loop_lag.py, so that both poll the same way: one
fetcher lifted to the overall concurrency (every feed is on one local host), the store-only
sink or the real recognition sink.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from feed_server_process import ServerProcess

from bot.feeds.decide import PollPolicy
from bot.feeds.fetch import FeedFetcher
from bot.feeds.poll_result import PollResult
from bot.feeds.poller import Poller
from bot.feeds.reading import EntrySink
from bot.feeds.urls import URLPolicy
from bot.models import Announcement
from bot.records import FeedRecord, StoredEntry
from bot.services import keep_loop_smooth
from db.store import Store, Tx


async def store_only(
    tx: Tx, feed: FeedRecord, entries: Sequence[StoredEntry], alertable: frozenset[int]
) -> Sequence[Announcement]:
    return ()


async def recognition_sink(store: Store) -> EntrySink | None:
    """The real recognition sink, if bot.ingest has been written."""
    try:
        from bot.ingest import AnnouncementSink
        from bot.shows.known import KnownShows
    except ImportError:
        return None
    return AnnouncementSink(await KnownShows.load(store))


def peak_rss_mb() -> float:
    """The process's peak resident set size so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def local_fetcher(port: int, concurrency: int) -> FeedFetcher:
    """The fetcher of the benches: every feed is on one host here (127.0.0.1:`port`); real
    feeds are spread over many, so the per-host limit is lifted to the overall concurrency."""
    return FeedFetcher(
        user_agent="CliffhangerBench/0.1 (+mailto:bench@example.org)",
        per_host=concurrency,
        policy=URLPolicy(allowed=frozenset({f"127.0.0.1:{port}"})),
    )


async def run_cycle(poller: Poller, label: str, feeds: int) -> dict[str, Any]:
    """One poll of every feed; wall and CPU time, and what happened."""
    wall, cpu = time.perf_counter(), time.process_time()
    results: list[PollResult] = await poller.poll_all()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    outcomes: dict[str, int] = {}
    for result in results:
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    parsed = sum(result.entries for result in results)
    return {
        "cycle": label,
        "feeds": feeds,
        "wall_s": wall,
        "cpu_s": cpu,
        "cpu_ms_per_feed": cpu * 1000 / feeds,
        "entries_parsed": parsed,
        "entries_new": sum(result.new for result in results),
        "entries_per_s": parsed / wall if wall else 0.0,
        "announcements": sum(len(result.announcements) for result in results),
        "outcomes": outcomes,
        "peak_rss_mb": peak_rss_mb(),
    }


async def run_pipeline(
    server: ServerProcess, feeds: int, sink_name: str, concurrency: int, workdir: Path
) -> list[dict[str, Any]]:
    """The three cycles against a fresh store, with the named sink."""
    server.publish(0)
    store = await Store.open(f"sqlite+aiosqlite:///{workdir / f'{sink_name}.db'}")
    try:
        sink: EntrySink | None = store_only
        if sink_name == "recognise":
            sink = await recognition_sink(store)
            if sink is None:
                return [{"cycle": "skipped", "note": "bot.ingest.AnnouncementSink not found"}]
        assert sink is not None
        async with store.transaction() as tx:
            for number in range(feeds):
                await tx.feeds.add(f"http://127.0.0.1:{server.port}/feed/{number}")
        keep_loop_smooth()  # as the bot does once its services are open
        fetcher = local_fetcher(server.port, concurrency)
        async with fetcher:
            poller = Poller(store, fetcher, sink, PollPolicy(), concurrency=concurrency)
            cycles = [await run_cycle(poller, "first", feeds)]
            server.publish(1)
            cycles.append(await run_cycle(poller, "changed", feeds))
            cycles.append(await run_cycle(poller, "unchanged", feeds))
        for cycle in cycles:
            cycle["sink"] = sink_name
        return cycles
    finally:
        await store.close()
