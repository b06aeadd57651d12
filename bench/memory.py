"""Benchmark: the bot process's memory, idle and with 1,000 feeds and 10,000 shows.

Each scenario runs the bot in a subprocess of its own, so the figures are the bot's, not
this script's (which runs the fake Discord and a local feed server for it):

* idle: `Services` opened on an empty, already migrated SQLite store (the shipped catalogue
  loaded),
  one local feed added (so `FeedRuntime.start` seeds none of the default public feeds),
  `FeedRuntime` started with its scheduler, and a `CliffhangerBot` with every extension of
  `bot.runtime.EXTENSIONS` connected to the fake Discord;
* loaded: the same on a store that already holds 10,000 shows (the catalogue plus
  generated ones, from bench/generated_catalogue.py), their announcements and season
  states, watches, and 1,000 feeds, all loaded and scheduled.

Every feed URL points at this script's feed server on 127.0.0.1 (FEED_ALLOW_PRIVATE_HOSTS
is on in the child), which answers a small RSS document; polls that fall due during a run
really happen. The child refuses to connect anywhere but the loopback interface.

The child reports VmRSS at each start-up stage and, after settling, VmRSS and VmHWM (the
peak) from /proc/self/status. The Python heap (tracemalloc's current and peak) is measured
in a second child per scenario, since tracing allocations costs memory of its own.

    .venv/bin/python bench/memory.py                       # 1,000 feeds, 10,000 shows
    .venv/bin/python bench/memory.py --feeds 5 --shows 50 --announcements 100 --settle 0.2

The child's side is bench/memory_child.py (with bench/process_memory.py and
bench/loopback_guard.py), the feeds are served by bench/local_feed_server.py and the stores
built and the children run by bench/memory_scenarios.py; this script runs them and reports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from local_feed_server import FeedServer  # noqa: E402 (beside this script)
from memory_child import run_child  # noqa: E402
from memory_scenarios import (  # noqa: E402
    build_loaded_store,
    measure_scenario,
    migrate_only,
    remove_database,
)

SCRIPT = Path(__file__).resolve()
DEFAULT_JSON = ROOT / "bench" / "results" / "memory.json"
TARGETS_MIB = {"idle": 100.0, "loaded": 150.0}
MIB = 1024 * 1024


async def parent_main(args: argparse.Namespace) -> dict[str, Any]:
    import tempfile

    feeds = FeedServer()
    await feeds.start()
    scenarios: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as workdir:
            idle_url = f"sqlite+aiosqlite:///{Path(workdir) / 'idle.db'}"
            loaded_url = f"sqlite+aiosqlite:///{Path(workdir) / 'loaded.db'}"
            build = await build_loaded_store(loaded_url, args, feeds)
            # The operator migrates once (`python -m bot migrate`, or the first start); the
            # bot then runs on a migrated store, so the idle child measures that steady state.
            await migrate_only(idle_url)
            for name, url in (("idle", idle_url), ("loaded", loaded_url)):
                result = await measure_scenario(
                    name, url, args, feeds, script=SCRIPT, tracemalloc=False
                )
                result["heap"] = None
                if args.heap:
                    if name == "idle":  # the heap run starts from the same migrated store
                        remove_database(Path(workdir), "idle.db")
                        await migrate_only(idle_url)
                    traced = await measure_scenario(
                        name, url, args, feeds, script=SCRIPT, tracemalloc=True
                    )
                    result["heap"] = traced["heap"]
                    result["heap_run_status"] = traced["status"]
                status = result["status"]
                result["rss_mib"] = status.get("VmRSS", 0) / MIB
                result["peak_rss_mib"] = status.get("VmHWM", 0) / MIB
                trimmed = result["trimmed_rss"]
                result["trimmed_rss_mib"] = None if trimmed is None else trimmed / MIB
                result["target_mib"] = TARGETS_MIB[name]
                result["peak_over_target"] = result["peak_rss_mib"] / TARGETS_MIB[name]
                if name == "loaded":
                    result["store"] = build
                scenarios[name] = result
    finally:
        await feeds.close()
    return {
        "bench": "memory",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "params": {
            "feeds": args.feeds,
            "shows": args.shows,
            "announcements": args.announcements,
            "watches": args.watches,
            "settle_s": args.settle,
            "heap": args.heap,
            "seed": args.seed,
        },
        "targets_mib": TARGETS_MIB,
        "scenarios": scenarios,
    }


def print_table(report: dict[str, Any]) -> None:
    params = report["params"]
    print(
        f"\nbench/memory.py: idle vs {params['feeds']:,} feeds, {params['shows']:,} shows, "
        f"{params['announcements']:,} announcements, {params['watches']:,} watches "
        f"(settle {params['settle_s']:g} s)\n"
    )
    header = (
        f"{'scenario':<9}{'shows':>7}{'feeds':>7}{'jobs':>7}{'polls':>7}{'RSS MiB':>9}"
        f"{'peak MiB':>9}{'target':>8}{'peak/target':>13}{'heap MiB':>9}{'heap peak':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, s in report["scenarios"].items():
        heap = s.get("heap") or {}
        current = f"{heap['current'] / MIB:.1f}" if "current" in heap else "-"
        peak = f"{heap['peak'] / MIB:.1f}" if "peak" in heap else "-"
        counts = s["counts"]
        print(
            f"{name:<9}{counts['shows']:>7,}{counts['feeds_scheduled']:>7,}"
            f"{counts['scheduler_jobs']:>7,}{s['feed_polls']:>7}{s['rss_mib']:>9.1f}"
            f"{s['peak_rss_mib']:>9.1f}{s['target_mib']:>8.0f}{s['peak_over_target']:>13.2f}"
            f"{current:>9}{peak:>11}"
        )
    print("\nVmRSS in MiB after each start-up stage (seconds since the child started):")
    names = list(report["scenarios"])
    print(f"{'stage':<14}" + "".join(f"{name:>18}" for name in names))
    stages = list(next(iter(report["scenarios"].values()))["stages"])
    for stage in stages:
        cells = []
        for n in names:
            s = report["scenarios"][n]
            cells.append(f"{s['stages'][stage] / MIB:>10.1f} ({s['stage_seconds'][stage]:4.1f} s)")
        print(f"{stage:<14}" + "".join(f"{cell:>18}" for cell in cells))
    for name, s in report["scenarios"].items():
        samples = ", ".join(f"{sample / MIB:.1f}" for sample in s["settle_samples"])
        trimmed = s["trimmed_rss_mib"]
        after_trim = "-" if trimmed is None else f"{trimmed:.1f}"
        print(
            f"{name}: while settling {samples}; after malloc_trim {after_trim} MiB; "
            f"{s['counts']['gc_objects']:,} objects tracked by gc"
        )
    for name, s in report["scenarios"].items():
        if s["refused_connections"]:
            print(f"{name}: refused non-loopback connections: {s['refused_connections']}")
        if "store" in s:
            counts = s["store"]["counts"]
            print(
                f"{name} store: {counts['shows']:,} shows, {counts['announcements']:,} "
                f"announcements, {counts['season_states']:,} season states, "
                f"{counts['watches']:,} watches, {counts['feeds']:,} feeds "
                f"(built in {s['store']['build_s']:.1f} s)"
            )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=1_000)
    parser.add_argument("--shows", type=int, default=10_000)
    parser.add_argument("--announcements", type=int, default=50_000)
    parser.add_argument("--watches", type=int, default=1_000)
    parser.add_argument(
        "--settle", type=float, default=15.0, help="seconds connected before measuring"
    )
    parser.add_argument(
        "--heap",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure the Python heap (tracemalloc) in a second child per scenario",
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write results")
    parser.add_argument("--child", metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is None and (
        args.feeds < 1 or args.shows < 1 or args.announcements < 0 or args.watches < 0
    ):
        parser.error("sizes must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child is not None:
        return run_child(args.child)
    report = asyncio.run(parent_main(args))
    print_table(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
