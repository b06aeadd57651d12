"""bot/heap.py: with glibc's mmap threshold held, large blocks that are freed leave the
process; with glibc's own rule they stay resident. Each case runs in a process of its own."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from bot import heap

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)

# Frees one 4 MiB block (glibc's own rule then raises its threshold to 4 MiB), fills and
# frees 32 blocks of 512 KiB below a block that stays, and prints how much of them stays
# resident.
CHILD = """
import sys
from bot.heap import return_large_blocks

def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

held = return_large_blocks() if sys.argv[1] == "held" else False
big = b"x" * (4 << 20)
del big
before = rss()
blocks = [b"x" * (512 << 10) for _ in range(32)]
pin = b"x" * (100 << 10)
del blocks
print(held, rss() - before)
"""


def _resident_after_freeing(case: str) -> tuple[str, float]:
    done = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, "-c", CHILD, case],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != heap.ENVIRONMENT},
            "PYTHONPATH": str(ROOT),
        },
    )
    held, mib = done.stdout.split()
    return held, float(mib)


def test_held_threshold_gives_freed_large_blocks_back() -> None:
    held, resident = _resident_after_freeing("held")
    assert held == "True" and resident < 4
    held, resident = _resident_after_freeing("glibc's own rule")
    assert held == "False" and resident > 12  # of 16 MiB freed


def test_an_operator_setting_is_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(heap.ENVIRONMENT, "1048576")
    assert heap.return_large_blocks() is False
