"""Whether a compiled build of the bot's modules (`python bench/native.py build`) is
stale: Python imports an extension before its `.py`, so an extension older than its
source would run the old code while the edited source is silently ignored."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def stale_extensions(root: Path = PACKAGE) -> list[Path]:
    """The extensions under `root` older than the `.py` beside them (empty when no build
    was made, as in a plain install)."""
    stale: list[Path] = []
    # The build compiles modules of the package and of its subpackages, one level down.
    for extension in sorted([*root.glob("*.so"), *root.glob("*/*.so")]):
        source = extension.with_name(extension.name.split(".", 1)[0] + ".py")
        if source.exists() and source.stat().st_mtime > extension.stat().st_mtime:
            stale.append(extension)
    return stale


def check_extensions(root: Path = PACKAGE) -> None:
    """Refuse to run a stale build, saying how to fix it in one line."""
    stale = stale_extensions(root)
    if stale:
        names = ", ".join(str(path.relative_to(root.parent)) for path in stale[:3])
        raise ImportError(
            f"compiled modules are older than their sources ({names}): "
            "run `python bench/native.py build` again, or `python bench/native.py clean`"
        )
