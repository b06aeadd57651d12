"""This process's memory as Linux reports it: VmRSS, its peak, and what is left once
the C heap's free memory is handed back.

Used inside bench/memory.py's child, before the bot is imported, so standard library only:
anything imported here would be counted as the bot's.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path


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
