"""How many `/when` and autocomplete answers a change to the lookup changes.

    .venv/bin/python bench/lookup_agreement.py --shows 100000 [--old main] [--engine sqlite]

Builds the store `bench/when.py` builds (same shows, announcements and seed), makes its
query mix (typos, prefixes, word order, spin-offs, unknown titles: `when_queries` and
`suggest_prefixes`), then answers every query twice in fresh processes: once with the
code of the git revision `--old` (exported with `git archive`) and once with this tree's.
Prints how many answers differ, by kind of text, and the first few that do. A `/when`
answer is the card's show or the did-you-mean list; an autocomplete answer is the list.
Runs on SQLite (a temporary file) or, with TEST_DATABASE_URL, on PostgreSQL (a
throwaway database).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


async def answer_all(url: str, mix: dict[str, Any]) -> dict[str, Any]:
    """In a child process whose `sys.path` starts with the code to test: answer the
    queries as the running bot does (the known shows loaded, the name search warmed)."""
    from bot.cards import answer_when
    from bot.shows.known import KnownShows
    from db.store import Store

    store = await Store.open(url)
    try:
        known = await KnownShows.load(store)
        await known.warm()
        when = []
        for text, kind in mix["queries"]:
            answer = await answer_when(store, known, text)
            card = answer.card.show.name if answer.card else None
            when.append([kind, text, card, [show.name for show in answer.candidates]])
        suggest = []
        for prefix in mix["prefixes"]:
            suggest.append([prefix, [show.name for show in await known.suggest(prefix, 25)]])
    finally:
        await store.close()
    return {"when": when, "suggest": suggest}


def run_child(code: Path, url: str, queries_file: Path, out: Path) -> dict[str, Any]:
    """`answer_all` with the code in `code` (run from there: an editable install of this
    tree would otherwise be imported first)."""
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(code), url],
        input=json.dumps([str(queries_file), str(out)]),
        cwd=code,
        text=True,
        check=True,
    )
    answers: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return answers


def export(revision: str, into: Path) -> Path:
    """The tree of `revision` of this repository, written under `into`."""
    archive = into / "old.tar"
    with archive.open("wb") as file:
        subprocess.run(["git", "archive", revision], cwd=ROOT, stdout=file, check=True)
    code = into / "old"
    with tarfile.open(archive) as tar:
        tar.extractall(code, filter="data")
    return code


def compare(old: dict[str, Any], new: dict[str, Any], examples: int) -> dict[str, Any]:
    """Counts of differing answers (by kind of `/when` text) and the first few of each."""
    when = [(a, b) for a, b in zip(old["when"], new["when"], strict=True) if a != b]
    suggest = [(a, b) for a, b in zip(old["suggest"], new["suggest"], strict=True) if a != b]
    total = Counter(kind for kind, *_ in old["when"])
    print(
        f"/when: {len(when)} of {len(old['when'])} answers differ "
        f"({1 - len(when) / len(old['when']):.2%} identical)"
    )
    for kind, count in sorted(Counter(a[0] for a, _ in when).items()):
        print(f"  {kind}: {count} of {total[kind]}")
    for a, b in when[:examples]:
        print(f"  {a[0]} {a[1]!r}\n    old: {a[2] or a[3]}\n    new: {b[2] or b[3]}")
    print(
        f"autocomplete: {len(suggest)} of {len(old['suggest'])} answers differ "
        f"({1 - len(suggest) / len(old['suggest']):.2%} identical)"
    )
    for a, b in suggest[:examples]:
        print(f"  {a[0]!r}\n    old: {a[1]}\n    new: {b[1]}")
    return {"when_differ": len(when), "suggest_differ": len(suggest)}


async def build(args: argparse.Namespace, workdir: Path) -> tuple[str, str | None, Path]:
    """The bench's store and query mix; returns the store's URL, the PostgreSQL database
    to drop, and the file of queries."""
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    from generated_catalogue import generate_announcements, generate_shows, popularity, spread
    from generated_queries import suggest_prefixes, when_queries
    from synthetic_store import build_store, open_engine

    rng = random.Random(args.seed)
    shows = generate_shows(args.shows, rng)
    weights = popularity(len(shows), rng)
    news = min(args.news_shows, len(shows))
    counts = spread(args.announcements, weights[:news])
    pairs = generate_announcements(shows[:news], counts, rng)
    queries = when_queries(shows, weights, args.queries, random.Random(args.seed + 2))
    prefixes = suggest_prefixes(shows, weights, args.queries, random.Random(args.seed + 3))
    store, database, url = await open_engine(args.engine, workdir)
    try:
        await build_store(
            store, shows, pairs, args.watches, weights, random.Random(args.seed + 1), news=news
        )
    finally:
        await store.close()
    queries_file = workdir / "queries.json"
    queries_file.write_text(json.dumps({"queries": queries, "prefixes": prefixes}))
    return url, database, queries_file


async def drop(database: str) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic_store import drop_database

    await drop_database(os.environ["TEST_DATABASE_URL"], database)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        code, url = Path(sys.argv[2]), sys.argv[3]
        sys.path.insert(0, str(code))
        queries_file, out = json.loads(sys.stdin.read())
        mix = json.loads(Path(queries_file).read_text(encoding="utf-8"))
        answers = asyncio.run(answer_all(url, mix))
        Path(out).write_text(json.dumps(answers), encoding="utf-8")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--shows", type=int, default=100_000)
    parser.add_argument("--news-shows", type=int, default=10_000)
    parser.add_argument("--announcements", type=int, default=200_000)
    parser.add_argument("--watches", type=int, default=1_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=20240601, help="bench/when.py's")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--old", default="main", help="the git revision to compare with")
    parser.add_argument("--examples", type=int, default=10, help="differing answers shown")
    args = parser.parse_args()
    if args.engine == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        parser.error("--engine postgresql needs TEST_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="bench-agreement-") as tmp:
        workdir = Path(tmp)
        old_code = export(args.old, workdir)
        url, database, queries_file = asyncio.run(build(args, workdir))
        try:
            old = run_child(old_code, url, queries_file, workdir / "old.json")
            new = run_child(ROOT, url, queries_file, workdir / "new.json")
        finally:
            if database is not None:
                asyncio.run(drop(database))
    print(f"\n{args.engine}, {args.shows:,} shows: {args.old} against this tree")
    compare(old, new, args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
