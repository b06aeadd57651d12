"""How the C heap gives large blocks back (glibc), set once by the long-running bot.

glibc serves a block over its mmap threshold (128 KiB) from a mapping of its own and
unmaps it when it is freed. But each time such a block is freed it raises the threshold to
that block's size, so later large blocks come from the main heap, where they stay resident
once freed. The bot's largest allocations are passing ones: the tables of the recognition
model's dictionaries while it loads at the first poll are outgrown and freed several times
over, and kept that way they held about 11 MiB of a loaded bot's RSS for good
(`bench/memory.py`). A fixed threshold keeps them returnable; blocks this large are rare
enough that mapping each costs nothing measurable (`bench/medians.py`).
"""

from __future__ import annotations

import ctypes
import logging
import os

log = logging.getLogger(__name__)

_M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
THRESHOLD = 128 * 1024  # glibc's own starting value, held fixed
# glibc reads this at start-up; an operator who set it has chosen, and is followed.
ENVIRONMENT = "MALLOC_MMAP_THRESHOLD_"


def return_large_blocks() -> bool:
    """Hold glibc's mmap threshold at THRESHOLD. False (and nothing changed) where the C
    library is not glibc or the environment sets the threshold already."""
    if os.environ.get(ENVIRONMENT):
        return False
    try:
        # The process's own symbols, libc's among them: no search for the library file.
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    held = bool(mallopt(_M_MMAP_THRESHOLD, THRESHOLD))
    log.debug("glibc mmap threshold held at %d bytes: %s", THRESHOLD, held)
    return held
