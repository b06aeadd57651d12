"""`bench/fanout.py --processes 2`: the fan-out with two `run` processes on one PostgreSQL
store, the worker killed (SIGKILL) in the middle of it.

Two real `python -m bot run` processes (SHARD_COUNT=2, SHARD_IDS=0 and 1; launched through
tests/fake_discord/launch.py) share a fresh PostgreSQL database; the fake Discord runs
here with its rate-limit model on (50 requests/s global, 5 messages per 5 s per channel).
N channels watch one catalogue show; a renewal story on a local feed is polled by the
worker, which records the alert, fans it out and sends it. When `--kill-at` of the
messages have arrived, the worker gets SIGKILL; the standby takes over (its next cluster
check after PostgreSQL drops the dead connection) and sends the rest, the dead worker's
claimed rows once their claim has run out, each with its nonce.

Measured from the fake's messages: lost (a channel without a message), duplicated (any
beyond the first), the rate before the kill and after the new worker's first message
(each as a ratio of the global limit: "outside the takeover"), the gap with no message
(the takeover), and the kill → new worker time as the store shows it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.shows.catalogue import seed_shows
from db.store import Store
from tests.cluster.processes import BotProcess, bot_environment, fresh_database, worker_of
from tests.discord.product import Story, item_xml, rss
from tests.fake_discord import FakeChannel, FakeDiscord, FakeRole, RateLimitConfig
from tests.feeds.feed_server import FeedServer

POLL_SECONDS = 2.0
STORY = "Citadel Renewed for Season 2 at Prime Video"


async def _until(check: Callable[[], Awaitable[bool]], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def _times(fake: FakeDiscord, channels: list[FakeChannel]) -> list[float]:
    """Arrival times (epoch seconds) of every message in the channels, sorted."""
    return sorted(
        datetime.fromisoformat(message.timestamp).timestamp()
        for channel in channels
        for message in fake.messages(channel)
    )


def _rate(times: list[float]) -> float:
    if len(times) < 2:
        return float("nan")
    return (len(times) - 1) / (times[-1] - times[0])


WorldBuilder = Callable[[FakeDiscord, int], tuple[list[tuple[int, FakeChannel, FakeRole]], int]]


async def run_takeover(args: argparse.Namespace, build_world: WorldBuilder) -> dict[str, Any]:
    """Run the two-process fan-out with a kill (channels from fanout.py's `build_world`);
    returns the report."""
    server_url = args.database_url or os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        raise SystemExit("--processes 2 needs PostgreSQL: pass --database-url or TEST_DATABASE_URL")
    limits = RateLimitConfig(global_limit=args.global_rate)
    with tempfile.TemporaryDirectory(prefix="bench-takeover-") as workdir:
        async with (
            fresh_database(server_url) as database,
            FeedServer() as feeds,
            FakeDiscord(rate_limits=limits) as fake,
        ):
            feeds.feed("/news", rss("Deadline", []))
            targets, _ = build_world(fake, args.watches)
            channels = [channel for _, channel, _ in targets]
            store = await Store.open(database)
            processes: list[BotProcess] = []
            try:
                async with store.transaction() as tx:
                    await tx.feeds.add(feeds.url("/news"), outlet="Deadline")
                    await tx.shows.ensure_many(seed_shows(), origin="catalogue")
                    show = await tx.shows.find("Citadel")
                    assert show is not None and show.id is not None
                    now = datetime.now(UTC)
                    for guild_id, channel, role in targets:
                        await tx.watches.add(
                            guild_id=guild_id,
                            channel_id=channel.id,
                            show_id=show.id,
                            role_id=role.id,
                            created_by=fake.owner.id,
                            now=now,
                        )
                for shard in (0, 1):
                    env = bot_environment(
                        fake_url=fake.base_url,
                        token=fake.token,
                        database_url=database,
                        shard_count=2,
                        shard_ids=shard,
                        poll_interval_minutes=POLL_SECONDS / 60,
                        cluster_check_seconds=args.check_seconds,
                        delivery_claim_seconds=args.claim_seconds,
                        log_level="WARNING",
                    )
                    processes.append(BotProcess(f"shard{shard}", env, Path(workdir)))
                await asyncio.gather(*(process.start() for process in processes))

                async def ready() -> bool:
                    async with store.read() as tx:
                        polled = all(f.initialised for f in await tx.feeds.list())
                    found = await worker_of(store, 3 * args.check_seconds)
                    return (
                        polled and found is not None and fake.gateway.connected_shards() == {0, 1}
                    )

                await _until(ready, 60, "both processes and the feed's first poll")
                # Whichever took the lock first is the worker.
                worker_name = await worker_of(store, 3 * args.check_seconds)
                worker, standby = sorted(processes, key=lambda p: p.name != worker_name)
                feeds.feed("/news", rss("Deadline", [item_xml(Story(STORY), datetime.now(UTC))]))

                kill_after = max(1, int(args.watches * args.kill_at))

                async def half_sent() -> bool:
                    return fake.message_count() >= kill_after

                await _until(half_sent, 60 + args.watches, "the fan-out to reach the kill")
                killed_at = time.time()
                sent_at_kill = fake.message_count()
                await worker.kill()

                async def taken_over() -> bool:
                    return await worker_of(store, 3 * args.check_seconds) == standby.name

                await _until(taken_over, 60, "the takeover")
                took_over_s = time.time() - killed_at

                async def all_sent() -> bool:
                    async with store.read() as tx:
                        counts = await tx.outbox.counts()
                    return sum(counts.values()) == args.watches and not counts.get("pending")

                await _until(all_sent, 60 + args.watches, "every delivery sent")
                async with store.read() as tx:
                    outbox = await tx.outbox.counts()
                stats = fake.rate_limit_stats
            finally:
                for process in processes:
                    if process.running:
                        await process.stop()
                await store.close()

            per_channel = [len(fake.messages(channel)) for channel in channels]
            times = _times(fake, channels)
            before = [t for t in times if t <= killed_at]
            after = [t for t in times if t > killed_at]
            gap = (after[0] - killed_at) if after else float("nan")
            return {
                "bench": "fanout-takeover",
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "params": {
                    "watches": args.watches,
                    "processes": 2,
                    "global_rate": args.global_rate,
                    "kill_at": args.kill_at,
                    "cluster_check_seconds": args.check_seconds,
                    "delivery_claim_seconds": args.claim_seconds,
                },
                "targets": {"ratio_of_limit": 0.9, "lost": 0, "duplicated": 0},
                "deliveries": sum(1 for n in per_channel if n),
                "outbox": outbox,
                "lost": sum(1 for n in per_channel if n == 0),
                "duplicated": sum(n - 1 for n in per_channel if n > 1),
                "sent_before_kill": sent_at_kill,
                "takeover_s": took_over_s,
                "no_message_s": gap,
                "rate_before": _rate(before),
                "rate_after": _rate(after),
                "ratio_before": _rate(before) / args.global_rate,
                "ratio_after": _rate(after) / args.global_rate,
                "http_429": {"global": stats.global_limited, "per_route": stats.channel_limited},
            }


def print_takeover(report: dict[str, Any]) -> None:
    """The report as a table."""
    params = report["params"]
    print(
        f"\nbench/fanout.py --processes 2: {params['watches']:,} channels, fake Discord at "
        f"{params['global_rate']} requests/s; SIGKILL of the worker after "
        f"{report['sent_before_kill']:,} messages; CLUSTER_CHECK_SECONDS "
        f"{params['cluster_check_seconds']:g}, DELIVERY_CLAIM_SECONDS "
        f"{params['delivery_claim_seconds']:g}\n"
    )
    rate = params["global_rate"]
    rows = [
        ("deliveries", f"{report['deliveries']:,} of {params['watches']:,}"),
        ("lost", str(report["lost"])),
        ("duplicated", str(report["duplicated"])),
        ("kill → new worker (store)", f"{report['takeover_s']:.2f} s"),
        ("kill → next message", f"{report['no_message_s']:.2f} s"),
        (f"msgs/s before kill ÷ {rate}", f"{report['ratio_before']:.3f}"),
        (f"msgs/s after takeover ÷ {rate}", f"{report['ratio_after']:.3f}  (target ≥ 0.9)"),
        ("429s global / per-route", f"{report['http_429']['global']} / "
         f"{report['http_429']['per_route']}"),
        ("outbox", str(report["outbox"])),
    ]  # fmt: skip
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        print(f"{label:<{width}}{value}")
