"""From new feed entries to announcements, show state and queued alerts.

The poller calls `AnnouncementSink` inside the transaction that records the entries, so an
entry is stored if and only if what it announces is stored too, and an alert is queued in
the same transaction as the state change that caused it (the outbox pattern).

Recognition, the costly part, is pure: the poller has it done in a worker thread before the
write transaction (`read_ahead`), so the transaction only writes and the event loop stays
free. A reading that a show learned meanwhile could change (its text holds the show's
name) is made again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from bot.clock import Clock, utc_now
from bot.feeds.reading import EntrySink
from bot.models import AlertChange, Announcement, Entry, Event, SeasonState, Show
from bot.records import FeedRecord, ListingRecord, StoredEntry, StoredFold
from bot.shows.known import KnownShows
from bot.shows.names import name_key
from bot.state.alerts import alert_worthy_changes, told_by_sibling
from bot.state.fold import fold_season
from bot.state.fold_step import FoldSummary, fold_step, summarise
from bot.state.summary_state import summary_state
from bot.tvmaze.listing import listing_announcement
from db.store import Tx

if TYPE_CHECKING:  # recognition (and its model) is loaded when news is first read
    from bot.recognition import Reading

log = logging.getLogger(__name__)


class AnnouncementSink:
    """Recognises entries, stores announcements, refolds state and queues alerts."""

    def __init__(
        self,
        known: KnownShows,
        *,
        clock: Clock = utc_now,
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self._known = known
        self._clock = clock
        self._on_queued = on_queued

    async def __call__(
        self,
        tx: Tx,
        feed: FeedRecord,
        entries: Sequence[StoredEntry],
        alertable: frozenset[int],
    ) -> Sequence[Announcement]:
        """Process new or changed entries of one feed; `alertable` holds the ids of the
        entries allowed to raise alerts (recent news, not a new feed's backlog). The store
        work is batched: a handful of statements per feed, not per entry."""
        return await self._record(tx, entries, alertable, {})

    def read_ahead(self) -> Callable[[Sequence[Entry]], EntrySink]:
        """The recognition of entries, to run in a worker thread before the write
        transaction (see bot.feeds.reading.ReadingSink); call this on the event loop."""
        mark = len(self._known.catalogue)

        def read(entries: Sequence[Entry]) -> EntrySink:
            readings = self._read_all(entries)

            async def sink(
                tx: Tx,
                feed: FeedRecord,
                stored: Sequence[StoredEntry],
                alertable: frozenset[int],
            ) -> Sequence[Announcement]:
                return await self._record(tx, stored, alertable, self._current(readings, mark))

            return sink

        return read

    def _current(
        self, readings: dict[str, tuple[Entry, Reading]], mark: int
    ) -> dict[str, tuple[Entry, Reading]]:
        """The readings that the shows added to the catalogue since it held `mark` shows
        (learned meanwhile, or taken in from another process) cannot change: those of the
        entries whose words do not hold every word of a new show's name or alias."""
        catalogue = self._known.catalogue
        if len(catalogue) == mark:  # shows are only ever added
            return readings
        names = [
            words
            for show in islice(catalogue, mark, None)
            for spelling in (show.name, *show.aliases)
            if (words := _words(spelling))
        ]
        current: dict[str, tuple[Entry, Reading]] = {}
        for key, (entry, reading) in readings.items():
            text = _words(" ".join((entry.title, entry.summary, *entry.categories)))
            if not any(name <= text for name in names):
                current[key] = (entry, reading)
        return current

    def _read_all(self, entries: Sequence[Entry]) -> dict[str, tuple[Entry, Reading]]:
        """Each entry's reading by key. Pure: runs in a worker thread."""
        from bot.recognition import read_entry

        now = self._clock()
        catalogue = self._known.catalogue
        readings: dict[str, tuple[Entry, Reading]] = {}
        for entry in entries:
            # An undated entry is read as of when it was fetched ("returns March 9").
            dated = entry if entry.published else replace(entry, published=now)
            readings[entry.key] = (entry, read_entry(dated, catalogue))
        return readings

    async def _record(
        self,
        tx: Tx,
        entries: Sequence[StoredEntry],
        alertable: frozenset[int],
        ahead: Mapping[str, tuple[Entry, Reading]],
    ) -> Sequence[Announcement]:
        """Store what the entries announce (read `ahead`, else read now in a worker
        thread), refold the seasons they touch and queue the alerts."""
        now = self._clock()
        catalogue = self._known.catalogue
        readings = dict(ahead)
        unread = [s.entry for s in entries if readings.get(s.entry.key, (None,))[0] != s.entry]
        if unread:
            readings.update(await asyncio.to_thread(self._read_all, unread))
        # Names the readings asked for that only the store knows (TVmaze shows) are looked
        # up here, in the transaction; when one is a show, the batch is read again with it.
        for _ in range(KnownShows.READINGS - 1):
            if not await self._known.resolve_names(tx):
                break
            readings.update(await asyncio.to_thread(self._read_all, [s.entry for s in entries]))
        found: list[Announcement] = []
        per_entry: list[tuple[int | None, list[tuple[int, Announcement]]]] = []
        mentions: list[tuple[int, int]] = []
        may_alert: set[tuple[int, int | None]] = set()
        for stored in entries:
            # One reading gives both the announcements and the shows mentioned: they share
            # the normalised text and the catalogue matches.
            reading = readings[stored.entry.key][1]
            announcements: list[Announcement] = []
            pairs: list[tuple[int, Announcement]] = []
            for item in reading.announcements:
                show = await self._show_for(tx, item)
                if show is None:
                    continue
                announcements.append(item)
                assert show.id is not None
                pairs.append((show.id, item))
                mentions.append((stored.id, show.id))
                if stored.id in alertable:
                    may_alert.add((show.id, item.season))
            for name in reading.mentioned:
                mentioned = catalogue.get(name)
                if mentioned is not None and mentioned.id is not None:
                    mentions.append((stored.id, mentioned.id))
            per_entry.append((stored.id, pairs))
            found.extend(announcements)
        new = {stored.id for stored in entries if stored.new}
        changes = await tx.shows.record_announcements(per_entry, now=now, new=new)
        await tx.shows.add_mentions(mentions)
        if changes.touched:
            queued = await refold_seasons(
                tx,
                changes.touched,
                now=now,
                may_alert=may_alert.__contains__,
                added=changes.added,
            )
            if queued:
                tx.after_commit(self._on_queued)
        return found

    async def _show_for(self, tx: Tx, item: Announcement) -> Show | None:
        """The stored show an announcement is about, learning it when the text sets its
        name apart or a second outlet names it too; None while it is neither."""
        from bot.recognition import new_shows

        known = self._known.catalogue.get(item.show)
        if known is not None and known.id is not None:
            if self._known.catalogue.get_own(known.name) is None:
                # A mirror show in the news: read its news from now on.
                await self._known.read_news_of(tx, known)
            return known
        if not new_shows([item], self._known.catalogue) and not self._known.confirmed(
            item.show, item.source.outlet or item.source.link or ""
        ):
            log.debug("not learning %r from one outlet's unquoted words", item.show)
            return None
        log.info("learned a new show from the news: %s", item.show)
        return await self._known.learn(
            tx, Show(name=item.show, network=item.network), origin="recognition"
        )


async def refold_seasons(
    tx: Tx,
    seasons: set[tuple[int, int | None]],
    *,
    now: datetime,
    may_alert: Callable[[tuple[int, int | None]], bool],
    added: Mapping[tuple[int, int | None], Sequence[Announcement]] | None = None,
) -> int:
    """Fold these (show id, season) pairs again with their announcements and listings (the
    rules of `fold_season`), store the states and queue what is alert-worthy in each change
    whose key `may_alert` allows. Returns deliveries queued. A season in `added` that only
    gained those announcements (as stored, whatever name of the show they carry: see
    `ShowRepo.record_announcements`) goes on from its stored fold summary, at a cost
    that does not grow with its history (bot/state/fold_step.py); the others are folded
    from all their announcements. (Premiere reminders need no word from here: the
    reminder sweep reads the stored premiere dates.)"""
    stored, listed = await tx.shows.stored_folds_of(seasons, lock=True, states=may_alert)
    unstored = [key for key in seasons if key not in stored]
    if unstored:
        listed.update(await tx.listings.of(unstored))
    folded: dict[tuple[int, int | None], FoldSummary] = {}
    for key, items in (added or {}).items():
        show_id, season = key
        listing = _listing(listed.get((show_id, season)) if season is not None else None)
        summary = _go_on(stored.get(key), items, listing)
        if key in seasons and summary is not None:
            folded[key] = summary
    rest = [key for key in seasons if key not in folded]
    announcements = await tx.shows.announcements_of(rest) if rest else {}
    saves: list[tuple[int, SeasonState, FoldSummary]] = []
    worthy: list[tuple[int, AlertChange]] = []
    for key in sorted(seasons, key=_season_order):
        show_id, season = key
        summary = folded.get(key)
        if summary is None:
            record = listed.get((show_id, season)) if season is not None else None
            if not announcements[key] and record is None:
                await tx.shows.delete_state(show_id, season)
                continue
            listing = _listing(record)
            summary = summarise(announcements[key], listing=listing)
            new = fold_season(announcements[key], listing=listing)  # the reference fold
        else:
            new = summary_state(summary)
        saves.append((show_id, new, summary))
        if may_alert(key):
            old = stored[key].state if key in stored else None
            worthy.extend((show_id, c) for c in alert_worthy_changes(old, new, today=now.date()))
    worthy = await _without_retold(tx, worthy)
    await tx.shows.save_folded(saves, now=now)
    return await tx.outbox.record_alerts(worthy, now=now)


def _listing(record: ListingRecord | None) -> Announcement | None:
    if record is None:
        return None
    return listing_announcement(
        record.show_name,
        record.season,
        record.premiere_date,
        link=record.link,
        listed_at=record.listed_at,
    )


def _go_on(
    stored: StoredFold | None,
    items: Sequence[Announcement],
    listing: Announcement | None,
) -> FoldSummary | None:
    """The stored fold summary with `items` folded in, or None when the season must be
    folded from all its announcements: no summary, one folded under another listing or
    another name of the show (renamed since), or news that a step cannot place."""
    if stored is None:
        return None
    summary = stored.summary
    if summary is None or summary.listing != listing or summary.show != stored.show:
        return None
    # Named as the store names the show (the state is read with its name), as a read of
    # the stored announcements would name them.
    return fold_step(summary, [_named(item, stored.show) for item in items])


async def _without_retold(
    tx: Tx, worthy: list[tuple[int, AlertChange]]
) -> list[tuple[int, AlertChange]]:
    """Drop status alerts that a sibling reading of the same news already gave (a renewal
    with and without its season number is one renewal). Reads the states as they were
    before this batch is saved."""
    statuses = {Event.RENEWED.value, Event.CANCELLED.value, Event.ENDING.value}
    shows = {show_id for show_id, change in worthy if change.event in statuses}
    if not shows:
        return worthy
    states = await tx.shows.states_of_shows(shows)
    numbered = {(i, c.event) for i, c in worthy if c.event in statuses and c.season is not None}
    kept: list[tuple[int, AlertChange]] = []
    for show_id, change in worthy:
        if change.event in statuses and (
            told_by_sibling(change, states.get(show_id, []))
            # Both readings in one batch: the one that states its season is the alert.
            or (change.season is None and (show_id, change.event) in numbered)
        ):
            continue
        kept.append((show_id, change))
    return kept


def _named(item: Announcement, show: str) -> Announcement:
    return item if item.show == show else replace(item, show=show)


def _words(text: str) -> frozenset[str]:
    """The words of `text` as show names are compared (see `name_key`)."""
    return frozenset(name_key(text).replace(":", " ").split())


def _season_order(key: tuple[int, int | None]) -> tuple[int, int]:
    show_id, season = key
    return show_id, -1 if season is None else season
