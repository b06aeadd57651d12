"""The event-loop lag benchmark still runs, at a tiny size (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_loop_lag_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "loop_lag.json"
    completed = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [
            sys.executable,
            "bench/loop_lag.py",
            "--feeds",
            "3",
            "--idle-seconds",
            "0.2",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(out.read_text())
    changed = result["changed"]
    assert changed["cycle"]["outcomes"] == {"updated": 3}
    assert changed["cycle"]["entries_new"] == 3 * 5
    assert changed["lag"]["count"] > 0 and changed["when"]["count"] > 0
    assert set(result["summary"]) >= {"lag_p99_ms", "lag_max_ms", "target_lag_p99_le_10ms"}
    assert "event-loop lag" in completed.stdout
