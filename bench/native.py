"""Compile recognition's hot modules with mypyc, in place, or remove what that built.

    python bench/native.py build    # C extensions beside the modules (needs a C compiler)
    python bench/native.py clean    # back to pure Python

Opt-in, for a deployment or a measurement: the bot and its tests run the same without it.
A built extension shadows its `.py` (Python imports an extension first), so after editing
a listed module rebuild or clean, or the old code keeps running. `python bench/native.py
status` lists what is built. The outputs are the same either way (mypyc keeps Python's
semantics, and every listed module's annotations hold at run time); recognition costs about
0.7x the time per entry (`bench/recognition_speed.py`, paired runs against pure Python).

Left out: `_features` (mypyc cannot yet compile its generic dataclass) and the modules
recognition does not spend time in.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = (
    "bot/case_blind.py",
    "bot/recognition/__init__.py",
    "bot/recognition/_candidates.py",
    "bot/recognition/_dates.py",
    "bot/recognition/_findings.py",
    "bot/recognition/_lists.py",
    "bot/recognition/_model.py",
    "bot/recognition/_names.py",
    "bot/recognition/_networks.py",
    "bot/recognition/_number_words.py",
    "bot/recognition/_options.py",
    "bot/recognition/_phrases.py",
    "bot/recognition/_reader.py",
    "bot/recognition/_season_for_show.py",
    "bot/recognition/_season_patterns.py",
    "bot/recognition/_season_refs.py",
    "bot/recognition/_sentences.py",
    "bot/recognition/_showname.py",
    "bot/recognition/_span_features.py",
    "bot/recognition/_spans.py",
    "bot/recognition/_text.py",
    "bot/recognition/_traps.py",
    "bot/recognition/_unannounced.py",
    "bot/recognition/_value_cues.py",
    "bot/recognition/_value_options.py",
    "bot/recognition/_windows.py",
    "bot/recognition/_window_ranges.py",
    "bot/shows/catalogue.py",
    "bot/shows/names.py",
    "bot/shows/title_context.py",
)
# The project's mypy settings name modules outside this list, which mypyc (as mypy with
# `warn_unused_configs`) would stop at.
_CONFIG = "[mypy]\npython_version = 3.11\nignore_missing_imports = True\n"


def built() -> list[Path]:
    """The extensions a build left beside the listed modules (and mypyc's shared one)."""
    found = [p for m in MODULES for p in (ROOT / m).parent.glob(f"{Path(m).stem}.*.so")]
    return found + sorted(ROOT.glob("*__mypyc.*.so"))


def clean() -> None:
    """Remove every extension a build made, and its build directory."""
    for path in built():
        path.unlink()
    shutil.rmtree(ROOT / "build", ignore_errors=True)


def build() -> int:
    """Compile the listed modules in place (a fresh build: nothing stale stays)."""
    clean()
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "mypy.ini"
        config.write_text(_CONFIG, encoding="utf-8")
        command = [sys.executable, "-m", "mypyc", "--config-file", str(config), *MODULES]
        done = subprocess.run(command, cwd=ROOT, check=False)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    return done.returncode


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("build", "clean", "status"))
    args = parser.parse_args(argv)
    if args.action == "build":
        return build()
    if args.action == "clean":
        clean()
        return 0
    for path in built():
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
