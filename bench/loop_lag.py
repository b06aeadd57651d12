"""Benchmark: how late the event loop runs while a big changed poll cycle is processed.

    python bench/loop_lag.py               # 500 feeds, 50 items each, 5 new per feed
    python bench/loop_lag.py --feeds 3     # smoke size (CI)

The feeds of bench/ingest.py are served from a process of their own on 127.0.0.1 and polled
into a fresh SQLite store with the real recognition sink (`--sink store` for the store
alone). After a first cycle (every entry new, not measured), every feed gets 5 new items
and the changed cycle runs while, on the same event loop:

- a ticker sleeps 1 ms again and again and records how late each wake-up comes (the lag a
  command or a gateway heartbeat would see);
- a user asks `/when` about a catalogue show every 20 ms (`answer_when`, what the cog
  calls) and autocompletes a prefix (`known.suggest`, what the cog calls), each timed.

The same questions are timed with the bot idle first, so the answers come with their ratio.
Targets (issue 15): lag p99 ≤ 10 ms and max ≤ 50 ms during the changed cycle. Prints a
table and writes JSON (default bench/results/loop_lag.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from feed_server_process import ServerProcess  # noqa: E402 (beside this script)
from poll_cycles import local_fetcher, run_cycle, store_only  # noqa: E402
from wordpress_feeds import SHOWS  # noqa: E402

from bot.cards import answer_when  # noqa: E402
from bot.feeds.decide import PollPolicy  # noqa: E402
from bot.feeds.poller import Poller  # noqa: E402
from bot.feeds.reading import EntrySink  # noqa: E402
from bot.ingest import AnnouncementSink  # noqa: E402
from bot.services import keep_loop_smooth  # noqa: E402
from bot.shows.known import KnownShows  # noqa: E402
from db.store import Store  # noqa: E402

TICK = 0.001  # the ticker's sleep
ASK_EVERY = 0.02  # between two user questions
LAG_P99_MS, LAG_MAX_MS = 10.0, 50.0


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p99 and max in milliseconds (zeros when empty)."""
    if not seconds:
        return {"count": 0, "p50_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "count": len(ordered),
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": p99 * 1000,
        "max_ms": ordered[-1] * 1000,
    }


async def tick(stop: asyncio.Event, lateness: list[float]) -> None:
    """Sleep TICK again and again until `stop`, recording how late each wake-up is."""
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(TICK)
        lateness.append(max(0.0, time.perf_counter() - start - TICK))


async def ask(
    stop: asyncio.Event,
    store: Store,
    known: KnownShows,
    rng: random.Random,
    when: list[float],
    suggest: list[float],
) -> None:
    """Ask `/when` and autocomplete about catalogue shows every ASK_EVERY until `stop`."""
    while not stop.is_set():
        name = rng.choice(SHOWS)
        start = time.perf_counter()
        await answer_when(store, known, name)
        when.append(time.perf_counter() - start)
        start = time.perf_counter()
        await known.suggest(name[: rng.randint(1, 8)], limit=25)
        suggest.append(time.perf_counter() - start)
        await asyncio.sleep(ASK_EVERY)


async def idle_answers(store: Store, known: KnownShows, seconds: float) -> dict[str, Any]:
    """The same questions with nothing else running, for the ratio."""
    stop = asyncio.Event()
    when: list[float] = []
    suggest: list[float] = []
    asking = asyncio.ensure_future(ask(stop, store, known, random.Random(7), when, suggest))
    await asyncio.sleep(seconds)
    stop.set()
    await asking
    return {"when": percentiles(when), "suggest": percentiles(suggest)}


async def measured_cycle(poller: Poller, store: Store, known: KnownShows, feeds: int) -> Any:
    """The changed cycle with the ticker and the user running beside it."""
    stop = asyncio.Event()
    lateness: list[float] = []
    when: list[float] = []
    suggest: list[float] = []
    ticker = asyncio.ensure_future(tick(stop, lateness))
    asking = asyncio.ensure_future(ask(stop, store, known, random.Random(7), when, suggest))
    try:
        cycle = await run_cycle(poller, "changed", feeds)
    finally:
        stop.set()
        await asyncio.gather(ticker, asking)
    return {
        "cycle": cycle,
        "lag": percentiles(lateness),
        "when": percentiles(when),
        "suggest": percentiles(suggest),
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    server = ServerProcess(args.feeds)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            store = await Store.open(f"sqlite+aiosqlite:///{Path(scratch) / 'lag.db'}")
            try:
                known = await KnownShows.load(store)
                keep_loop_smooth()  # as the bot does once its services are open
                sink: EntrySink = store_only
                if args.sink == "recognise":
                    sink = AnnouncementSink(known)
                async with store.transaction() as tx:
                    for number in range(args.feeds):
                        await tx.feeds.add(f"http://127.0.0.1:{server.port}/feed/{number}")
                fetcher = local_fetcher(server.port, args.concurrency)
                async with fetcher:
                    poller = Poller(
                        store,
                        fetcher,
                        sink,
                        PollPolicy(),
                        concurrency=args.concurrency,
                        cpu_threads=args.cpu_threads,
                    )
                    first = await run_cycle(poller, "first", args.feeds)
                    idle = await idle_answers(store, known, args.idle_seconds)
                    server.publish(1)
                    changed = await measured_cycle(poller, store, known, args.feeds)
            finally:
                await store.close()
    finally:
        server.stop()
    lag = changed["lag"]
    return {
        "benchmark": "loop_lag",
        "when": datetime.now(UTC).isoformat(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "feeds": args.feeds,
        "sink": args.sink,
        "concurrency": args.concurrency,
        "cpu_threads": args.cpu_threads,
        "first": first,
        "idle": idle,
        "changed": changed,
        "summary": {
            "lag_p99_ms": lag["p99_ms"],
            "lag_max_ms": lag["max_ms"],
            "target_lag_p99_le_10ms": lag["p99_ms"] <= LAG_P99_MS,
            "target_lag_max_le_50ms": lag["max_ms"] <= LAG_MAX_MS,
            "when_p99_busy_over_idle": _ratio(changed["when"], idle["when"]),
            "suggest_p99_busy_over_idle": _ratio(changed["suggest"], idle["suggest"]),
        },
    }


def _ratio(busy: dict[str, float], idle: dict[str, float]) -> float:
    return busy["p99_ms"] / idle["p99_ms"] if idle["p99_ms"] else 0.0


def print_table(result: dict[str, Any]) -> None:
    changed, idle = result["changed"], result["idle"]
    cycle = changed["cycle"]
    print(
        f"changed cycle: {result['feeds']} feeds, sink {result['sink']}, "
        f"{cycle['wall_s']:.2f} s wall, {cycle['cpu_s']:.2f} s CPU, "
        f"{cycle['entries_new']} new entries, {cycle['announcements']} announcements"
    )
    print()
    print(f"{'':<28}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    rows = [
        ("event-loop lag (1 ms tick)", changed["lag"]),
        ("/when, during the cycle", changed["when"]),
        ("/when, idle", idle["when"]),
        ("autocomplete, during", changed["suggest"]),
        ("autocomplete, idle", idle["suggest"]),
    ]
    for label, row in rows:
        print(
            f"{label:<28}{row['count']:>7}{row['p50_ms']:9.2f}{row['p99_ms']:9.2f}"
            f"{row['max_ms']:9.2f}"
        )
    print()
    for key, value in result["summary"].items():
        print(f"  {key}: {value:.2f}" if isinstance(value, float) else f"  {key}: {value}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500, help="number of feeds (500)")
    parser.add_argument("--concurrency", type=int, default=20, help="polls at once (20)")
    parser.add_argument("--cpu-threads", type=int, default=2, help="parse/read threads (2)")
    parser.add_argument("--sink", choices=("recognise", "store"), default="recognise")
    parser.add_argument("--idle-seconds", type=float, default=3.0, help="idle questions (3)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "loop_lag.json", help="JSON"
    )
    args = parser.parse_args(argv)
    result = asyncio.run(main_async(args))
    print_table(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
