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
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCRIPT = Path(__file__).resolve()
DEFAULT_JSON = ROOT / "bench" / "results" / "memory.json"
TARGETS_MIB = {"idle": 100.0, "loaded": 150.0}
RESULT_PREFIX = "MEMORY-RESULT "
TOKEN = "bench-memory-token"  # the fake's, never a real one
MIB = 1024 * 1024

# -- measuring (used by the child: standard library only) --------------------------------


def proc_status() -> dict[str, int]:
    """VmRSS, VmHWM, VmSize and RssAnon of this process, in bytes (Linux)."""
    wanted = {"VmRSS", "VmHWM", "VmSize", "RssAnon"}
    found: dict[str, int] = {}
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        name, _, value = line.partition(":")
        if name in wanted:
            found[name] = int(value.split()[0]) * 1024  # reported in kB
    return found


async def settle(seconds: float) -> list[int]:
    """Let the bot run for `seconds`, sampling VmRSS about once a second."""
    samples: list[int] = []
    deadline = time.perf_counter() + seconds
    while (left := deadline - time.perf_counter()) > 0:
        await asyncio.sleep(min(1.0, left))
        samples.append(proc_status().get("VmRSS", 0))
    return samples


def malloc_trim() -> int | None:
    """Hand the C heap's free memory back to the system (glibc) and return VmRSS after it:
    what the RSS would be without memory that is free but still mapped. None if not glibc."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
    return proc_status().get("VmRSS")


def guard_loopback_only() -> list[str]:
    """Make every socket connection to an address outside 127.0.0.0/8 (or ::1) fail, so
    the bot cannot reach the internet during the run; returns the list of refused
    addresses, filled as they happen."""
    import ipaddress
    import socket

    refused: list[str] = []
    original = socket.socket.connect
    original_ex = socket.socket.connect_ex

    def allowed(address: Any) -> bool:
        if isinstance(address, tuple) and address and isinstance(address[0], str):
            try:
                return ipaddress.ip_address(address[0].split("%", 1)[0]).is_loopback
            except ValueError:
                return False
        return True  # Unix sockets and the like

    def connect(self: socket.socket, address: Any) -> None:
        if not allowed(address):
            refused.append(repr(address))
            raise ConnectionRefusedError(f"bench/memory.py: {address!r} is not loopback")
        original(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not allowed(address):
            refused.append(repr(address))
            return 111  # ECONNREFUSED
        return original_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    return refused


# -- the child: the bot, measured --------------------------------------------------------


async def child_main(config: dict[str, Any]) -> dict[str, Any]:
    """Start the bot as `bot.runtime.run` would (against the fake), settle, measure."""
    began = time.perf_counter()
    stages: dict[str, int] = {"python": proc_status().get("VmRSS", 0)}
    seconds: dict[str, float] = {"python": 0.0}

    def stage(name: str) -> None:
        stages[name] = proc_status().get("VmRSS", 0)
        seconds[name] = time.perf_counter() - began

    refused = guard_loopback_only()

    import discord
    import yarl

    from bot.client import CliffhangerBot
    from bot.runtime import EXTENSIONS, FeedRuntime
    from bot.services import Services
    from bot.settings import Settings

    stage("imports")

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=config["database_url"],
        dev_guild_id=config["guild_id"],
        feed_allow_private_hosts=True,
        tvmaze_enabled=False,  # loopback only; bench/catalogue.py measures the mirror
    )
    services = await Services.open(settings)
    stage("services")
    try:
        async with services.store.transaction() as tx:
            if not await tx.feeds.count():
                await tx.feeds.add(config["feed_url"], outlet="Local test outlet")
        runtime = FeedRuntime(services)
        await runtime.start()
        stage("feed_runtime")
        try:
            discord.http.Route.BASE = config["api_url"]
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config["gateway_url"])
            bot = CliffhangerBot(
                services=services,
                extensions=EXTENSIONS,
                dev_guild_id=config["guild_id"],
                guild_ready_timeout=0.05,
            )
            await bot.login(TOKEN)
            connection = asyncio.create_task(bot.connect(), name="bench-memory-bot")
            try:
                await asyncio.wait_for(bot.wait_until_ready(), config["connect_timeout"])
                stage("connected")
                samples = await settle(config["settle"])
                gc.collect()
                status = proc_status()
                stage("settled")
                heap: dict[str, int] = {}
                if config["tracemalloc"]:
                    import tracemalloc

                    heap["current"], heap["peak"] = tracemalloc.get_traced_memory()
                trimmed = malloc_trim()
                jobs = runtime.scheduler.get_jobs()
                counts = {
                    "shows": len(services.known),
                    "feeds_scheduled": len(runtime.schedule.scheduled()),
                    "scheduler_jobs": len(jobs),
                    "reminder_jobs": sum(1 for job in jobs if job.id.startswith("reminder")),
                    "guilds": len(bot.guilds),
                    "app_commands": len(bot.tree.get_commands()),
                    "gc_objects": len(gc.get_objects()),
                    "allocated_blocks": sys.getallocatedblocks(),
                }
            finally:
                await bot.close()
                await asyncio.wait_for(connection, 10)
        finally:
            await runtime.stop()
    finally:
        await services.close()
    return {
        "stages": stages,
        "stage_seconds": seconds,
        "status": status,
        "heap": heap,
        "trimmed_rss": trimmed,
        "settle_samples": samples,
        "counts": counts,
        "refused_connections": refused,
    }


def run_child(config_json: str) -> int:
    config = json.loads(config_json)
    if config["tracemalloc"]:
        import tracemalloc

        tracemalloc.start()
    import logging

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = asyncio.run(child_main(config))
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


# -- the parent: fake Discord, feed server, stores ---------------------------------------

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


async def build_loaded_store(
    url: str, args: argparse.Namespace, feeds: FeedServer
) -> dict[str, Any]:
    """Fill a store with shows, announcements, states, watches and local feeds."""
    import random

    if str(SCRIPT.parent) not in sys.path:  # bench/, the generators' (sys.path[0] when run)
        sys.path.insert(0, str(SCRIPT.parent))
    from generated_catalogue import generate_announcements, generate_shows, popularity, spread
    from synthetic_store import build_store

    from db.store import Store

    rng = random.Random(args.seed)
    shows = generate_shows(args.shows, rng)
    weights = popularity(len(shows), rng)
    pairs = generate_announcements(shows, spread(args.announcements, weights), rng)
    store = await Store.open(url)
    try:
        build = await build_store(
            store, shows, pairs, args.watches, weights, random.Random(args.seed + 1)
        )
        mark = time.perf_counter()
        async with store.transaction() as tx:
            for n in range(args.feeds):
                await tx.feeds.add(feeds.url(f"outlet-{n}"), outlet=f"Local outlet {n}")
            build["counts"]["feeds"] = await tx.feeds.count()
        build["feeds_s"] = time.perf_counter() - mark
    finally:
        await store.close()
    return {"counts": build["counts"], "build_s": build["total_s"] + build["feeds_s"]}


async def measure_scenario(
    name: str,
    database_url: str,
    args: argparse.Namespace,
    feeds: FeedServer,
    *,
    tracemalloc: bool,
) -> dict[str, Any]:
    """Run the bot in a child process against a fresh fake Discord; its report."""
    from tests.fake_discord import FakeDiscord

    async with FakeDiscord(token=TOKEN) as fake:
        guild = fake.add_guild("Bench server")
        fake.add_text_channel(guild, "general")
        fake.add_text_channel(guild, "tv-alerts")
        fake.add_role(guild, "TV fans", mentionable=True)
        config = {
            "database_url": database_url,
            "api_url": fake.api_url,
            "gateway_url": fake.gateway_url,
            "guild_id": guild.id,
            "feed_url": feeds.url(f"{name}-only"),
            "settle": args.settle,
            "connect_timeout": 60.0,
            "tracemalloc": tracemalloc,
        }
        env = {**os.environ, "FEED_ALLOW_PRIVATE_HOSTS": "true", "PYTHONPATH": str(ROOT)}
        env.pop("DISCORD_TOKEN", None)
        polls_before = feeds.polls
        started = time.perf_counter()
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            str(SCRIPT),
            "--child",
            json.dumps(config),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            cwd=str(ROOT),
        )
        out, err = await asyncio.wait_for(child.communicate(), timeout=300 + args.settle)
        elapsed = time.perf_counter() - started
        if child.returncode != 0:
            sys.stderr.write(err.decode(errors="replace"))
            raise RuntimeError(f"the {name} child exited with {child.returncode}")
        lines = [line for line in out.decode().splitlines() if line.startswith(RESULT_PREFIX)]
        if not lines:
            sys.stderr.write(err.decode(errors="replace"))
            raise RuntimeError(f"the {name} child printed no result")
        result: dict[str, Any] = json.loads(lines[-1].removeprefix(RESULT_PREFIX))
        result["feed_polls"] = feeds.polls - polls_before
        result["child_s"] = elapsed
        result["unknown_routes"] = list(fake.unknown_routes)
    return result


async def migrate_only(url: str) -> None:
    """Create and migrate an empty store, as `python -m bot migrate` does."""
    from db.store import Store

    await (await Store.open(url)).close()


def remove_database(directory: Path, name: str) -> None:
    """Delete an SQLite database and its -wal/-shm files."""
    for leftover in directory.glob(f"{name}*"):
        leftover.unlink()


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
                result = await measure_scenario(name, url, args, feeds, tracemalloc=False)
                result["heap"] = None
                if args.heap:
                    if name == "idle":  # the heap run starts from the same migrated store
                        remove_database(Path(workdir), "idle.db")
                        await migrate_only(idle_url)
                    traced = await measure_scenario(name, url, args, feeds, tracemalloc=True)
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
