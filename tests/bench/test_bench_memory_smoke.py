"""Smoke test for bench/memory.py: both scenarios at a tiny size, each in its own child
process, and the JSON it promises.

Benchmarks measure memory; this only checks the script works (no figure is asserted).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "memory.py"
STAGES = ["python", "imports", "services", "feed_runtime", "connected", "settled"]


def test_bench_memory_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "memory.json"
    completed = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [
            sys.executable,
            str(SCRIPT),
            "--feeds",
            "3",
            "--shows",
            "30",
            "--announcements",
            "50",
            "--watches",
            "3",
            "--settle",
            "0.2",
            "--no-heap",
            "--json",
            str(out),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "peak/target" in completed.stdout

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["bench"] == "memory"
    assert report["params"]["feeds"] == 3
    assert set(report["targets_mib"]) == {"idle", "loaded"}
    assert set(report["scenarios"]) == {"idle", "loaded"}
    for name, scenario in report["scenarios"].items():
        assert list(scenario["stages"]) == STAGES, name
        assert set(scenario["status"]) >= {"VmRSS", "VmHWM"}, name
        for key in ("rss_mib", "peak_rss_mib", "target_mib", "peak_over_target"):
            assert isinstance(scenario[key], (int, float)), (name, key)
        assert scenario["heap"] is None  # --no-heap
        assert scenario["refused_connections"] == [], name  # nothing left 127.0.0.1
        assert scenario["unknown_routes"] == [], name
        counts = scenario["counts"]
        assert counts["guilds"] == 1
        assert counts["app_commands"] > 0
    idle, loaded = report["scenarios"]["idle"], report["scenarios"]["loaded"]
    assert idle["counts"]["feeds_scheduled"] == 1  # the local feed; no default was seeded
    assert loaded["counts"]["feeds_scheduled"] == 3
    assert loaded["store"]["counts"]["feeds"] == 3
