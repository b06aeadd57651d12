"""Smoke test for bench/fanout.py: 20 watches through the fake Discord with its rate limits
on, and the JSON it promises.

Benchmarks measure speed; this only checks the script works (no timing is asserted).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "fanout.py"


def test_bench_fanout_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "fanout.json"
    completed = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, str(SCRIPT), "--watches", "20", "--json", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "msgs/s" in completed.stdout

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["bench"] == "fanout"
    assert report["params"]["watches"] == 20
    assert report["params"]["global_rate"] == 50
    assert report["params"]["delivery_rate"] > 0
    assert report["queued"] == 20
    assert report["deliveries"] == 20
    assert report["outbox"] == {"sent": 20}
    assert report["lost"] == 0
    assert report["duplicated"] == 0
    for key in ("wall_s", "msgs_per_s", "ratio_of_limit", "setup_s", "connect_s"):
        assert isinstance(report[key], (int, float)), key
    assert set(report["http_429"]) == {"global", "per_route", "total"}
    assert report["post_requests"] == 20 + report["http_429"]["total"]
    assert report["worker_attempts"]["total"] >= 20
    latency = report["latency_s"]
    assert latency["n"] == 20
    assert 0 <= latency["p50"] <= latency["p99"] <= latency["max"]
