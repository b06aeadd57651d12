"""Files the training scripts generate and commit: written, or checked against a fresh
build (`--check`), so a test can tell when the committed file is stale."""

from __future__ import annotations

from pathlib import Path


def write_or_check(path: Path, text: str, *, check: bool, written: str) -> int:
    """With `check`, compare `text` with the committed file (exit status 1 on a
    difference); otherwise write it and print `written`."""
    if check:
        same = path.read_text(encoding="utf-8") == text
        print(f"{path.name} is up to date" if same else f"{path.name} differs from a fresh build")
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(written)
    return 0
