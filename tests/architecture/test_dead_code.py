"""Everything the product ships is used by the product: a function or class that only the
tests (or the benchmarks) call is dead weight in the package. bot/recognition/ is left out
while it is being rewritten."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("bot", "cogs", "db")
NOT_CHECKED = ("recognition", "migrations")
# Called by a framework, never by name in our code.
ENTRY_POINTS = {"setup"}  # discord.py calls each extension's setup(bot)


def _product_files() -> list[Path]:
    return [path for folder in PRODUCT for path in sorted((ROOT / folder).rglob("*.py"))]


def _definitions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
    ]


def _uses(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
    return names


def test_every_public_function_and_class_is_used_by_the_product() -> None:
    files = _product_files()
    used = set().union(*(_uses(path) for path in files))
    unused = [
        f"{path.relative_to(ROOT)}:{name}"
        for path in files
        if not set(NOT_CHECKED) & set(path.parts)
        for name in _definitions(path)
        if name not in used and name not in ENTRY_POINTS
    ]
    assert unused == []


def test_the_check_sees_definitions_and_uses() -> None:
    files = _product_files()
    assert len(files) > 20
    assert "Store" in set().union(*(_uses(path) for path in files))
