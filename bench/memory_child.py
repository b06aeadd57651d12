"""The child process of bench/memory.py: the bot started as `bot.runtime.run` would start
it (against the fake Discord), let settle, and measured.

Kept apart so the script holds only the parent's side; the child is still started as
`bench/memory.py --child CONFIG`, which hands its config to `run_child`. The bot's modules
are imported inside `child_main`, after the first RSS stage is read.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from typing import Any

from loopback_guard import guard_loopback_only
from process_memory import malloc_trim, proc_status, settle

RESULT_PREFIX = "MEMORY-RESULT "
TOKEN = "bench-memory-token"  # the fake's, never a real one


async def child_main(config: dict[str, Any]) -> dict[str, Any]:
    """Start the bot as `bot.runtime.run` would (against the fake), settle, measure."""
    began = time.perf_counter()
    stages: dict[str, int] = {"python": proc_status().get("VmRSS", 0)}
    seconds: dict[str, float] = {"python": 0.0}

    def stage(name: str) -> None:
        stages[name] = proc_status().get("VmRSS", 0)
        seconds[name] = time.perf_counter() - began

    refused = guard_loopback_only()
    from bot.heap import return_large_blocks

    return_large_blocks()  # as `python -m bot run` does first

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
