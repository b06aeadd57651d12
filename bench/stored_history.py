"""What a new entry costs in the recognition sink as the stored history grows.

bench/ingest.py `--history` runs: a fresh store given that many announcements in bulk
(with their folded states and summaries, not through the sink), then changed cycles with
the sink's CPU timed, and a check that the incremental fold left the same states as a
full refold would.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from feed_server_process import ServerProcess
from poll_cycles import local_fetcher, recognition_sink
from wordpress_feeds import EPOCH, NETWORKS, SHOWS

from bot.feeds.decide import PollPolicy
from bot.feeds.poller import Poller
from bot.feeds.reading import EntrySink
from bot.models import Announcement, Certainty, Event, Source, Window
from bot.records import FeedRecord, StoredEntry
from db.store import Store, Tx

HISTORY_OUTLETS = [f"History Outlet {n}" for n in range(40)]


def history_announcements(count: int, names: Sequence[str]) -> list[Announcement]:
    """`count` announcements about seasons 2-6 of these shows, dated in the two years
    before the feeds' stories, as the store reads them back."""
    rng = random.Random(count)
    events = list(Event)
    certainties = [
        Certainty.OFFICIAL,
        Certainty.REPORTED,
        Certainty.REPORTED,
        Certainty.SPECULATION,
    ]
    found = []
    for serial in range(count):
        event = rng.choice(events)
        day = EPOCH.date() + timedelta(days=rng.randint(-300, 400))
        published = EPOCH - timedelta(minutes=rng.randint(1, 2 * 365 * 24 * 60))
        outlet = rng.choice(HISTORY_OUTLETS)
        found.append(
            Announcement(
                show=rng.choice(names),
                event=event,
                certainty=rng.choice(certainties),
                evidence=event.value,
                source=Source(outlet, f"https://history.example/{serial}", published, "story"),
                season=rng.randint(2, 6),
                date=day if event is Event.PREMIERE_DATE else None,
                window=(
                    Window(day, day + timedelta(days=90), "later this year")
                    if event is Event.PREMIERE_WINDOW
                    else None
                ),
                network=rng.choice([None, *NETWORKS]),
            )
        )
    return found


async def populate_history(store: Store, count: int) -> None:
    """Write `count` announcements in bulk, with each season's state and fold summary."""
    from sqlalchemy import insert, select

    from bot.state.fold_step import summarise
    from bot.state.summary_state import summary_state
    from db.schema.catalogue import shows
    from db.schema.news import announcements
    from db.show_rows import _announcement_row

    if count == 0:
        return
    async with store.read() as tx:
        result = await tx.connection.execute(select(shows.c.id, shows.c.name))
        ids = {name: show_id for show_id, name in result}
    names = [name for name in ids if name in set(SHOWS)]
    items = history_announcements(count, names)
    now = datetime.now(UTC)
    seasons: dict[tuple[int, int | None], list[Announcement]] = {}
    for item in items:
        seasons.setdefault((ids[item.show], item.season), []).append(item)
    async with store.transaction() as tx:
        for start in range(0, len(items), 20_000):
            rows = [
                _announcement_row(ids[item.show], None, item, now)
                for item in items[start : start + 20_000]
            ]
            await tx.connection.execute(insert(announcements), rows)
        folded = []
        for (show_id, _), news in seasons.items():
            summary = summarise(news)
            folded.append((show_id, summary_state(summary), summary))
        for start in range(0, len(folded), 500):
            await tx.shows.save_folded(folded[start : start + 500], now=now)


class TimedSink:
    """The recognition sink, timing the CPU spent inside it and counting its entries."""

    def __init__(self, sink: EntrySink) -> None:
        self._sink = sink
        self.cpu_s = 0.0
        self.entries = 0

    async def __call__(
        self, tx: Tx, feed: FeedRecord, entries: Sequence[StoredEntry], alertable: frozenset[int]
    ) -> Sequence[Announcement]:
        start = time.process_time()
        try:
            return await self._sink(tx, feed, entries, alertable)
        finally:
            self.cpu_s += time.process_time() - start
            self.entries += len(entries)


async def _count_announcements(store: Store) -> int:
    from sqlalchemy import func, select

    from db.schema.news import announcements

    async with store.read() as tx:
        return int(
            (
                await tx.connection.execute(select(func.count()).select_from(announcements))
            ).scalar_one()
        )


async def run_history(
    server: ServerProcess, args: argparse.Namespace, history: int, workdir: Path
) -> dict[str, Any]:
    """Sink CPU per new entry with `history` announcements stored beforehand."""
    server.publish(0)
    store = await Store.open(f"sqlite+aiosqlite:///{workdir / f'history-{history}.db'}")
    try:
        sink = await recognition_sink(store)  # seeds the catalogue
        assert sink is not None
        wall = time.perf_counter()
        await populate_history(store, history)
        populate_s = time.perf_counter() - wall
        async with store.transaction() as tx:
            for number in range(args.feeds):
                await tx.feeds.add(f"http://127.0.0.1:{server.port}/feed/{number}")
        fetcher = local_fetcher(server.port, args.concurrency)
        timed = TimedSink(sink)
        per_entry_ms: list[float] = []
        async with fetcher:
            first = Poller(store, fetcher, timed, PollPolicy(), concurrency=args.concurrency)
            await first.poll_all()
            stored = await _count_announcements(store)
            # One feed at a time: nothing else (parsing in a thread) runs beside the sink.
            poller = Poller(store, fetcher, timed, PollPolicy(), concurrency=1)
            for version in range(1, args.changed_cycles + 1):
                server.publish(version)
                timed.cpu_s, timed.entries = 0.0, 0
                await poller.poll_all()
                per_entry_ms.append(timed.cpu_s * 1000 / max(timed.entries, 1))
        checked = await check_states(store)
        return {
            "history": history,
            "stored_announcements": stored,
            "populate_s": populate_s,
            "new_entries_per_cycle": timed.entries,
            "sink_cpu_ms_per_entry": per_entry_ms,
            "sink_cpu_ms_per_entry_median": statistics.median(per_entry_ms),
            "states_checked": checked,
        }
    finally:
        await store.close()


async def check_states(store: Store, sample: int = 25) -> int:
    """The most recently folded seasons' stored states equal a full refold of their stored
    announcements (AssertionError if not). Returns how many were checked."""
    from sqlalchemy import select

    from bot.state import fold_season
    from db.schema.news import announcements
    from db.show_rows import season_value

    async with store.read() as tx:
        query = (
            select(announcements.c.show_id, announcements.c.season)
            .order_by(announcements.c.id.desc())
            .limit(sample * 10)
        )
        recent = await tx.connection.execute(query)
        keys = [(show_id, season_value(season)) for show_id, season in recent]
        seasons = list(dict.fromkeys(keys))[:sample]
        listed = await tx.listings.of(seasons)
        for key in seasons:
            assert key not in listed
            state = await tx.shows.state(*key)
            refolded = fold_season(await tx.shows.announcements(*key))
            assert state is not None
            assert state == refolded, key
    return len(seasons)
