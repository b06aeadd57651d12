"""Benchmark: the TVmaze mirror at TVmaze's scale.

Two parts, each on a fresh SQLite store in a temporary directory:

* first sync: a fake TVmaze on 127.0.0.1 (tests/tvmaze/fake_tvmaze.py) serves
  `--sync-shows` shows on 250-id pages and answers 429 to more than `--rate-calls` calls in
  any `--rate-seconds` window; `CatalogueSync.index()` pages through it with the client's
  limiter at the same limit. Prints calls, 429s, wall time and the time the limit allows
  (calls × seconds / calls-per-window).
* scale: `--shows` TVmaze-only shows (plus the shipped catalogue) written straight into the
  mirror, then a child process measures start-up (`Services.open`: store, migrations
  check, seeding, `KnownShows.load`), its RSS once loaded (VmRSS after start-up, with
  discord.py and the bot's modules imported, as `run` has them) and the latency of `/when`
  (`answer_when`, what the cog calls) and autocomplete (`known.suggest`) over
  `--queries` queries typed the ways bench/generated_queries.py types them (exact, typos,
  prefixes...).

    .venv/bin/python bench/catalogue.py                     # 80,000-show sync, 100,000 shows
    .venv/bin/python bench/catalogue.py --sync-shows 2000 --rate-calls 200 --rate-seconds 1 \
        --shows 2000 --queries 50
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "bench"):  # bench/: the generators' (sys.path[0] when run)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from generated_catalogue import generate_shows, popularity  # noqa: E402
from generated_queries import suggest_prefixes, when_queries  # noqa: E402
from latency_stats import summary  # noqa: E402

from bot.shows.known import KnownShows  # noqa: E402
from bot.tvmaze.client import TvmazeClient  # noqa: E402
from bot.tvmaze.shapes import TvmazeShow  # noqa: E402
from bot.tvmaze.sync import CatalogueSync  # noqa: E402
from db.store import Store  # noqa: E402
from tests.tvmaze.fake_tvmaze import FakeTvmaze  # noqa: E402

DEFAULT_JSON = ROOT / "bench" / "results" / "catalogue.json"
TARGETS = {"startup_s": 1.0, "when_p99_ms": 5.0, "autocomplete_p99_ms": 5.0, "rss_mib": 150.0}
RESULT = "CATALOGUE-RESULT "
TODAY = date(2026, 3, 1)
NETWORKS = ("NBC", "CBS", "BBC One", "ITV1", "Netflix", "HBO", "ABC", "Fox", "Hulu", "Canal+")


def tvmaze_shows(count: int, rng: random.Random) -> list[TvmazeShow]:
    """`count` shows with TVmaze-like names (bench/generated_catalogue.py's generator)."""
    shows = generate_shows(count, rng)
    result = []
    # Dense ids, as TVmaze's mostly are: 80,000 shows on 320 pages.
    for show_id, show in enumerate(shows, start=1):
        result.append(
            TvmazeShow(
                id=show_id,
                name=show.name,
                updated=1_700_000_000 + show_id,
                network=show.network or rng.choice(NETWORKS),
                status=rng.choice(("Running", "Ended", "Ended", "To Be Determined")),
                premiered=date(rng.randint(1990, 2025), rng.randint(1, 12), 1),
                weight=rng.randint(0, 100),
                url=f"https://www.tvmaze.com/shows/{show_id}/x",
            )
        )
    return result


# -- the first sync --------------------------------------------------------------------


async def first_sync(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    rng = random.Random(args.seed)
    shows = tvmaze_shows(args.sync_shows, rng)
    fake = FakeTvmaze(today=TODAY, limit=args.rate_calls, window=args.rate_seconds)
    for show in shows:
        fake.add_show(show.id, show.name, network=show.network, updated=show.updated)
    store = await Store.open(f"sqlite+aiosqlite:///{workdir / 'sync.db'}")
    client: TvmazeClient | None = None
    try:
        async with fake:
            known = await KnownShows.load(store)
            client = TvmazeClient(
                fake.url,
                user_agent="Cliffhanger-bench (bench@example.org)",
                calls=args.rate_calls,
                period=args.rate_seconds,
            )
            sync = CatalogueSync(store, client, known, clock=lambda: datetime.now(UTC))
            started = time.perf_counter()
            report = await sync.index()
            wall = time.perf_counter() - started
            async with store.read() as tx:
                mirrored = await tx.mirror.count()
    finally:
        if client is not None:
            await client.close()
        await store.close()
    bound = report.calls * args.rate_seconds / args.rate_calls
    return {
        "shows": len(shows),
        "pages": report.pages,
        "calls": report.calls,
        "rate_limited_429": fake.rate_limited,
        "most_calls_in_a_window": fake.max_in_window,
        "window": {"calls": args.rate_calls, "seconds": args.rate_seconds},
        "wall_s": wall,
        "limit_bound_s": bound,
        "wall_over_bound": wall / bound if bound else None,
        "mirrored": mirrored,
    }


# -- the scale -------------------------------------------------------------------------


async def build_mirror(args: argparse.Namespace, url: str) -> dict[str, Any]:
    rng = random.Random(args.seed)
    shows = tvmaze_shows(args.shows, rng)
    store = await Store.open(url)
    started = time.perf_counter()
    try:
        await KnownShows.load(store)  # the shipped catalogue first, as in production
        now = datetime.now(UTC)
        for start in range(0, len(shows), 1000):
            async with store.transaction() as tx:
                await tx.mirror.apply(shows[start : start + 1000], now=now)
        async with store.read() as tx:
            count = await tx.shows.count()
    finally:
        await store.close()
    return {"shows_in_store": count, "build_s": time.perf_counter() - started}


def proc_rss() -> dict[str, float]:
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found


async def child(config: dict[str, Any]) -> dict[str, Any]:
    """Runs in a fresh process: start-up, memory, then query latency."""
    import discord  # noqa: F401 - the bot has it loaded; count its memory

    import bot.client
    import bot.runtime  # noqa: F401
    from bot.cards import answer_when
    from bot.services import Services
    from bot.settings import Settings

    settings = Settings(_env_file=None, database_url=config["url"])  # type: ignore[call-arg]
    gc.collect()
    before = proc_rss()
    started = time.perf_counter()
    services = await Services.open(settings)
    startup = time.perf_counter() - started
    try:
        known = services.known
        gc.collect()
        loaded = proc_rss()
        async with services.store.read() as tx:
            shows = await tx.shows.all()
            in_store = await tx.shows.count()
        rng = random.Random(config["seed"])
        weights = popularity(len(shows), rng)
        queries = when_queries(shows, weights, config["queries"], rng)
        prefixes = suggest_prefixes(shows, weights, config["queries"], rng)
        for text, _ in queries[:20]:
            await answer_when(services.store, known, text)
        when_times, suggest_times = [], []
        outcomes = {"card": 0, "candidates": 0, "nothing": 0}
        for text, _ in queries:
            mark = time.perf_counter()
            answer = await answer_when(services.store, known, text)
            when_times.append(time.perf_counter() - mark)
            outcomes[
                "card" if answer.card else "candidates" if answer.candidates else "nothing"
            ] += 1
        for prefix in prefixes:
            mark = time.perf_counter()
            await known.suggest(prefix, limit=25)
            suggest_times.append(time.perf_counter() - mark)
    finally:
        await services.close()
    return {
        "startup_s": startup,
        "known_shows": in_store,
        "in_text_tier": len(known.catalogue),
        "mirror_tier": in_store - len(known.catalogue),
        "rss_before_mib": before.get("VmRSS"),
        "rss_loaded_mib": loaded.get("VmRSS"),
        "rss_peak_mib": loaded.get("VmHWM"),
        "when": summary(when_times, TARGETS["when_p99_ms"]) | {"outcomes": outcomes},
        "autocomplete": summary(suggest_times, TARGETS["autocomplete_p99_ms"]),
    }


async def scale(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    url = f"sqlite+aiosqlite:///{workdir / 'scale.db'}"
    built = await build_mirror(args, url)
    config = json.dumps({"url": url, "seed": args.seed, "queries": args.queries})
    completed = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, __file__, "--child", config],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        cwd=ROOT,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the measuring child failed:\n{completed.stderr}")
    line = next(x for x in completed.stdout.splitlines() if x.startswith(RESULT))
    measured: dict[str, Any] = json.loads(line[len(RESULT) :])
    return built | measured


def print_report(report: dict[str, Any]) -> None:
    sync = report.get("first_sync")
    if sync:
        print(
            f"first sync: {sync['shows']} shows, {sync['pages']} pages, {sync['calls']} calls, "
            f"{sync['rate_limited_429']} × 429, at most {sync['most_calls_in_a_window']} calls "
            f"in any {sync['window']['seconds']:g} s window (limit {sync['window']['calls']}); "
            f"{sync['wall_s']:.1f} s wall, the limit allows {sync['limit_bound_s']:.1f} s "
            f"({sync['wall_over_bound']:.2f}×); {sync['mirrored']} shows mirrored"
        )
    big = report.get("scale")
    if big:
        print(
            f"scale: {big['known_shows']} shows ({big['in_text_tier']} read in the news, "
            f"{big['mirror_tier']} found through the store's name index)"
        )
        print(f"  start-up {big['startup_s']:.2f} s (target {TARGETS['startup_s']:g} s)")
        print(
            f"  RSS {big['rss_before_mib']:.1f} MiB before load, {big['rss_loaded_mib']:.1f} MiB "
            f"loaded, peak {big['rss_peak_mib']:.1f} MiB (target {TARGETS['rss_mib']:g})"
        )
        for name in ("when", "autocomplete"):
            figures = big[name]
            print(
                f"  {name}: p50 {figures['p50_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms, "
                f"max {figures['max_ms']:.2f} ms (target p99 5 ms) over {figures['n']} queries"
            )


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {"bench": "catalogue", "params": vars(args), "targets": TARGETS}
    with tempfile.TemporaryDirectory(prefix="bench-catalogue-") as workdir:
        if args.sync_shows:
            report["first_sync"] = await first_sync(args, Path(workdir))
        if args.shows:
            report["scale"] = await scale(args, Path(workdir))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sync-shows", type=int, default=80_000)
    parser.add_argument("--rate-calls", type=int, default=20)
    parser.add_argument("--rate-seconds", type=float, default=10.0)
    parser.add_argument("--shows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = asyncio.run(child(json.loads(args.child)))
        print(RESULT + json.dumps(result))
        return
    report = asyncio.run(main_async(args))
    print_report(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    params = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    report["params"] = params
    args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
