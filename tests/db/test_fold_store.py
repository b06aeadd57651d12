"""Folding news into stored seasons: the incremental fold through the store gives what a
full refold of the stored announcements gives, and refolds in full when it must."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event, insert

from bot.ingest import refold_seasons
from bot.models import (
    Announcement,
    Certainty,
    Entry,
    Event,
    SeasonState,
    Show,
    Source,
    Window,
)
from bot.records import ListingRecord
from bot.state import fold_season
from bot.state.fold_step import summarise
from bot.tvmaze.listing import listing_announcement
from db.schema.news import announcements
from db.store import Store, Tx

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _news(
    event: Event,
    certainty: Certainty,
    outlet: str,
    hours: int,
    *,
    day: date | None = None,
    network: str | None = None,
) -> Announcement:
    when = NOW - timedelta(days=10) + timedelta(hours=hours)
    return Announcement(
        show="Severance",
        event=event,
        certainty=certainty,
        evidence=event.value,
        source=Source(
            outlet, f"https://{outlet.lower()}.example/{hours}", when, f"{outlet} {hours}"
        ),
        season=3,
        date=day,
        network=network,
    )


async def _ingest(tx: Tx, feed_id: int, stories: list[tuple[str, list[Announcement]]]) -> None:
    """What the sink does with a batch of entries: store their announcements, then fold."""
    changes = await tx.feeds.upsert_entries(
        feed_id, [Entry(key=key, title=items[0].source.title) for key, items in stories], NOW
    )
    ids = {stored.entry.key: stored.id for stored in changes.stored}
    show = await tx.shows.find("Severance")
    assert show is not None and show.id is not None
    per_entry = [(ids[key], [(show.id, item) for item in items]) for key, items in stories]
    recorded = await tx.shows.record_announcements(per_entry, now=NOW)
    await refold_seasons(
        tx, recorded.touched, now=NOW, may_alert=lambda key: False, added=recorded.added
    )


async def _stored_and_refolded(store: Store, show_id: int) -> tuple[SeasonState, SeasonState]:
    async with store.read() as tx:
        stored = await tx.shows.state(show_id, 3)
        news = await tx.shows.announcements(show_id, 3)
        listed = await tx.listings.of([(show_id, 3)])
        folds = await tx.shows.folds_of([(show_id, 3)])
    record = listed.get((show_id, 3))
    listing = (
        listing_announcement(
            record.show_name, 3, record.premiere_date, link=record.link, listed_at=record.listed_at
        )
        if record
        else None
    )
    assert stored is not None
    assert folds[(show_id, 3)][1] == summarise(news, listing=listing)
    return stored, fold_season(news, listing=listing)


async def test_news_folds_in_one_batch_at_a_time_as_a_full_refold_would(store: Store) -> None:
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Severance"))
        deadline = await tx.feeds.add("https://deadline.example/feed/")
        tvline = await tx.feeds.add("https://tvline.example/feed/")
    assert show.id is not None
    official, reported = Certainty.OFFICIAL, Certainty.REPORTED
    batches = [
        (deadline.id, [("d1", [_news(Event.RENEWED, reported, "Deadline", 1, network="Apple")])]),
        (tvline.id, [("t1", [_news(Event.RENEWED, official, "TVLine", 3)])]),
        # published before the last one, read after it
        (deadline.id, [("d2", [_news(Event.RENEWED, reported, "Deadline", 2)])]),
        (
            tvline.id,
            [
                ("t2", [_news(Event.PREMIERE_DATE, official, "TVLine", 5, day=date(2026, 9, 1))]),
                ("t3", [_news(Event.ENDING, reported, "TVLine", 6, network="Apple TV+")]),
            ],
        ),
        # a headline fixed: the entry's old announcement goes (a refold in full)
        (tvline.id, [("t2", [_news(Event.PREMIERE_DATE, official, "TVLine", 7)])]),
    ]
    for feed_id, stories in batches:
        async with store.transaction() as tx:
            await _ingest(tx, feed_id, stories)
        stored, refolded = await _stored_and_refolded(store, show.id)
        assert stored == refolded

    # A listing (a refold in full, as the TVmaze sync does it), then more news beside it.
    async with store.transaction() as tx:
        await tx.listings.put(
            [ListingRecord(show.id, 3, date(2026, 9, 8), "https://www.tvmaze.com/shows/1", NOW)],
            now=NOW,
        )
        await refold_seasons(tx, {(show.id, 3)}, now=NOW, may_alert=lambda key: False)
    async with store.transaction() as tx:
        late = _news(Event.PREMIERE_DATE, reported, "Deadline", 300, day=date(2026, 9, 15))
        await _ingest(tx, deadline.id, [("d3", [late])])
    stored, refolded = await _stored_and_refolded(store, show.id)
    assert stored == refolded
    assert (refolded.listed_date, refolded.news_date) == (date(2026, 9, 8), date(2026, 9, 15))

    # Removing a feed takes its news away: the next news refolds the season without it.
    async with store.transaction() as tx:
        await tx.feeds.remove("https://tvline.example/feed/")
    async with store.transaction() as tx:
        await _ingest(tx, deadline.id, [("d4", [_news(Event.RENEWED, reported, "Deadline", 301)])])
    stored, refolded = await _stored_and_refolded(store, show.id)
    assert stored == refolded
    assert all(source.outlet != "TVLine" for source in stored.sources)


async def test_one_more_report_is_folded_from_the_summary_not_the_history(store: Store) -> None:
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Severance"))
        feed = await tx.feeds.add("https://deadline.example/feed/")
        await _ingest(tx, feed.id, [("d1", [_news(Event.RENEWED, Certainty.OFFICIAL, "A", 1)])])
    assert show.id is not None
    async with store.transaction() as tx:
        # A row the fold never saw (written behind its back, as no code path does): only a
        # refold from the stored announcements would notice it.
        hidden = _news(Event.CANCELLED, Certainty.OFFICIAL, "Hidden", 2)
        await tx.connection.execute(
            insert(announcements).values(
                show_id=show.id,
                season=3,
                event=hidden.event.value,
                certainty=hidden.certainty.value,
                outlet="Hidden",
                published=hidden.source.published,
                recognised_at=NOW,
            )
        )
        await _ingest(tx, feed.id, [("d2", [_news(Event.RENEWED, Certainty.REPORTED, "B", 3)])])
    async with store.read() as tx:
        state = await tx.shows.state(show.id, 3)
        folds = await tx.shows.folds_of([(show.id, 3)])
    assert state is not None
    assert [source.outlet for source in state.sources] == ["A", "B"]
    summary = folds[(show.id, 3)][1]
    assert summary is not None and summary.count == 2


async def test_a_batch_says_what_each_season_gained_as_the_store_reads_it(store: Store) -> None:
    # What a batch adds is handed back without reading it back: it must be what a read of
    # the store gives (times in UTC, one row per entry, show, event and season, the store's
    # order), but for the name of the show, which refold_seasons takes from the store.
    async with store.transaction() as tx:
        severance = await tx.shows.ensure(Show("Severance"))
        citadel = await tx.shows.ensure(Show("Citadel"))
        feed = await tx.feeds.add("https://deadline.example/feed/")
    assert severance.id is not None and citadel.id is not None
    plus_two = timezone(timedelta(hours=2))

    def item(
        event: Event,
        certainty: Certainty,
        hours: int | None,
        *,
        season: int | None = 3,
        show: str = "severance",
        day: date | None = None,
        window: Window | None = None,
    ) -> Announcement:
        when = None if hours is None else (NOW - timedelta(hours=hours)).astimezone(plus_two)
        source = Source("Deadline", f"https://d.example/{hours}", when, f"story {hours}")
        return Announcement(
            show=show,
            event=event,
            certainty=certainty,
            evidence=f"{event.value} {hours}",
            source=source,
            season=season,
            date=day,
            window=window,
            name_delimited=True,
        )

    fall = Window(date(2026, 9, 1), date(2026, 11, 30), "fall")
    official, reported = Certainty.OFFICIAL, Certainty.REPORTED
    stories = {
        "a": [
            (severance.id, item(Event.RENEWED, reported, 5)),
            (severance.id, item(Event.RENEWED, official, 1)),  # the same key: not stored
            (severance.id, item(Event.PREMIERE_WINDOW, reported, 4, window=fall)),
        ],
        "b": [
            (severance.id, item(Event.CANCELLED, Certainty.SPECULATION, 7)),
            (severance.id, item(Event.RENEWED, reported, None, season=None)),
        ],
        "c": [
            (severance.id, item(Event.PREMIERE_DATE, official, 7, day=date(2026, 9, 8))),
            (severance.id, item(Event.ENDING, reported, 3, season=None)),
            (citadel.id, item(Event.RENEWED, reported, 2, show="Citadel")),
        ],
    }
    names = {severance.id: "Severance", citadel.id: "Citadel"}
    async with store.transaction() as tx:
        changes = await tx.feeds.upsert_entries(
            feed.id, [Entry(key=key, title=key) for key in stories], NOW
        )
        ids = {stored.entry.key: stored.id for stored in changes.stored}
        recorded = await tx.shows.record_announcements(
            [(ids[key], found) for key, found in stories.items()], now=NOW
        )
        read = await tx.shows.announcements_of(recorded.added)
    seasons = {(severance.id, 3), (severance.id, None), (citadel.id, 3)}
    assert recorded.touched == set(recorded.added) == seasons
    for key, items in recorded.added.items():
        named = [replace(found, show=names[key[0]]) for found in items]
        assert named == read[key]
        assert repr(named) == repr(read[key])  # times in UTC, not just the same instants
    renewals = [found for found in read[(severance.id, 3)] if found.event is Event.RENEWED]
    assert [found.certainty for found in renewals] == [reported]
    assert len(read[(severance.id, 3)]) == 4

    # A story told again differently: its season lost news, so it is not said to have only
    # gained (it refolds in full).
    async with store.transaction() as tx:
        again = [(ids["a"], [(severance.id, item(Event.CANCELLED, official, 0))])]
        recorded = await tx.shows.record_announcements(again, now=NOW)
    assert recorded.touched == {(severance.id, 3)}
    assert recorded.added == {}


async def test_entries_recorded_in_the_same_transaction_replace_nothing(store: Store) -> None:
    # A new entry has no announcements yet: only a retitled one's are looked for to replace.
    async with store.transaction() as tx:
        feed = await tx.feeds.add("https://deadline.example/feed/")
        show = await tx.shows.ensure(Show("Severance"))
    assert show.id is not None
    issued: list[str] = []

    def remember(_c: Any, _cursor: Any, statement: str, *_: Any) -> None:
        issued.append(statement.lstrip().split()[0])

    event.listen(store.engine.sync_engine, "before_cursor_execute", remember)
    try:
        async with store.transaction() as tx:
            changes = await tx.feeds.upsert_entries(feed.id, [Entry(key="a", title="a")], NOW)
            (stored,) = changes.stored
            found = [
                (stored.id, [(show.id, _news(Event.RENEWED, Certainty.REPORTED, "Deadline", 1))])
            ]
            first = await tx.shows.record_announcements(found, now=NOW, new={stored.id})
        deletes_then = issued.count("DELETE")
        async with store.transaction() as tx:
            again = [
                (stored.id, [(show.id, _news(Event.CANCELLED, Certainty.OFFICIAL, "Deadline", 2))])
            ]
            second = await tx.shows.record_announcements(again, now=NOW)
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", remember)
    assert stored.new and deletes_then == 0 and issued.count("DELETE") == 1
    assert set(first.added) == {(show.id, 3)}
    assert second.added == {} and second.touched == {(show.id, 3)}  # the renewal went
    async with store.read() as tx:
        kept = await tx.shows.announcements(show.id, 3)
    assert [item.event for item in kept] == [Event.CANCELLED]


async def test_folds_come_with_the_listings_of_their_seasons(store: Store) -> None:
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Severance"))
        feed = await tx.feeds.add("https://deadline.example/feed/")
    assert show.id is not None
    renewed = _news(Event.RENEWED, Certainty.OFFICIAL, "Deadline", 1)
    async with store.transaction() as tx:
        changes = await tx.feeds.upsert_entries(feed.id, [Entry(key="d1", title="d1")], NOW)
        entry_id = changes.stored[0].id
        found = [(show.id, replace(renewed, season=season)) for season in (2, 3, None)]
        recorded = await tx.shows.record_announcements([(entry_id, found)], now=NOW)
        await refold_seasons(tx, recorded.touched, now=NOW, may_alert=lambda key: False)
        await tx.listings.put(
            [
                ListingRecord(show.id, season, date(2026, 9, season), "https://tvmaze.example", NOW)
                for season in (3, 4)
            ],
            now=NOW,
        )
    seasons = [(show.id, season) for season in (2, 3, 4, None)]
    season_3 = (show.id, 3)
    for lock in (False, True):
        async with store.transaction() as tx:
            folds, listed = await tx.shows.folds_and_listings_of(seasons, lock=lock)
            assert folds == await tx.shows.folds_of(seasons)
            listings = await tx.listings.of(seasons)
            # The states only of the seasons asked for; the rest is the same.
            asked, asked_listed = await tx.shows.stored_folds_of(
                seasons, lock=lock, states={season_3}.__contains__
            )
        assert asked_listed == listed
        assert {key: (f.state, f.summary) for key, f in asked.items()} == {
            key: (state if key == season_3 else None, summary)
            for key, (state, summary) in folds.items()
        }
        assert {f.show for f in asked.values()} == {"Severance"}
        assert set(folds) == {(show.id, 2), (show.id, 3), (show.id, None)}
        # only those of the seasons with a state: season 4 has a listing and no state
        assert listed == {(show.id, 3): listings[(show.id, 3)]}


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
async def test_season_reads_seek_the_indexes_rather_than_scan_the_tables(store: Store) -> None:
    # SQLite answers `(show_id, season) IN (...)` alone by scanning the whole table: a cost
    # that grows with every season ever stored, paid by every feed's poll.
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Severance"))
    assert show.id is not None
    seasons = [(show.id, 2), (show.id, 3), (show.id + 1, None)]
    issued: list[tuple[str, Any]] = []

    def remember(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        issued.append((statement, parameters))

    event.listen(store.engine.sync_engine, "before_cursor_execute", remember)
    try:
        async with store.transaction() as tx:
            await tx.shows.folds_and_listings_of(seasons, lock=True)
            await tx.shows.announcements_of(seasons)
            await tx.listings.of(seasons)
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", remember)
    reads = [(sql, params) for sql, params in issued if sql.lstrip().startswith("SELECT")]
    assert len(reads) == 3
    async with store.read() as tx:
        for sql, params in reads:
            plan = await tx.connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
            details: list[str] = [detail for *_, detail in plan]
            assert not [d for d in details if d.startswith("SCAN") and "CONSTANT ROWS" not in d]
            assert any(d.startswith("SEARCH") for d in details), details
