"""The scenarios of bench/memory.py: the stores they start from, and one run of the bot in
a child process against a fresh fake Discord.

The store is filled with the generated catalogue (bench/generated_catalogue.py,
bench/synthetic_store.py) that bench/when.py times, so the figures are about the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from local_feed_server import FeedServer
from memory_child import RESULT_PREFIX, TOKEN

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


async def build_loaded_store(
    url: str, args: argparse.Namespace, feeds: FeedServer
) -> dict[str, Any]:
    """Fill a store with shows, announcements, states, watches and local feeds."""
    import random

    if str(BENCH) not in sys.path:  # the generators' (sys.path[0] when run)
        sys.path.insert(0, str(BENCH))
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
    script: Path,
    tracemalloc: bool,
) -> dict[str, Any]:
    """Run the bot in a child process against a fresh fake Discord; its report. `script`
    is started with `--child CONFIG` and must hand CONFIG to `memory_child.run_child`."""
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
            str(script),
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
