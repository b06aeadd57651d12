"""Smoke test for bench/catalogue.py: a tiny first sync and scale run write the JSON it
promises (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "catalogue.py"


def test_bench_catalogue_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "catalogue.json"
    completed = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [
            sys.executable,
            str(SCRIPT),
            "--sync-shows",
            "600",
            "--rate-calls",
            "100",
            "--rate-seconds",
            "1",
            "--shows",
            "700",
            "--queries",
            "20",
            "--json",
            str(out),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    sync = report["first_sync"]
    assert (sync["shows"], sync["mirrored"], sync["pages"]) == (600, 600, sync["calls"] - 1)
    assert sync["rate_limited_429"] == 0
    scale = report["scale"]
    assert scale["known_shows"] >= 700 and scale["startup_s"] > 0
    assert scale["when"]["n"] == 20 and scale["autocomplete"]["n"] == 20
    assert "first sync:" in completed.stdout and "autocomplete: p50" in completed.stdout
