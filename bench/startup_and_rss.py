"""What the bot costs in a fresh process: start-up to its first answer and idle memory.

Each figure is the median over fresh processes, since a process that has already imported
the bot (this one) would measure neither.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_STARTUP_S = 1.0
TARGET_RSS_MIB = 150.0
RSS_RESULT = "WHEN-RSS "


def startup(url: str, workdir: Path, runs: int) -> dict[str, Any]:
    """Wall time of `python -m bot when citadel` in fresh processes (no .env: a fresh
    working directory), the median of `runs`."""
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    walls: list[float] = []
    output = ""
    for _ in range(runs):
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "bot", "when", "citadel"],
            cwd=workdir,
            env={**env, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        walls.append(time.perf_counter() - started)
        if completed.returncode != 0:
            raise RuntimeError(f"`python -m bot when citadel` failed:\n{completed.stderr}")
        output = completed.stdout
    return {
        "median_s": statistics.median(walls),
        "runs_s": walls,
        "target_s": TARGET_STARTUP_S,
        "first_line": output.splitlines()[0] if output else "",
    }


def idle_rss(script: Path, url: str, workdir: Path, runs: int) -> dict[str, Any]:
    """VmRSS of fresh processes with the bot's modules and its services (the known shows
    loaded), the median of `runs`. `script` is run with `--child-rss URL` and must print
    `RSS_RESULT` and `child_rss`'s figure; it is the bench's own script, so that the figure
    also counts what that script imports."""
    values: list[float] = []
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, str(script), "--child-rss", url],
            cwd=workdir,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"the RSS child failed:\n{completed.stderr}")
        line = next(x for x in completed.stdout.splitlines() if x.startswith(RSS_RESULT))
        values.append(float(line[len(RSS_RESULT) :]))
    return {
        "median_mib": statistics.median(values),
        "runs_mib": values,
        "target_mib": TARGET_RSS_MIB,
    }


async def child_rss(url: str) -> float:
    """In a fresh process: the bot's modules and services, the name search warmed as the
    bot warms it once started (TVmaze's vocabulary and postings read), then VmRSS in MiB."""
    import discord  # noqa: F401 - the bot has it loaded; count its memory

    import bot.client  # noqa: F401
    from bot.runtime import warm_name_search
    from bot.services import Services
    from bot.settings import Settings

    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    services = await Services.open(settings)
    try:
        await warm_name_search(services)
        gc.collect()
        return vm_rss_mib()
    finally:
        await services.close()


def vm_rss_mib() -> float:
    """This process's resident set, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == "VmRSS":
            return int(value.split()[0]) / 1024
    return float("nan")
