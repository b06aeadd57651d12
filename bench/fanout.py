"""Benchmark: one alert fanned out to N watches in N channels under Discord's rate limits.

The real path end to end: a real `Services` on a temporary SQLite store, N watches of one
catalogue show (one per channel, in guilds of up to 100 channels, each pinging a role)
added with `tx.watches.add`, one `record_alert` (which writes the N delivery rows), and a
real `CliffhangerBot` with the `cogs.alerts` extension connected to the fake Discord
(`tests/fake_discord`) with its rate-limit model on: 50 requests/s global, 5 messages per
5 s per channel, 429 with `retry_after` when exceeded. The bot's own DiscordAlertSender and
DeliveryWorker deliver; the clock runs from the alert's commit until the outbox has no
pending row. Then every channel's messages are counted in the fake: a channel without one is
a lost message, any message beyond the first a duplicate.

Prints deliveries, wall seconds, messages/s and its ratio to the global limit, the 429s the
fake sent (global / per channel), lost and duplicated messages, and per-message latency
from the alert's creation to its `sent_at`; writes JSON.

    .venv/bin/python bench/fanout.py                   # 2,000 watches, 50 requests/s
    .venv/bin/python bench/fanout.py --watches 20      # smoke size (rate limits still on)
    .venv/bin/python bench/fanout.py --processes 2     # two `run` processes on PostgreSQL,
                                                       # the worker killed mid-fan-out
                                                       # (bench/fanout_takeover.py)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import math
import platform
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "bench"):  # bench/: fanout_takeover.py (sys.path[0] when run)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from fanout_takeover import print_takeover, run_takeover  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bot.alerts.delivery import DeliveryWorker, RateLimiter  # noqa: E402
from bot.client import CliffhangerBot  # noqa: E402
from bot.models import AlertChange, Certainty, Event, Show, Source  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from db.schema.alerting import deliveries  # noqa: E402
from tests.fake_discord import FakeChannel, FakeDiscord, FakeRole, RateLimitConfig  # noqa: E402

DEFAULT_JSON = ROOT / "bench" / "results" / "fanout.json"
CHANNELS_PER_GUILD = 100  # Discord allows 500; a realistic spread over many servers
TARGET_RATIO = 0.90  # of the global limit
POLL_SECONDS = 0.05  # how often the outbox is checked for pending rows


# -- measuring ---------------------------------------------------------------------------


def percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def build_world(
    fake: FakeDiscord, watches: int
) -> tuple[list[tuple[int, FakeChannel, FakeRole]], int]:
    """Guilds of up to CHANNELS_PER_GUILD text channels, one mentionable role per guild;
    returns (guild id, channel, role) per channel and the first guild's id."""
    targets: list[tuple[int, FakeChannel, FakeRole]] = []
    guild_count = max(1, math.ceil(watches / CHANNELS_PER_GUILD))
    first_guild = 0
    for g in range(guild_count):
        guild = fake.add_guild(f"Fan server {g + 1}")
        first_guild = first_guild or guild.id
        role = fake.add_role(guild, "TV alerts", mentionable=True)
        for c in range(min(CHANNELS_PER_GUILD, watches - len(targets))):
            targets.append((guild.id, fake.add_text_channel(guild, f"tv-{c + 1}"), role))
    return targets, first_guild


def the_change(show: Show) -> AlertChange:
    """An official renewal of the show's next season, as a feed would report it."""
    return AlertChange(
        show=show.name,
        season=3,
        event=Event.RENEWED.value,
        value="",
        certainty=Certainty.OFFICIAL,
        network=show.network,
        source=Source(
            outlet="Deadline",
            link="https://deadline.com/2025/06/renewed-season-3-1236000000/",
            published=datetime.now(UTC),
            title=f"{show.name} Renewed For Season 3",
        ),
    )


async def wait_until_delivered(services: Services, give_up_after: float) -> dict[str, int]:
    """Poll the outbox until no delivery is pending (or `give_up_after` seconds have
    passed); returns the final counts."""
    deadline = time.perf_counter() + give_up_after
    while True:
        async with services.store.read() as tx:
            counts = await tx.outbox.counts()
        if not counts.get("pending") or time.perf_counter() > deadline:
            return counts
        await asyncio.sleep(POLL_SECONDS)


async def latencies(services: Services) -> list[float]:
    """Seconds from each delivery's creation (the alert's commit time) to its sent_at."""
    query = select(deliveries.c.created_at, deliveries.c.sent_at).where(
        deliveries.c.status == "sent"
    )
    async with services.store.read() as tx:
        rows = (await tx.connection.execute(query)).all()
    return sorted((sent - created).total_seconds() for created, sent in rows if sent is not None)


@contextlib.asynccontextmanager
async def open_services(workdir: Path, concurrency: int | None) -> AsyncIterator[Services]:
    """Services on a fresh SQLite store in `workdir` (no .env read: the run is
    reproducible)."""
    overrides: dict[str, Any] = {"database_url": f"sqlite+aiosqlite:///{workdir / 'fanout.db'}"}
    if concurrency is not None:
        overrides["delivery_concurrency"] = concurrency
    settings = Settings(_env_file=None, **overrides)  # type: ignore[call-arg]
    services = await Services.open(settings)
    try:
        yield services
    finally:
        await services.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    limits = RateLimitConfig(global_limit=args.global_rate)
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as workdir:
        async with (
            open_services(Path(workdir), args.concurrency) as services,
            FakeDiscord(rate_limits=limits) as fake,
        ):
            mark = time.perf_counter()
            targets, first_guild = build_world(fake, args.watches)
            show = next(s for s in services.known.catalogue if s.id is not None)
            assert show.id is not None
            now = datetime.now(UTC)
            async with services.store.transaction() as tx:
                for guild_id, channel, role in targets:
                    await tx.watches.add(
                        guild_id=guild_id,
                        channel_id=channel.id,
                        show_id=show.id,
                        role_id=role.id,
                        created_by=fake.owner.id,
                        now=now,
                    )
            setup_s = time.perf_counter() - mark

            bot = CliffhangerBot(
                services=services,
                extensions=["cogs.alerts"],
                dev_guild_id=first_guild,
                guild_ready_timeout=0.05,
            )
            mark = time.perf_counter()
            async with fake.running(bot, timeout=60):
                connect_s = time.perf_counter() - mark
                # load_extension runs cogs/alerts.py afresh: look the worker up, not the class.
                cog = bot.get_cog("AlertDelivery")
                worker = cast(DeliveryWorker, getattr(cog, "worker"))  # noqa: B009
                if args.delivery_rate is not None:
                    worker.limiter = RateLimiter(args.delivery_rate, args.delivery_burst)
                limiter = worker.limiter
                before = (
                    fake.rate_limit_stats.global_limited,
                    fake.rate_limit_stats.channel_limited,
                )
                before_posts = len(fake.requests("POST /channels/*/messages"))

                started = time.perf_counter()
                async with services.store.transaction() as tx:
                    queued = await tx.outbox.record_alert(
                        show.id, the_change(show), now=datetime.now(UTC)
                    )
                    tx.after_commit(services.deliveries_queued)
                counts = await wait_until_delivered(
                    services, give_up_after=args.watches / args.global_rate * 4 + 60
                )
                wall = time.perf_counter() - started
                stats = fake.rate_limit_stats
                global_429 = stats.global_limited - before[0]
                channel_429 = stats.channel_limited - before[1]
                posts = fake.requests("POST /channels/*/messages")[before_posts:]

            per_channel = [len(fake.messages(channel)) for _, channel, _ in targets]
            lost = sum(1 for n in per_channel if n == 0)
            duplicated = sum(n - 1 for n in per_channel if n > 1)
            delays = await latencies(services)
            attempts_query = select(deliveries.c.attempts)
            async with services.store.read() as tx:
                attempts = [a for (a,) in await tx.connection.execute(attempts_query)]

    delivered = sum(1 for n in per_channel if n > 0)
    rate = delivered / wall if wall > 0 else float("nan")
    statuses: dict[str, int] = {}
    for record in posts:
        statuses[str(record.status)] = statuses.get(str(record.status), 0) + 1
    return {
        "bench": "fanout",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "params": {
            "watches": args.watches,
            "global_rate": args.global_rate,
            "channel_limit": f"{limits.channel_message_limit}/{limits.channel_message_window:g}s",
            "delivery_concurrency": services.settings.delivery_concurrency,
            "delivery_rate": limiter.rate,
            "delivery_burst": limiter.burst,
        },
        "targets": {"ratio_of_limit": TARGET_RATIO, "lost": 0, "duplicated": 0},
        "queued": queued,
        "deliveries": delivered,
        "outbox": counts,
        "wall_s": wall,
        "setup_s": setup_s,
        "connect_s": connect_s,
        "msgs_per_s": rate,
        "ratio_of_limit": rate / args.global_rate,
        "http_429": {
            "global": global_429,
            "per_route": channel_429,
            "total": global_429 + channel_429,
        },
        "post_requests": len(posts),
        "post_statuses": dict(sorted(statuses.items())),
        "worker_attempts": {"total": sum(attempts), "max": max(attempts, default=0)},
        "lost": lost,
        "duplicated": duplicated,
        "latency_s": {
            "n": len(delays),
            "p50": percentile(delays, 50),
            "p99": percentile(delays, 99),
            "max": delays[-1] if delays else float("nan"),
        },
    }


def print_table(report: dict[str, Any]) -> None:
    params = report["params"]
    limiter = f"{params['delivery_rate']:g}/s, burst {params['delivery_burst']}"
    print(
        f"\nbench/fanout.py: {params['watches']:,} watches in as many channels; fake Discord at "
        f"{params['global_rate']} requests/s global, {params['channel_limit']} per channel; "
        f"worker concurrency {params['delivery_concurrency']}, limiter {limiter}\n"
    )
    codes = report["http_429"]
    latency = report["latency_s"]
    rows = [
        ("deliveries", f"{report['deliveries']:,} of {report['queued']:,} queued"),
        ("wall seconds", f"{report['wall_s']:.2f}"),
        ("msgs/s", f"{report['msgs_per_s']:.2f}"),
        (
            f"msgs/s ÷ {params['global_rate']}",
            f"{report['ratio_of_limit']:.3f}  (target ≥ {report['targets']['ratio_of_limit']})",
        ),
        ("429s global / per-route", f"{codes['global']} / {codes['per_route']}"),
        ("POST requests (statuses)", f"{report['post_requests']:,} {report['post_statuses']}"),
        ("worker attempts", f"{report['worker_attempts']['total']:,}"),
        ("lost", str(report["lost"])),
        ("duplicated", str(report["duplicated"])),
        ("latency p50 / p99 s", f"{latency['p50']:.2f} / {latency['p99']:.2f}"),
        ("outbox", str(report["outbox"])),
    ]
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        print(f"{label:<{width}}{value}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--watches", type=int, default=2_000)
    parser.add_argument(
        "--global-rate", type=int, default=50, help="the fake's global limit, requests/s"
    )
    parser.add_argument(
        "--concurrency", type=int, default=None, help="DELIVERY_CONCURRENCY (default: setting)"
    )
    parser.add_argument(
        "--delivery-rate",
        type=float,
        default=None,
        help="override the worker's send pace, per second (default: the bot's own); "
        "a huge value such as 1e6 approximates no pacing at all",
    )
    parser.add_argument("--delivery-burst", type=int, default=1)
    parser.add_argument(
        "--processes",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: two `run` processes on PostgreSQL, the worker killed mid-fan-out",
    )
    parser.add_argument(
        "--kill-at", type=float, default=0.5, help="with --processes 2: kill after this share"
    )
    parser.add_argument(
        "--check-seconds", type=float, default=5.0, help="with --processes 2: CLUSTER_CHECK_SECONDS"
    )
    parser.add_argument(
        "--claim-seconds",
        type=float,
        default=15.0,
        help="with --processes 2: DELIVERY_CLAIM_SECONDS",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="with --processes 2: a PostgreSQL server URL (default: TEST_DATABASE_URL); "
        "the run gets a fresh database on it",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write results")
    parser.add_argument("--verbose", action="store_true", help="show discord.py's warnings")
    args = parser.parse_args(argv)
    if args.watches < 1 or args.global_rate < 1:
        parser.error("sizes must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.verbose else logging.ERROR)
    if args.processes == 2:
        report = asyncio.run(run_takeover(args, build_world))
        print_takeover(report)
        if args.json == DEFAULT_JSON:
            args.json = DEFAULT_JSON.with_name("fanout_takeover.json")
    else:
        report = asyncio.run(run(args))
        print_table(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    problems = [f"{report[key]} {key}" for key in ("lost", "duplicated") if report[key]]
    if report["outbox"].get("pending"):
        problems.append(f"{report['outbox']['pending']} deliveries still pending")
    if problems:
        print("FAILED: " + ", ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
