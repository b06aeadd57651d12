"""From new feed entries to announcements, show state and queued alerts.

The poller calls `AnnouncementSink` inside the transaction that records the entries, so an
entry is stored if and only if what it announces is stored too, and an alert is queued in
the same transaction as the state change that caused it (the outbox pattern).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.clock import Clock, utc_now
from bot.models import Announcement, SeasonState, Show
from bot.recognition import mentioned_shows, recognise
from bot.shows.known import KnownShows
from bot.state.alerts import alert_worthy_changes
from bot.state.fold import fold_season
from db.records import FeedRecord, StoredEntry
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
        entries allowed to raise alerts (recent news, not a new feed's backlog)."""
        now = self._clock()
        found: list[Announcement] = []
        # (show id, season) -> may this batch's change to it alert?
        touched: dict[tuple[int, int | None], bool] = defaultdict(bool)
        for stored in entries:
            announcements = recognise(stored.entry, self._known.catalogue)
            pairs: list[tuple[int, Announcement]] = []
            for item in announcements:
                show = await self._show_for(tx, item)
                assert show.id is not None
                pairs.append((show.id, item))
            for key in await tx.shows.replace_announcements(stored.id, pairs, now=now):
                touched[key] = touched[key] or stored.id in alertable
            mention_ids = [
                mentioned.id
                for name in mentioned_shows(stored.entry, self._known.catalogue)
                if (mentioned := self._known.catalogue.get(name)) is not None
                and mentioned.id is not None
            ]
            await tx.shows.add_mentions(stored.id, [*mention_ids, *(p[0] for p in pairs)])
            found.extend(announcements)
        queued = 0
        for (show_id, season), may_alert in sorted(touched.items(), key=_touched_order):
            before, after, count = await refold_season(
                tx, show_id, season, now=now, may_alert=may_alert
            )
            queued += count
            if after is not None and (before is None or _premiere(before) != _premiere(after)):
                tx.after_commit(_bind(self._on_premiere, show_id, after))
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


def _touched_order(item: tuple[tuple[int, int | None], bool]) -> tuple[int, int]:
    (show_id, season), _ = item
    return show_id, -1 if season is None else season


def _premiere(state: SeasonState) -> tuple[object, ...]:
    return (state.premiere_date, state.premiere_certainty)


def _bind(
    callback: Callable[[int, SeasonState], object], show_id: int, state: SeasonState
) -> Callable[[], None]:
    def call() -> None:
        callback(show_id, state)

    return call


async def refold_season(
    tx: Tx, show_id: int, season: int | None, *, now: datetime, may_alert: bool
) -> tuple[SeasonState | None, SeasonState | None, int]:
    """Fold one season's announcements again, store the state and, when `may_alert`,
    queue what is alert-worthy in the change. Returns the state before, the state after
    (None when no announcement speaks of the season any more) and deliveries queued."""
    before = await tx.shows.state(show_id, season)
    announcements = await tx.shows.announcements(show_id, season)
    if not announcements:
        await tx.shows.delete_state(show_id, season)
        return before, None, 0
    after = fold_season(announcements)
    await tx.shows.save_state(show_id, after, now=now)
    if not may_alert:
        return before, after, 0
    queued = 0
    for change in alert_worthy_changes(before, after, today=now.date()):
        queued += await tx.outbox.record_alert(show_id, change, now=now)
    return before, after, queued
