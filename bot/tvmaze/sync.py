"""Keeping the TVmaze mirror and the premiere listings up to date.

* `index`: pages through `/shows?page=N` until a 404, one transaction per page, with the
  page's validators kept for a conditional request next time (a 304 costs no parsing).
  Progress is kept, so an interrupted first sync resumes where it stopped.
* `updates`: `/updates/shows?since=day` (week or month after a longer gap; the whole index
  when older or never completed), then refetches only the shows whose `updated` stamp
  moved, with their AKAs.
* `premieres`: `/schedule/full` (every future episode, one call) gives each season's
  premiere (episode 1); `/shows/:id/seasons` adds the watched shows' announced premiere
  dates that have no episodes yet. New and moved dates are stored as listings and the
  seasons refolded: a new date for a watched show is an alert with the same identity as
  the same date from the news, so it is sent once.

One `asyncio.Lock` runs one sync at a time; every call goes through the shared client's
rate limit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock, utc_now
from bot.ingest import refold_seasons
from bot.records import ListingRecord, MirrorChanges
from bot.shows.known import KnownShows
from bot.tvmaze.client import Answer, TvmazeClient, Validators
from bot.tvmaze.shapes import (
    SeasonPremiere,
    TvmazeShow,
    read_season_premieres,
    read_show,
    read_shows,
    read_updates,
    schedule_episodes,
    schedule_premieres,
)
from db.store import Store

log = logging.getLogger(__name__)

INDEX_STATE = "tvmaze:index"  # {"next_page": N, "complete": bool}
UPDATES_STATE = "tvmaze:updates_at"  # ISO time the last updates sync started
VALIDATORS = "http:"  # + path: the validators of that path's last answer
_SINCE = (("day", timedelta(hours=23)), ("week", timedelta(days=6)), ("month", timedelta(days=29)))
_BATCH = 50  # refetched shows per transaction


@dataclass(slots=True)
class SyncReport:
    """What one sync did, for logs and `python -m bot catalogue sync`."""

    kind: str
    pages: int = 0
    fetched: int = 0  # shows read from TVmaze
    added: int = 0
    linked: int = 0
    updated: int = 0
    renamed: list[tuple[str, str]] = field(default_factory=list)
    listed: list[tuple[str, int, str]] = field(default_factory=list)  # show, season, date
    moved: list[tuple[str, int, str, str]] = field(default_factory=list)  # ..., from, to
    unlisted: int = 0
    alerts: int = 0
    calls: int = 0
    rate_limited: int = 0
    not_modified: int = 0
    seconds: float = 0.0

    def count(self, changes: MirrorChanges) -> None:
        """Add a batch's mirror changes."""
        self.added += len(changes.added)
        self.linked += len(changes.linked)
        self.updated += changes.updated
        self.renamed.extend((before.name, after.name) for before, after in changes.renamed)

    def lines(self) -> list[str]:
        """The report in a few lines of text."""
        head = f"TVmaze {self.kind}: "
        if self.kind == "premieres":
            head += (
                f"{len(self.listed)} new premiere dates, {len(self.moved)} moved, "
                f"{self.unlisted} withdrawn, {self.alerts} alerts queued"
            )
        else:
            head += (
                f"{self.pages} pages, {self.fetched} shows read: {self.added} new, "
                f"{self.linked} linked to known shows, {self.updated} updated, "
                f"{len(self.renamed)} renamed"
            )
        lines = [head]
        lines.extend(f"  renamed: {old} -> {new}" for old, new in self.renamed[:20])
        lines.extend(
            f"  listed: {show} season {season}: {day}" for show, season, day in self.listed[:20]
        )
        lines.extend(
            f"  moved: {show} season {season}: {old} -> {new}"
            for show, season, old, new in self.moved[:20]
        )
        lines.append(
            f"  {self.calls} calls ({self.not_modified} not modified, "
            f"{self.rate_limited} rate-limited) in {self.seconds:.1f} s"
        )
        return lines


class CatalogueSync:
    """Runs the syncs against one store, one client and the known shows."""

    def __init__(
        self,
        store: Store,
        client: TvmazeClient,
        known: KnownShows,
        *,
        clock: Clock = utc_now,
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.client = client
        self.known = known
        self.clock = clock
        self._on_queued = on_queued
        self._lock = asyncio.Lock()

    # -- helpers -------------------------------------------------------------------------

    async def _get(
        self, path: str, params: dict[str, str] | None = None, *, conditional: bool = True
    ) -> Answer:
        key = (
            VALIDATORS
            + path
            + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        )
        validators = None
        if conditional:
            async with self.store.read() as tx:
                kept = await tx.sync_state.get(key)
            if isinstance(kept, dict):
                validators = Validators(kept.get("etag"), kept.get("last_modified"))
        answer = await self.client.get(path, params, validators=validators)
        kept_now = answer.validators
        if conditional and answer.status == 200 and (kept_now.etag or kept_now.last_modified):
            value = {"etag": kept_now.etag, "last_modified": kept_now.last_modified}
            async with self.store.transaction() as tx:
                await tx.sync_state.put(key, value, now=self.clock())
        return answer

    async def _apply(
        self, shows: list[TvmazeShow], report: SyncReport, *, next_page: int | None = None
    ) -> MirrorChanges:
        async with self.store.transaction() as tx:
            changes = await tx.mirror.apply(shows, now=self.clock())
            await self.known.share(tx, added=changes.added, renamed=changes.renamed)
            if next_page is not None:  # with the page, so a stop between them loses nothing
                await tx.sync_state.put(
                    INDEX_STATE, {"next_page": next_page, "complete": False}, now=self.clock()
                )
        self.known.absorb(changes.added, changes.renamed)
        report.fetched += len(shows)
        report.count(changes)
        return changes

    def _finish(
        self, report: SyncReport, started: float, calls: tuple[int, int, int]
    ) -> SyncReport:
        stats = self.client.stats
        report.calls = stats.calls - calls[0]
        report.rate_limited = stats.rate_limited - calls[1]
        report.not_modified = stats.not_modified - calls[2]
        report.seconds = time.perf_counter() - started
        for line in report.lines():
            log.info("%s", line)
        return report

    def _mark(self) -> tuple[float, tuple[int, int, int]]:
        stats = self.client.stats
        return time.perf_counter(), (stats.calls, stats.rate_limited, stats.not_modified)

    # -- the syncs -------------------------------------------------------------------------

    async def sync(self) -> list[SyncReport]:
        """What `catalogue sync` runs: the index (first time) or the updates, then the
        premieres."""
        return [await self.updates(), await self.premieres()]

    async def index(self) -> SyncReport:
        """Page through TVmaze's whole show index (resuming an interrupted first sync)."""
        async with self._lock:
            return await self._index()

    async def _index(self) -> SyncReport:
        started, calls = self._mark()
        report = SyncReport("index")
        async with self.store.read() as tx:
            progress = await tx.sync_state.get(INDEX_STATE) or {}
        page = 0 if progress.get("complete") else int(progress.get("next_page", 0))
        begun = self.clock()
        while True:
            answer = await self._get("/shows", {"page": str(page)})
            if answer.not_found:
                break
            report.pages += 1
            page += 1
            if answer.status == 200:
                await self._apply(read_shows(answer.data), report, next_page=page)
            else:
                async with self.store.transaction() as tx:
                    await tx.sync_state.put(
                        INDEX_STATE, {"next_page": page, "complete": False}, now=self.clock()
                    )
        async with self.store.transaction() as tx:
            values: dict[str, object] = {INDEX_STATE: {"next_page": 0, "complete": True}}
            if not progress.get("complete"):
                values[UPDATES_STATE] = begun.isoformat()  # updates from the start of paging on
            await tx.sync_state.put_many(values, now=self.clock())
        return self._finish(report, started, calls)

    async def updates(self) -> SyncReport:
        """Refetch the shows changed since the last sync (the whole index when there was
        none, or it was too long ago for `/updates/shows`)."""
        async with self._lock:
            async with self.store.read() as tx:
                progress = await tx.sync_state.get(INDEX_STATE) or {}
                last = await tx.sync_state.get(UPDATES_STATE)
            now = self.clock()
            gap = now - datetime.fromisoformat(last) if isinstance(last, str) else None
            since = next((name for name, span in _SINCE if gap is not None and gap <= span), None)
            if not progress.get("complete") or since is None:
                return await self._index()
            return await self._updates(since, now)

    async def _updates(self, since: str, begun: datetime) -> SyncReport:
        started, calls = self._mark()
        report = SyncReport("updates")
        answer = await self._get("/updates/shows", {"since": since}, conditional=False)
        stamps = read_updates(answer.data)
        async with self.store.read() as tx:
            mirrored = await tx.mirror.updated_stamps(stamps)
        changed = sorted(tid for tid, stamp in stamps.items() if mirrored.get(tid) != stamp)
        batch: list[TvmazeShow] = []
        for tvmaze_id in changed:
            single = await self._get(f"/shows/{tvmaze_id}", {"embed": "akas"}, conditional=False)
            show = read_show(single.data) if single.status == 200 else None
            if show is not None:
                batch.append(show)
            if len(batch) >= _BATCH:
                await self._apply(batch, report)
                batch = []
        if batch:
            await self._apply(batch, report)
        async with self.store.transaction() as tx:
            await tx.sync_state.put(UPDATES_STATE, begun.isoformat(), now=self.clock())
        return self._finish(report, started, calls)

    async def premieres(self) -> SyncReport:
        """Refresh the premiere listings from the schedule and the watched shows' seasons."""
        async with self._lock:
            return await self._premieres()

    async def _premieres(self) -> SyncReport:
        started, calls = self._mark()
        report = SyncReport("premieres")
        today = self.clock().date()
        found: list[SeasonPremiere] = []
        complete: set[int] | None = set()  # shows whose every listing was read (None: all)
        kept: set[int] = set()  # shows whose seasons did not change (304)
        schedule = await self._get("/schedule/full")
        if schedule.status == 200:
            episodes = list(schedule_episodes(schedule.data))
            found.extend(schedule_premieres(episodes, today=today))
            complete = None
            shows = {show.id: show for _, data in episodes if (show := read_show(data)) is not None}
            async with self.store.read() as tx:
                known = await tx.mirror.updated_stamps(shows)
            missing = [show for tid, show in shows.items() if tid not in known]
            if missing:
                await self._apply(missing, report)
        async with self.store.read() as tx:
            watched = await tx.mirror.watched()
        for tvmaze_id in watched:
            answer = await self._get(f"/shows/{tvmaze_id}/seasons")
            if answer.not_modified:
                kept.add(tvmaze_id)
            elif answer.status == 200:
                found.extend(
                    p for p in read_season_premieres(tvmaze_id, answer.data) if p.premiere >= today
                )
                if complete is not None:
                    complete.add(tvmaze_id)
        await self._store_premieres(found, complete, kept, set(watched), report)
        return self._finish(report, started, calls)

    async def _store_premieres(
        self,
        found: list[SeasonPremiere],
        complete: set[int] | None,
        kept: set[int],
        watched: set[int],
        report: SyncReport,
    ) -> None:
        now = self.clock()
        today = now.date()
        async with self.store.transaction() as tx:
            ids = await tx.mirror.show_ids(
                {p.show_id for p in found} | kept | watched | (complete or set())
            )
            by_show = {show_id: tid for tid, (show_id, _, _) in ids.items()}
            wanted: dict[tuple[int, int], tuple[SeasonPremiere, str, str | None]] = {}
            for premiere in found:  # seasons' own dates come last and win
                if premiere.show_id in ids:
                    show_id, name, link = ids[premiere.show_id]
                    wanted[(show_id, premiere.season)] = (premiere, name, link)
            current = await tx.listings.from_date(today)
            puts: list[ListingRecord] = []
            for key, (premiere, name, link) in wanted.items():
                old = current.get(key)
                if old is not None and old.premiere_date == premiere.premiere:
                    continue
                puts.append(ListingRecord(key[0], key[1], premiere.premiere, link, now, name))
                if old is None:
                    report.listed.append((name, key[1], premiere.premiere.isoformat()))
                else:
                    report.moved.append(
                        (name, key[1], old.premiere_date.isoformat(), premiere.premiere.isoformat())
                    )
            gone = [
                key
                for key in current
                if key not in wanted
                and by_show.get(key[0]) not in kept
                and (complete is None or by_show.get(key[0]) in complete)
            ]
            await tx.listings.put(puts, now=now)
            await tx.listings.remove(gone)
            report.unlisted += len(gone)
            watched_ids = {ids[tid][0] for tid in watched if tid in ids}
            touched: set[tuple[int, int | None]] = {(r.show_id, r.season) for r in puts}
            touched.update(gone)
            report.alerts = await refold_seasons(
                tx,
                touched,
                now=now,
                may_alert=lambda key: key[0] in watched_ids,
            )
            if report.alerts:
                tx.after_commit(self._on_queued)
