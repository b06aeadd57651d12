"""A stale compiled build is refused with a one-line fix, instead of running old code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.native import check_extensions, stale_extensions

_SUFFIX = ".cpython-311-x86_64-linux-gnu.so"


def _module(root: Path, name: str, *, source_age: int, build_age: int) -> Path:
    source = root / f"{name}.py"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("x = 1\n", encoding="utf-8")
    extension = root / f"{name}{_SUFFIX}"
    extension.write_bytes(b"")
    os.utime(source, (1_000_000 - source_age, 1_000_000 - source_age))
    os.utime(extension, (1_000_000 - build_age, 1_000_000 - build_age))
    return extension


def test_no_build_and_a_fresh_build_pass(tmp_path: Path) -> None:
    root = tmp_path / "bot"
    (root / "recognition").mkdir(parents=True)
    (root / "recognition" / "_reader.py").write_text("x = 1\n", encoding="utf-8")
    assert stale_extensions(root) == []
    _module(root / "recognition", "_spans", source_age=100, build_age=10)
    check_extensions(root)


def test_an_extension_older_than_its_source_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "bot"
    _module(root, "names", source_age=100, build_age=10)
    stale = _module(root / "recognition", "_reader", source_age=10, build_age=100)
    assert stale_extensions(root) == [stale]
    with pytest.raises(ImportError, match=r"_reader.*bench/native.py build"):
        check_extensions(root)
