"""Benchmark: start-up, the `/when` domain call and autocomplete over a big store.

Builds a store with N shows (the shipped catalogue plus generated names, some with
subtitles, spin-offs and aliases): the first `--news-shows` of them are in the news (M
announcements about them: seasons 1-6 and unstated, every event, many outlets and
certainties; W watches), the rest are shows only TVmaze knows of, as the mirror makes
them. Every touched season is folded into its state. Then, on each engine:

* start-up to first answer: the wall time of `python -m bot when citadel` in a fresh
  process (imports, store, migration check, loading the known shows, the answer), the
  median of `--startup-runs`;
* idle RSS: a fresh process with discord.py and the bot's modules imported and the
  services open (the known shows loaded), VmRSS after a collection, the median of the same
  number of runs;
* Q random user queries, `--runs` passes (the figures are the medians over the passes):
  `/when`: `await answer_when(store, known, query)`, exactly what the cog calls, and the
  lookup alone (`known.lookup`); autocomplete: `known.suggest(prefix, limit=25)` on
  prefixes of 1-12 characters.

With `--shows` above `--baseline` (10,000), the same is first measured at the baseline
size and every figure is also printed as a ratio against it: the costs that must stay
flat as the catalogue grows. It runs on SQLite (a temporary file) and, when
TEST_DATABASE_URL is set, on PostgreSQL (in a throwaway database, dropped at the end).
Prints a table and writes JSON.

    .venv/bin/python bench/when.py                        # 10k shows, 200k announcements
    .venv/bin/python bench/when.py --shows 100000         # and the ratios against 10k
    .venv/bin/python bench/when.py --shows 50 --announcements 300 --watches 10 --queries 20
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.cards import answer_when  # noqa: E402
from bot.models import Announcement, Certainty, Event, Show, Source, Window  # noqa: E402
from bot.services import keep_loop_smooth  # noqa: E402
from bot.shows.catalogue import Catalogue  # noqa: E402
from bot.shows.known import KnownShows  # noqa: E402
from bot.shows.names import name_key  # noqa: E402
from bot.state.fold import fold_season  # noqa: E402
from db.store import Store  # noqa: E402

TARGET_WHEN_P99_MS = 5.0
TARGET_SUGGEST_P99_MS = 5.0
TARGET_STARTUP_S = 1.0
TARGET_RSS_MIB = 150.0
RSS_RESULT = "WHEN-RSS "
BATCH = 1000  # announcements per multi-row INSERT (16 columns: under both engines' limits)
TX_BATCHES = 20  # INSERT batches per write transaction
STATES_PER_TX = 5000
DEFAULT_JSON = ROOT / "bench" / "results" / "when.json"

# -- names -------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ADJECTIVES = _words(
    "Dark Silent Broken Golden Lost Hidden Last Wild Crimson Bright Cold Burning Hollow "
    "Sacred Savage Quiet Little Big Young Perfect Wicked Blue Black White Red Iron Glass "
    "Velvet Electric Midnight Northern Southern Eternal Fallen Restless Strange Secret Royal "
    "Modern Final Endless Twisted Lucky Happy Bitter Sweet Brave Deadly Gentle Scarlet Frozen "
    "Rogue Silver Shattered Forgotten Violent Tender Lonely Reckless Holy"
)
NOUNS = _words(
    "Kingdom Empire Harbor River Station Frontier Legacy Witness Hunters Sisters Brothers "
    "Doctors Lawyers Detectives Agency Academy Hospital Precinct Ranch Valley Island Crown "
    "Throne Circle Signal Protocol Dynasty Outlaws Rangers Pilots Games Lies Secrets Shadows "
    "Echoes Storm Tide Fire Code Files Chronicles Diaries Affair Heist Club Family House Hotel "
    "Garden Road Bridge Tower Mountain Desert Ocean Orbit Colony Republic Company Nation "
    "Division Squad Unit Line Border Crossing Patrol Syndicate Cartel Society Order Union "
    "Reckoning Uprising Awakening Exodus Genesis Horizon Paradise Kingdoms Wolves Ravens"
)
PLACES = _words(
    "Chicago Boston Miami Atlanta Brooklyn Texas Alaska Hawaii Vegas Seattle London Paris "
    "Berlin Tokyo Dublin Sydney Montana Denver Nashville Detroit Memphis Phoenix Toronto "
    "Vancouver Glasgow Oslo Naples Havana Lagos Mumbai Seoul Cairo Tulsa Savannah Sedona"
)
FIRST_NAMES = _words(
    "Maggie Frankie Jack Harper Elena Marcus Nora Danny Ruby Sam Theo Iris Leo Mabel Oscar "
    "Hazel Felix Vera Hugo Stella Milo Clara Ezra Ada Silas June Jasper Olive Rosa Abbott"
)
SURNAMES = _words(
    "Reyes Walker Sloane Carter Hayes Monroe Quinn Baxter Delgado Fischer Okafor Novak "
    "Lindqvist Moreau Castillo Hart Whitaker Sterling Vance Kowalski Brennan Ashby Thorne"
)
SUBTITLES = (
    "Origins",
    "Legacy",
    "The Next Chapter",
    "Homecoming",
    "Resurrection",
    "The Early Years",
    "Uprising",
    "New Blood",
    "Lone Star",
    "Rebirth",
    "The Lost Years",
    "Aftermath",
)
NETWORKS = (
    "Netflix",
    "HBO",
    "Max",
    "Apple TV+",
    "Prime Video",
    "Disney+",
    "Hulu",
    "Paramount+",
    "Peacock",
    "ABC",
    "NBC",
    "CBS",
    "Fox",
    "The CW",
    "FX",
    "AMC",
    "Starz",
    "Showtime",
    "BBC One",
    "ITV",
    "Channel 4",
    "Sky",
)
OUTLETS = (
    ("Deadline", "deadline.com"),
    ("Variety", "variety.com"),
    ("TVLine", "tvline.com"),
    ("The Hollywood Reporter", "hollywoodreporter.com"),
    ("Collider", "collider.com"),
    ("Vulture", "vulture.com"),
    ("IndieWire", "indiewire.com"),
    ("Screen Rant", "screenrant.com"),
    ("TV Insider", "tvinsider.com"),
    ("Entertainment Weekly", "ew.com"),
    ("Decider", "decider.com"),
    ("What's on Netflix", "whats-on-netflix.com"),
    ("Den of Geek", "denofgeek.com"),
    ("Digital Spy", "digitalspy.com"),
    ("Radio Times", "radiotimes.com"),
)


def generate_shows(count: int, rng: random.Random) -> list[Show]:
    """The shipped catalogue (as much of it as fits) plus generated shows, `count` in all,
    with distinct name keys."""
    result: list[Show] = []
    keys: set[str] = set()

    def keep(show: Show) -> None:
        key = name_key(show.name)
        if key and key not in keys and len(result) < count:
            keys.add(key)
            result.append(show)

    for show in Catalogue.default():
        keep(Show(name=show.name, aliases=show.aliases, network=show.network))
    patterns: list[tuple[float, Callable[[], str]]] = [
        (3, lambda: f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"),
        (3, lambda: f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"),
        (2, lambda: f"{rng.choice(NOUNS)} of {rng.choice(PLACES)}"),
        (1, lambda: f"The {rng.choice(NOUNS)} of {rng.choice(PLACES)}"),
        (2, lambda: f"{rng.choice(PLACES)} {rng.choice(NOUNS)}"),
        (2, lambda: f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"),
        (1, lambda: rng.choice(SURNAMES)),
        (1, lambda: f"{rng.choice(FIRST_NAMES)}'s {rng.choice(NOUNS)}"),
        (1, lambda: f"{rng.choice(NOUNS)} & {rng.choice(NOUNS)}"),
        (1, lambda: f"{rng.choice(NOUNS)} {rng.randint(2, 99)}"),
        (1, lambda: f"{rng.choice(ADJECTIVES)} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"),
        (1, lambda: f"A {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} in {rng.choice(PLACES)}"),
    ]
    weights = [w for w, _ in patterns]
    makers = [m for _, m in patterns]
    attempts = 0
    while len(result) < count:
        attempts += 1
        if attempts > count * 200:
            raise RuntimeError(f"could not generate {count} distinct show names")
        if result and rng.random() < 0.12:  # a spin-off of an earlier show
            base = rng.choice(result).name.split(":")[0]
            kind = rng.random()
            if kind < 0.4:
                name = f"{base}: {rng.choice(PLACES)}"
            elif kind < 0.7:
                name = f"{base}: {rng.choice(SUBTITLES)}"
            elif kind < 0.85:
                name = f"{base}: {rng.choice(FIRST_NAMES)}"
            else:
                name = f"{base} {rng.choice(PLACES)}"
        else:
            name = rng.choices(makers, weights)[0]()
        aliases: tuple[str, ...] = ()
        words = [w for w in name.replace(":", " ").split() if w[0].isalpha()]
        if len(words) >= 3 and rng.random() < 0.3:
            aliases = ("".join(w[0] for w in words).upper(),)  # "TDK"
        keep(Show(name=name, aliases=aliases, network=rng.choice(NETWORKS)))
    return result


# -- announcements -----------------------------------------------------------------------

EVENTS = (
    (Event.RENEWED, 30),
    (Event.PREMIERE_DATE, 20),
    (Event.PREMIERE_WINDOW, 20),
    (Event.CANCELLED, 12),
    (Event.ENDING, 8),
)
CERTAINTIES = ((Certainty.OFFICIAL, 45), (Certainty.REPORTED, 40), (Certainty.SPECULATION, 15))
START = datetime(2019, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime(2025, 6, 1, tzinfo=UTC) - START).total_seconds())
WINDOW_WORDS = (
    ("early", 1, 4),
    ("spring", 3, 5),
    ("summer", 6, 8),
    ("fall", 9, 11),
    ("late", 9, 12),
    ("winter", 12, 12),
)


def popularity(count: int, rng: random.Random) -> list[float]:
    """A long-tailed weight per show (some shows are in the news far more than others)."""
    weights = [1.0 / math.sqrt(rank + 1) for rank in range(count)]
    rng.shuffle(weights)
    return weights


def spread(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split over shows in proportion to `weights` (largest remainders)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: counts[i] - exact[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _window(published: date, rng: random.Random) -> Window:
    year = published.year + rng.choice((0, 1, 1))
    word, first, last = rng.choice(WINDOW_WORDS)
    start = date(year, first, 1)
    end = date(year, last, 28)
    return Window(start=start, end=end, text=f"{word} {year}")


def generate_announcements(
    shows: Sequence[Show], counts: Sequence[int], rng: random.Random
) -> list[tuple[int, Announcement]]:
    """(index into `shows`, announcement) pairs, in published order (undated ones last)."""
    events = [event for event, _ in EVENTS]
    event_weights = [weight for _, weight in EVENTS]
    certainties = [certainty for certainty, _ in CERTAINTIES]
    certainty_weights = [weight for _, weight in CERTAINTIES]
    pairs: list[tuple[int, Announcement]] = []
    for index, (show, count) in enumerate(zip(shows, counts, strict=True)):
        latest = rng.randint(1, 6)
        seasons = list(range(1, latest + 1))
        season_weights = [s * s for s in seasons]  # news is mostly about the newest seasons
        for _ in range(count):
            season = None if rng.random() < 0.1 else rng.choices(seasons, season_weights)[0]
            event = rng.choices(events, event_weights)[0]
            certainty = rng.choices(certainties, certainty_weights)[0]
            outlet, domain = rng.choice(OUTLETS)
            published = (
                None
                if rng.random() < 0.03
                else START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
            )
            day = (published or START).date()
            what = f"season {season}" if season else "the show"
            premiere: date | None = None
            window: Window | None = None
            if event is Event.PREMIERE_DATE:
                premiere = day + timedelta(days=rng.randint(14, 400))
                evidence = f"premieres {premiere:%B} {premiere.day}"
            elif event is Event.PREMIERE_WINDOW:
                window = _window(day, rng)
                evidence = f"returns in {window.text}"
            else:
                evidence = {
                    Event.RENEWED: f"renewed for {what}",
                    Event.CANCELLED: "cancelled",
                    Event.ENDING: f"{what} will be the last",
                }[event]
            title = f"{show.name} {evidence}"
            slug = "-".join(name_key(title).replace(":", " ").split())[:80]
            source = Source(
                outlet=outlet,
                link=f"https://{domain}/{day.year}/{day.month:02d}/{slug}-{rng.randrange(10**6)}/",
                published=published,
                title=title,
            )
            item = Announcement(
                show=show.name,
                event=event,
                certainty=certainty,
                evidence=evidence,
                source=source,
                season=season,
                date=premiere,
                window=window,
                network=show.network if rng.random() < 0.5 else None,
            )
            pairs.append((index, item))
    far = datetime.max.replace(tzinfo=UTC)
    pairs.sort(key=lambda pair: pair[1].source.published or far)
    return pairs


# -- queries -----------------------------------------------------------------------------

KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def typo(text: str, rng: random.Random) -> str:
    """One slip of the finger in a word of at least four letters."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:  # dropped letter
        word = word[:at] + word[at + 1 :]
    elif kind == 1:  # swapped letters
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == 2:  # wrong letter
        word = word[:at] + rng.choice(KEYBOARD) + word[at + 1 :]
    else:  # doubled letter
        word = word[:at] + word[at] + word[at:]
    words[i] = word
    return " ".join(words)


def variation(show: Show, rng: random.Random) -> tuple[str, str]:
    """What a user might type for `show`, and the kind of variation."""
    name = show.name
    roll = rng.random()
    if roll < 0.18:
        return name, "exact"
    if roll < 0.38:
        return name.lower(), "lower"
    if roll < 0.45:
        if name.lower().startswith("the "):
            return name[4:].lower(), "no_article"
        return f"the {name.lower()}", "added_article"
    if roll < 0.63:
        return typo(name.lower(), rng), "typo"
    if roll < 0.68:
        return typo(typo(name.lower(), rng), rng), "two_typos"
    if roll < 0.78:
        cut = max(3, int(len(name) * rng.uniform(0.4, 0.8)))
        return name[:cut].lower().rstrip(), "prefix"
    if roll < 0.88:
        if ":" in name:
            base, _, sub = name.partition(":")
            return (f"{base} {sub.strip()}".lower() if rng.random() < 0.7 else sub.strip()), (
                "spin_off"
            )
        return " ".join(reversed(name.lower().split())), "word_order"
    if roll < 0.93 and show.aliases:
        return rng.choice(show.aliases), "alias"
    if roll < 0.96:
        return name.upper(), "upper"
    junk = " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8)))
        for _ in range(rng.randint(1, 3))
    )
    return junk, "unknown"


def when_queries(
    shows: Sequence[Show], weights: Sequence[float], count: int, rng: random.Random
) -> list[tuple[str, str]]:
    """`count` (query, kind): mostly popular shows, some drawn uniformly."""
    queries = []
    for _ in range(count):
        show = rng.choices(shows, weights)[0] if rng.random() < 0.7 else rng.choice(shows)
        queries.append(variation(show, rng))
    return queries


def suggest_prefixes(
    shows: Sequence[Show], weights: Sequence[float], count: int, rng: random.Random
) -> list[str]:
    """`count` autocomplete inputs: 1-12 characters of a (varied) show name."""
    prefixes = []
    for _ in range(count):
        show = rng.choices(shows, weights)[0] if rng.random() < 0.7 else rng.choice(shows)
        text, _ = variation(show, rng)
        length = rng.randint(1, 12)
        prefixes.append(text[:length] or text[:1] or "a")
    return prefixes


# -- measuring ---------------------------------------------------------------------------


def percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary(seconds: Sequence[float], target_ms: float | None = None) -> dict[str, Any]:
    """p50/p90/p99/max/mean in ms, and p99 ÷ target when there is a target."""
    ordered = sorted(s * 1000 for s in seconds)
    result: dict[str, Any] = {
        "n": len(ordered),
        "p50_ms": percentile(ordered, 50),
        "p90_ms": percentile(ordered, 90),
        "p99_ms": percentile(ordered, 99),
        "max_ms": ordered[-1] if ordered else float("nan"),
        "mean_ms": sum(ordered) / len(ordered) if ordered else float("nan"),
    }
    if target_ms is not None:
        result["target_p99_ms"] = target_ms
        result["p99_over_target"] = result["p99_ms"] / target_ms
    return result


async def build_store(
    store: Store,
    shows: Sequence[Show],
    pairs: Sequence[tuple[int, Announcement]],
    watch_count: int,
    weights: Sequence[float],
    rng: random.Random,
    news: int | None = None,
) -> dict[str, Any]:
    """Fill `store`: the first `news` shows (all by default) as the news's (the
    catalogue's), the others as TVmaze's; returns build timings and counts."""
    news = len(shows) if news is None else news
    now = datetime.now(UTC)
    timings: dict[str, Any] = {}
    started = time.perf_counter()

    async with store.transaction() as tx:
        await tx.shows.ensure_many(shows[:news], origin="catalogue")
    for start in range(news, len(shows), 5000):
        async with store.transaction() as tx:
            await tx.shows.ensure_many(shows[start : start + 5000], origin="tvmaze")
    async with store.read() as tx:
        stored = await tx.shows.all()
    ids = {name_key(show.name): show.id for show in stored if show.id is not None}
    show_ids = [ids[name_key(show.name)] for show in shows]
    timings["shows_s"] = time.perf_counter() - started

    mark = time.perf_counter()
    rows = [(show_ids[index], item) for index, item in pairs]
    touched: dict[tuple[int, int | None], list[Announcement]] = defaultdict(list)
    for start in range(0, len(rows), BATCH * TX_BATCHES):
        async with store.transaction() as tx:
            for batch_start in range(start, min(start + BATCH * TX_BATCHES, len(rows)), BATCH):
                batch = rows[batch_start : batch_start + BATCH]
                await tx.shows.replace_announcements(None, batch, now=now)
    for show_id, item in rows:
        touched[(show_id, item.season)].append(item)
    timings["announcements_s"] = time.perf_counter() - mark

    # The ingestion path reads each touched season back (`tx.shows.announcements`) before
    # folding; folding the very same announcements from memory gives the same states.
    mark = time.perf_counter()
    seasons = sorted(touched, key=lambda k: (k[0], -1 if k[1] is None else k[1]))
    fold_seconds = 0.0
    for start in range(0, len(seasons), STATES_PER_TX):
        async with store.transaction() as tx:
            for show_id, season in seasons[start : start + STATES_PER_TX]:
                fold_mark = time.perf_counter()
                state = fold_season(touched[(show_id, season)])
                fold_seconds += time.perf_counter() - fold_mark
                await tx.shows.save_state(show_id, state, now=now)
    timings["fold_and_save_s"] = time.perf_counter() - mark
    timings["fold_only_s"] = fold_seconds

    mark = time.perf_counter()
    guilds = [10**17 + g for g in range(max(1, watch_count // 20))]
    wanted: set[tuple[int, int, int]] = set()
    watchable, watch_weights = show_ids[:news], weights[:news]
    while len(wanted) < min(watch_count, len(guilds) * 3 * len(watchable)):
        guild = rng.choice(guilds)
        channel = guild * 10 + rng.randrange(3)
        show_id = rng.choices(watchable, watch_weights)[0]
        wanted.add((guild, channel, show_id))
    async with store.transaction() as tx:
        for guild, channel, show_id in sorted(wanted):
            await tx.watches.add(
                guild_id=guild,
                channel_id=channel,
                show_id=show_id,
                role_id=None,
                created_by=guild + 1,
                now=now,
            )
    timings["watches_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started

    # Statistics, as PostgreSQL's autovacuum keeps them for a real store: without them its
    # planner takes the TVmaze shows for a few hundred rows and scans instead of seeking.
    # Autovacuum also vacuums a table that many rows were inserted into (PostgreSQL 13+),
    # which marks its pages all-visible: without that, every index-only scan of the name
    # index (show_words) also reads the table.
    mark = time.perf_counter()
    if store.engine.dialect.name == "postgresql":
        async with store.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql("VACUUM (ANALYZE)")  # not in a transaction
    else:
        async with store.transaction() as tx:
            await tx.connection.exec_driver_sql("ANALYZE")
    timings["analyze_s"] = time.perf_counter() - mark
    async with store.read() as tx:
        timings["counts"] = {
            "shows": await tx.shows.count(),
            "announcements": len(rows),
            "season_states": len(seasons),
            "watches": await tx.watches.count(),
        }
    return timings


async def measure(
    store: Store,
    known: KnownShows,
    queries: Sequence[tuple[str, str]],
    prefixes: Sequence[str],
    warmup: int,
) -> dict[str, Any]:
    """Time `/when` (whole call and lookup alone) and autocomplete, once each query."""
    for text, _ in queries[:warmup]:  # first compiles of the SQL, the pool's first connection
        await answer_when(store, known, text)
        await known.suggest(text[:4], limit=25)
    gc.collect()

    when_times: list[float] = []
    outcomes = {"card": 0, "candidates": 0, "nothing": 0}
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(outcomes, 0))
    for text, kind in queries:
        started = time.perf_counter()
        answer = await answer_when(store, known, text)
        when_times.append(time.perf_counter() - started)
        outcome = "card" if answer.card else "candidates" if answer.candidates else "nothing"
        outcomes[outcome] += 1
        by_kind[kind][outcome] += 1

    lookup_times: list[float] = []
    for text, _ in queries:
        started = time.perf_counter()
        await known.lookup(text.strip())
        lookup_times.append(time.perf_counter() - started)

    suggest_times: list[float] = []
    for prefix in prefixes:
        started = time.perf_counter()
        await known.suggest(prefix, limit=25)
        suggest_times.append(time.perf_counter() - started)

    total = max(1, len(queries))
    when = summary(when_times, TARGET_WHEN_P99_MS)
    when["share"] = {k: v / total for k, v in outcomes.items()}
    when["by_kind"] = dict(sorted(by_kind.items()))
    kinds = [kind for _, kind in queries]
    when["kind_ms"] = {
        kind: summary([t for t, k in zip(when_times, kinds, strict=True) if k == kind])
        for kind in sorted(set(kinds))
    }
    when["slowest"] = slowest(when_times, [f"{kind}: {text}" for text, kind in queries])
    autocomplete = summary(suggest_times, TARGET_SUGGEST_P99_MS)
    autocomplete["slowest"] = slowest(suggest_times, prefixes)
    return {"when": when, "when_lookup": summary(lookup_times), "autocomplete": autocomplete}


def slowest(seconds: Sequence[float], texts: Sequence[str]) -> list[tuple[float, str]]:
    """The slowest 1% (at least one) as (ms, text), slowest first: what the p99 is made of."""
    count = max(1, math.ceil(len(seconds) / 100))
    ranked = sorted(zip(seconds, texts, strict=True), key=lambda item: -item[0])
    return [(round(value * 1000, 3), text) for value, text in ranked[:count]]


def medians(passes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Each numeric figure of `measure`'s results as its median over the passes, also
    per kind of text (shares and counts from the first pass); the slowest queries of each
    pass."""
    merged: dict[str, Any] = {}
    for name, first in passes[0].items():
        figures = dict(first)
        for figure, value in first.items():
            if isinstance(value, float):
                figures[figure] = statistics.median(p[name][figure] for p in passes)
        if "kind_ms" in first:
            figures["kind_ms"] = {
                kind: {
                    figure: statistics.median(p[name]["kind_ms"][kind][figure] for p in passes)
                    for figure in values
                }
                for kind, values in first["kind_ms"].items()
            }
        if "slowest" in first:
            figures["slowest"] = [p[name]["slowest"] for p in passes]
        if "target_p99_ms" in figures:
            figures["p99_over_target"] = figures["p99_ms"] / figures["target_p99_ms"]
        figures["passes"] = len(passes)
        merged[name] = figures
    return merged


def startup(url: str, workdir: Path, runs: int) -> dict[str, Any]:
    """Wall time of `python -m bot when citadel` in fresh processes (no .env: a fresh
    working directory), the median of `runs`."""
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    walls: list[float] = []
    output = ""
    for _ in range(runs):
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "bot", "when", "citadel"],
            cwd=workdir,
            env={**env, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        walls.append(time.perf_counter() - started)
        if completed.returncode != 0:
            raise RuntimeError(f"`python -m bot when citadel` failed:\n{completed.stderr}")
        output = completed.stdout
    return {
        "median_s": statistics.median(walls),
        "runs_s": walls,
        "target_s": TARGET_STARTUP_S,
        "first_line": output.splitlines()[0] if output else "",
    }


def idle_rss(url: str, workdir: Path, runs: int) -> dict[str, Any]:
    """VmRSS of fresh processes with the bot's modules and its services (the known shows
    loaded), the median of `runs`."""
    values: list[float] = []
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child-rss", url],
            cwd=workdir,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"the RSS child failed:\n{completed.stderr}")
        line = next(x for x in completed.stdout.splitlines() if x.startswith(RSS_RESULT))
        values.append(float(line[len(RSS_RESULT) :]))
    return {"median_mib": statistics.median(values), "runs_mib": values, "target_mib": 150.0}


async def child_rss(url: str) -> float:
    """In a fresh process: the bot's modules and services, the name search warmed as the
    bot warms it once started (TVmaze's vocabulary and postings read), then VmRSS in MiB."""
    import discord  # noqa: F401 - the bot has it loaded; count its memory

    import bot.client  # noqa: F401
    from bot.runtime import warm_name_search
    from bot.services import Services
    from bot.settings import Settings

    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    services = await Services.open(settings)
    try:
        await warm_name_search(services)
        gc.collect()
        return vm_rss_mib()
    finally:
        await services.close()


def vm_rss_mib() -> float:
    """This process's resident set, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == "VmRSS":
            return int(value.split()[0]) / 1024
    return float("nan")


async def open_engine(engine: str, workdir: Path) -> tuple[Store, str | None, str]:
    """A fresh, migrated store; returns it, the PostgreSQL database to drop, and its URL."""
    if engine == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir / 'when.db'}"
        return await Store.open(url), None, url
    server = os.environ["TEST_DATABASE_URL"]
    database = f"bench_when_{uuid.uuid4().hex[:10]}"
    await _admin(server, f'CREATE DATABASE "{database}"')
    url = server.rsplit("/", 1)[0] + f"/{database}"
    try:
        store = await Store.open(url)
    except BaseException:
        await drop_database(server, database)
        raise
    return store, database, url


async def _admin(server: str, statement: str) -> None:
    admin = await Store.open(server, run_migrations=False)
    try:
        async with admin.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql(statement)
    finally:
        await admin.close()


async def drop_database(server: str, database: str) -> None:
    await _admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


async def run_engine(
    engine: str,
    args: argparse.Namespace,
    shows: Sequence[Show],
    pairs: Sequence[tuple[int, Announcement]],
    weights: Sequence[float],
    queries: Sequence[tuple[str, str]],
    prefixes: Sequence[str],
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-when-") as workdir:
        store, database, url = await open_engine(engine, Path(workdir))
        try:
            build = await build_store(
                store,
                shows,
                pairs,
                args.watches,
                weights,
                random.Random(args.seed + 1),
                news=min(args.news_shows, len(shows)),
            )
            mark = time.perf_counter()
            known = await KnownShows.load(store)
            build["known_shows_s"] = time.perf_counter() - mark
            # As the running bot does once started (`Services.open`): what is loaded lives
            # as long as the process, and so does this benchmark's own data (100,000 shows,
            # 200,000 announcements), which the bot never holds and a full collection would
            # walk in the middle of a timed query.
            keep_loop_smooth()
            # And as it does next (`warm_name_search`): the name search's statement shapes
            # compiled and prepared, so that a timed query does not pay for a shape's first
            # use (up to hundreds of ms on SQLite), which a running bot never does; and the
            # vocabulary and postings of TVmaze's names read (while Discord connects).
            mark = time.perf_counter()
            build["warmed_statements"] = await known.warm()
            build["warm_s"] = time.perf_counter() - mark
            build["in_memory_shows"] = len(known.catalogue)
            passes = [
                await measure(store, known, queries, prefixes, args.warmup)
                for _ in range(args.runs)
            ]
            result = medians(passes)
            await store.close()
            if args.startup_runs:
                result["startup"] = await asyncio.to_thread(
                    startup, url, Path(workdir), args.startup_runs
                )
                result["idle_rss"] = await asyncio.to_thread(
                    idle_rss, url, Path(workdir), args.startup_runs
                )
        finally:
            await store.close()
            if database is not None:
                await drop_database(os.environ["TEST_DATABASE_URL"], database)
    return {"build": build, **result}


def print_table(args: argparse.Namespace, report: dict[str, Any]) -> None:
    print(
        f"\nbench/when.py: {args.shows:,} shows ({min(args.news_shows, args.shows):,} in the "
        f"news), {args.announcements:,} announcements, {args.watches:,} watches, "
        f"{args.queries:,} queries x {args.runs} passes (seed {args.seed})\n"
    )
    header = (
        f"{'engine':<11}{'measure':<15}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'p99/target':>12}"
    )
    print(header)
    print("-" * len(header))
    for engine, result in report["engines"].items():
        for label, key in (
            ("/when", "when"),
            ("  lookup only", "when_lookup"),
            ("autocomplete", "autocomplete"),
        ):
            s = result[key]
            ratio = f"{s['p99_over_target']:.2f}" if "p99_over_target" in s else "-"
            print(
                f"{engine:<11}{label:<15}{s['p50_ms']:>9.3f}{s['p90_ms']:>9.3f}"
                f"{s['p99_ms']:>9.3f}{s['max_ms']:>9.3f}{ratio:>12}"
            )
    print()
    for engine, result in report["engines"].items():
        build = result["build"]
        counts = build["counts"]
        share = result["when"]["share"]
        print(
            f"{engine}: build {build['total_s']:.1f} s (shows {build['shows_s']:.1f}, "
            f"announcements {build['announcements_s']:.1f}, fold+save "
            f"{build['fold_and_save_s']:.1f} of which fold {build['fold_only_s']:.1f}, "
            f"watches {build['watches_s']:.1f}); {counts['shows']:,} shows, "
            f"{counts['announcements']:,} announcements, {counts['season_states']:,} seasons, "
            f"{counts['watches']:,} watches; known shows loaded in "
            f"{build['known_shows_s']:.2f} s ({build['in_memory_shows']:,} in memory), "
            f"warmed in {build['warm_s']:.2f} s"
        )
        print(
            f"{engine}: /when answered with a card {share['card']:.1%}, candidates "
            f"{share['candidates']:.1%}, nothing {share['nothing']:.1%}"
        )
        kinds = result["when"]["kind_ms"]
        print(
            f"{engine}: /when p99 ms by kind of text: "
            + ", ".join(f"{kind} {kinds[kind]['p99_ms']:.1f}" for kind in kinds)
        )
        if "startup" in result:
            up, rss = result["startup"], result["idle_rss"]
            print(
                f"{engine}: start-up to first answer (`python -m bot when citadel`) "
                f"{up['median_s']:.2f} s median of {len(up['runs_s'])} (target "
                f"{TARGET_STARTUP_S:g} s); idle RSS {rss['median_mib']:.1f} MiB (target "
                f"{TARGET_RSS_MIB:g})"
            )
    for name, value in report["ratios"].items():
        print(f"{name}: {value:.2f}")
    for engine, reason in report["skipped"].items():
        print(f"{engine}: skipped ({reason})")


async def measure_scale(args: argparse.Namespace) -> dict[str, Any]:
    """Everything at the size `args` asks for."""
    rng = random.Random(args.seed)
    shows = generate_shows(args.shows, rng)
    weights = popularity(len(shows), rng)
    news = min(args.news_shows, len(shows))
    pairs = generate_announcements(shows[:news], spread(args.announcements, weights[:news]), rng)
    queries = when_queries(shows, weights, args.queries, random.Random(args.seed + 2))
    prefixes = suggest_prefixes(shows, weights, args.queries, random.Random(args.seed + 3))

    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    skipped: dict[str, str] = {}
    if "postgresql" in engines and not os.environ.get("TEST_DATABASE_URL"):
        if args.engine == "postgresql":
            raise SystemExit("--engine postgresql needs TEST_DATABASE_URL")
        engines.remove("postgresql")
        skipped["postgresql"] = "TEST_DATABASE_URL is not set"

    results: dict[str, Any] = {}
    for engine in engines:
        results[engine] = await run_engine(engine, args, shows, pairs, weights, queries, prefixes)
    return {"engines": results, "skipped": skipped}


def figures(result: dict[str, Any]) -> dict[str, float]:
    """The figures that must stay flat, of one engine's result."""
    found = {
        "/when p99": result["when"]["p99_ms"],
        "lookup p99": result["when_lookup"]["p99_ms"],
        "autocomplete p99": result["autocomplete"]["p99_ms"],
    }
    if "startup" in result:
        found["start-up"] = result["startup"]["median_s"]
        found["idle RSS"] = result["idle_rss"]["median_mib"]
    return found


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    baseline: dict[str, Any] | None = None
    if args.baseline and args.shows > args.baseline:
        small = argparse.Namespace(**{**vars(args), "shows": args.baseline})
        baseline = await measure_scale(small)
        print_table(small, {**baseline, "ratios": {}})
    measured = await measure_scale(args)
    results = measured["engines"]

    ratios: dict[str, float] = {}
    for engine, result in results.items():
        ratios[f"{engine} /when p99 / target"] = result["when"]["p99_over_target"]
        ratios[f"{engine} autocomplete p99 / target"] = result["autocomplete"]["p99_over_target"]
        if baseline is not None and engine in baseline["engines"]:
            before = figures(baseline["engines"][engine])
            for name, value in figures(result).items():
                if before.get(name):
                    ratios[f"{engine} {name}, {args.shows:,} / {args.baseline:,} shows"] = (
                        value / before[name]
                    )
    if "sqlite" in results and "postgresql" in results:
        for p in ("p50", "p99"):
            ratios[f"/when {p} PostgreSQL / SQLite"] = (
                results["postgresql"]["when"][f"{p}_ms"] / results["sqlite"]["when"][f"{p}_ms"]
            )
        ratios["build PostgreSQL / SQLite"] = (
            results["postgresql"]["build"]["total_s"] / results["sqlite"]["build"]["total_s"]
        )
    return {
        "bench": "when",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "params": {
            "shows": args.shows,
            "news_shows": args.news_shows,
            "announcements": args.announcements,
            "watches": args.watches,
            "queries": args.queries,
            "runs": args.runs,
            "startup_runs": args.startup_runs,
            "warmup": args.warmup,
            "seed": args.seed,
            "engine": args.engine,
            "baseline": args.baseline,
        },
        "targets_ms": {"when_p99": TARGET_WHEN_P99_MS, "autocomplete_p99": TARGET_SUGGEST_P99_MS},
        "targets": {"startup_s": TARGET_STARTUP_S, "idle_rss_mib": TARGET_RSS_MIB},
        "engines": results,
        "baseline": baseline,
        "ratios": ratios,
        "skipped": measured["skipped"],
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--shows", type=int, default=10_000)
    parser.add_argument("--news-shows", type=int, default=10_000, help="shows in the news")
    parser.add_argument("--announcements", type=int, default=200_000)
    parser.add_argument("--watches", type=int, default=1_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3, help="timed passes over the queries")
    parser.add_argument(
        "--startup-runs", type=int, default=5, help="fresh processes timed (0: none)"
    )
    parser.add_argument("--warmup", type=int, default=50, help="untimed queries first")
    parser.add_argument(
        "--baseline", type=int, default=10_000, help="the small size ratios are taken against"
    )
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write results")
    parser.add_argument("--child-rss", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = (args.shows, args.queries, args.runs)
    if min(sizes) < 1 or args.announcements < 0 or args.watches < 0 or args.startup_runs < 0:
        parser.error("sizes must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_rss:
        print(RSS_RESULT + str(asyncio.run(child_rss(args.child_rss))))
        return 0
    report = asyncio.run(main_async(args))
    print_table(args, report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
