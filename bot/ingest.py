"""From new feed entries to announcements, show state and queued alerts.

The poller calls `AnnouncementSink` inside the transaction that records the entries, so an
entry is stored if and only if what it announces is stored too, and an alert is queued in
the same transaction as the state change that caused it (the outbox pattern).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.clock import Clock, utc_now
from bot.models import AlertChange, Announcement, SeasonState, Show
from bot.recognition import read_entry
from bot.records import FeedRecord, StoredEntry
from bot.shows.known import KnownShows
from bot.state.alerts import alert_worthy_changes
from bot.state.fold import fold_season
from db.store import Tx

log = logging.getLogger(__name__)


class AnnouncementSink:
    """Recognises entries, stores announcements, refolds state and queues alerts."""

    def __init__(
        self,
        known: KnownShows,
        *,
        clock: Clock = utc_now,
        on_queued: Callable[[], None] = lambda: None,
        on_premiere: Callable[[int, SeasonState], object] = lambda show_id, state: None,
    ) -> None:
        self._known = known
        self._clock = clock
        self._on_queued = on_queued
        self._on_premiere = on_premiere

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
        now = self._clock()
        catalogue = self._known.catalogue
        found: list[Announcement] = []
        per_entry: list[tuple[int | None, list[tuple[int, Announcement]]]] = []
        mentions: list[tuple[int, int]] = []
        may_alert: set[tuple[int, int | None]] = set()
        for stored in entries:
            # One pass gives both the announcements and the shows mentioned: they share
            # the normalised text and the catalogue matches.
            reading = read_entry(stored.entry, catalogue)
            announcements = reading.announcements
            pairs: list[tuple[int, Announcement]] = []
            for item in announcements:
                show = await self._show_for(tx, item)
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
        touched = await tx.shows.replace_announcements_many(per_entry, now=now)
        await tx.shows.add_mentions(mentions)
        if touched:
            queued = await refold_seasons(
                tx,
                touched,
                now=now,
                may_alert=may_alert.__contains__,
                on_premiere=lambda show_id, state: tx.after_commit(
                    _bind(self._on_premiere, show_id, state)
                ),
            )
            if queued:
                tx.after_commit(self._on_queued)
        return found

    async def _show_for(self, tx: Tx, item: Announcement) -> Show:
        known = self._known.catalogue.get(item.show)
        if known is not None and known.id is not None:
            return known
        log.info("learned a new show from the news: %s", item.show)
        return await self._known.learn(
            tx, Show(name=item.show, network=item.network), origin="recognition"
        )


def _premiere(state: SeasonState) -> tuple[object, ...]:
    return (state.premiere_date, state.premiere_certainty)


def _bind(
    callback: Callable[[int, SeasonState], object], show_id: int, state: SeasonState
) -> Callable[[], None]:
    def call() -> None:
        callback(show_id, state)

    return call


async def refold_seasons(
    tx: Tx,
    seasons: set[tuple[int, int | None]],
    *,
    now: datetime,
    may_alert: Callable[[tuple[int, int | None]], bool],
    on_premiere: Callable[[int, SeasonState], None] = lambda show_id, state: None,
) -> int:
    """Fold these (show id, season) pairs again from their announcements, store the states
    and queue what is alert-worthy in each change whose key `may_alert` allows. Calls
    `on_premiere` for each season whose premiere changed. Returns deliveries queued."""
    before = await tx.shows.states_of(seasons)
    announcements = await tx.shows.announcements_of(seasons)
    saves: list[tuple[int, SeasonState]] = []
    worthy: list[tuple[int, AlertChange]] = []
    for key in sorted(seasons, key=_season_order):
        show_id, season = key
        old = before.get(key)
        if not announcements[key]:
            await tx.shows.delete_state(show_id, season)
            continue
        new = fold_season(announcements[key])
        saves.append((show_id, new))
        if old is None or _premiere(old) != _premiere(new):
            on_premiere(show_id, new)
        if may_alert(key):
            worthy.extend((show_id, c) for c in alert_worthy_changes(old, new, today=now.date()))
    await tx.shows.save_states(saves, now=now)
    return await tx.outbox.record_alerts(worthy, now=now)


def _season_order(key: tuple[int, int | None]) -> tuple[int, int]:
    show_id, season = key
    return show_id, -1 if season is None else season
