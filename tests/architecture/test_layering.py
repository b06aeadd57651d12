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


def _module_imports(path: Path) -> set[str]:
    """Every module `path` imports, by its full dotted name (`from a import b` gives a.b
    as well as a, since b may be a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _path_of(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports_db(module: str, seen: set[str]) -> bool:
    """Whether `module` imports anything from db/, directly or through bot modules."""
    if module in seen:
        return False
    seen.add(module)
    path = _path_of(module)
    if path is None:
        return False
    for name in _module_imports(path):
        if name == "db" or name.startswith("db."):
            return True
        if name.startswith("bot.") and _imports_db(name, seen):
            return True
    return False


# Modules that decide without doing I/O: they take records in and give decisions out.
PURE = (
    "bot.models",
    "bot.records",
    "bot.clock",
    "bot.feeds.decide",
    "bot.feeds.health",
    "bot.feeds.normalise",
    "bot.feeds.lxml_reader",
    "bot.feeds.parse",
    "bot.feeds.urls",
    "bot.state",
    "bot.state.alerts",
    "bot.state.fold",
    "bot.state.fold_codec",
    "bot.state.fold_step",
    "bot.state.fold_walk",
    "bot.state.summary_state",
    "bot.state.timeline",
    "bot.recognition",
    "bot.shows.catalogue",
    "bot.shows.fuzzy",
    "bot.shows.lookup",
    "bot.shows.names",
    "bot.alerts.message",
    "bot.wording",
)


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


def test_pure_modules_import_nothing_from_db() -> None:
    assert [module for module in PURE if _imports_db(module, set())] == []


def test_the_domain_owns_its_records() -> None:
    # The records the store keeps are defined in bot/records.py; db/ only maps them to rows.
    defined_in_db = [
        f"{path.relative_to(ROOT)}:{node.name}"
        for path in _modules("db")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any("dataclass" in ast.unparse(decorator) for decorator in node.decorator_list)
    ]
    assert defined_in_db == []


def test_the_store_depends_on_the_domain_never_the_reverse() -> None:
    # db/ may use domain modules, but only ones that never lead back into db/.
    used_by_db = {
        name
        for path in _modules("db")
        for name in _module_imports(path)
        if name.startswith("bot.") and _path_of(name) is not None
    }
    assert used_by_db, "db/ should read and write the domain's records"
    assert sorted(name for name in used_by_db if _imports_db(name, set())) == []


def test_the_checks_see_the_files() -> None:
    # Guards the guards: if the layout moved, the tests above would pass vacuously.
    assert len(_modules("bot")) > 5 and len(_modules("db")) > 5
    assert all(_path_of(module) is not None for module in PURE)
    assert _imports_db("bot.feeds.poller", set())  # the walk does find db imports
