"""The layout is the architecture: these tests keep it honest."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DISCORD_WIRING = {ROOT / "bot" / "client.py"}
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s+.*\b(FROM|INTO|SET|WHERE)\b", re.I)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_domain_never_imports_discord() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _modules("bot")
        if path not in DISCORD_WIRING and "discord" in _imports(path)
    ]
    assert offenders == []


def test_storage_never_imports_discord() -> None:
    assert [p for p in _modules("db") if "discord" in _imports(p)] == []


def test_cogs_contain_no_sql() -> None:
    offenders = []
    for path in _modules("cogs"):
        imports = _imports(path)
        text = path.read_text(encoding="utf-8")
        if "sqlalchemy" in imports or SQL.search(text) or "db.schema" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_checks_see_the_files() -> None:
    # Guards the guards: if the layout moved, the tests above would pass vacuously.
    assert len(_modules("bot")) > 5 and len(_modules("db")) > 5
