"""Medians over several runs of bench/ingest.py, so that quoted figures are not one lucky run.

    python bench/medians.py                       # 5 runs of the 500-feed ingest benchmark
    python bench/medians.py --runs 3 -- --feeds 3 --sample 2   # smoke size (CI)

Each run is a fresh process (`bench/ingest.py`, any arguments after `--` passed on). A
ratio is taken within its run (both sides measured on the same machine at the same moment)
and then the median of the runs' ratios is given, with their spread. Targets (issue 15):
changed-feed pipeline with recognition ≤ 10× a raw lxml parse; store-only under 5×; the
unchanged cycle of 500 feeds under 2 s wall. Prints a table and writes JSON (default
bench/results/medians.json).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

RECOGNISE_LIMIT, STORE_LIMIT, UNCHANGED_LIMIT_S = 10.0, 5.0, 2.0


def _cycle(result: dict[str, Any], sink: str, cycle: str) -> dict[str, Any] | None:
    for found in result["cycles"]:
        if found.get("sink") == sink and found.get("cycle") == cycle and "wall_s" in found:
            return dict(found)
    return None


def figures(result: dict[str, Any]) -> dict[str, float]:
    """The figures of one run of bench/ingest.py."""
    lxml_ms = result["parse"]["lxml_fromstring_ms"]
    out = {
        "lxml_ms": lxml_ms,
        "parse_feed_ms": result["parse"]["parse_feed_ms"],
        "parse_feed_over_lxml": result["parse"]["parse_feed_ms"] / lxml_ms,
        "feedparser_over_parse_feed": (
            result["parse"]["feedparser_default_ms"] / result["parse"]["parse_feed_ms"]
        ),
    }
    for sink in ("store", "recognise"):
        for cycle in ("changed", "unchanged"):
            found = _cycle(result, sink, cycle)
            if found is None:
                continue
            out[f"{sink}_{cycle}_cpu_ms_per_feed"] = found["cpu_ms_per_feed"]
            out[f"{sink}_{cycle}_over_lxml"] = found["cpu_ms_per_feed"] / lxml_ms
            # Scaled to 500 feeds, as the target is put.
            out[f"{sink}_{cycle}_wall_s_per_500"] = found["wall_s"] * 500 / result["feeds"]
    return out


def run_once(extra: Sequence[str], out: Path) -> dict[str, Any]:
    """One run of bench/ingest.py in a process of its own; its JSON."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ingest.py"), *extra, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench/ingest.py failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def summarise(runs: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Median, min and max of each figure over the runs."""
    names = [name for name in runs[0] if all(name in run for run in runs)]
    return {
        name: {
            "median": statistics.median(run[name] for run in runs),
            "min": min(run[name] for run in runs),
            "max": max(run[name] for run in runs),
        }
        for name in names
    }


def targets(medians: dict[str, dict[str, float]]) -> dict[str, bool]:
    """The issue's targets, judged on the medians."""
    judged: dict[str, bool] = {}
    if "recognise_changed_over_lxml" in medians:
        judged["recognise_changed_le_10x_lxml"] = (
            medians["recognise_changed_over_lxml"]["median"] <= RECOGNISE_LIMIT
        )
    if "store_changed_over_lxml" in medians:
        judged["store_changed_lt_5x_lxml"] = (
            medians["store_changed_over_lxml"]["median"] < STORE_LIMIT
        )
    walls = [v["median"] for k, v in medians.items() if k.endswith("unchanged_wall_s_per_500")]
    judged["unchanged_wall_lt_2s_per_500"] = all(wall < UNCHANGED_LIMIT_S for wall in walls)
    return judged


def print_table(runs: list[dict[str, float]], medians: dict[str, dict[str, float]]) -> None:
    print(f"{'figure':<36}{'median':>9}{'min':>9}{'max':>9}   runs")
    for name, row in medians.items():
        each = " ".join(f"{run[name]:.2f}" for run in runs)
        print(f"{name:<36}{row['median']:9.2f}{row['min']:9.2f}{row['max']:9.2f}   {each}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of bench/ingest.py (5)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "medians.json", help="JSON"
    )
    parser.add_argument("extra", nargs="*", help="after --: arguments for bench/ingest.py")
    args = parser.parse_args(argv)
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(args.runs):
            result = run_once(args.extra, Path(scratch) / f"ingest-{number}.json")
            runs.append(figures(result))
            print(f"run {number + 1} of {args.runs} done", flush=True)
    medians = summarise(runs)
    judged = targets(medians)
    print()
    print_table(runs, medians)
    print()
    for name, met in judged.items():
        print(f"  {name}: {met}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "benchmark": "medians",
                "when": datetime.now(UTC).isoformat(),
                "python": platform.python_version(),
                "machine": platform.machine(),
                "ingest_arguments": args.extra,
                "runs": runs,
                "medians": medians,
                "targets": judged,
            },
            indent=2,
        )
    )
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
