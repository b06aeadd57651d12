"""Premieres as Discord scheduled events, in the servers that turned them on
(`/settings premiere-events on`).

Each watched show's upcoming premiere (bot/premieres.py: official or reported, from the
news or TVmaze) is an external event "Citadel — Season 2 premiere" in the server, at the
server's reminder hour on the premiere date, located at the network or streamer, with the
sources and how sure the date is in its description. One event per server, show and
season — the premiere's identity, not its date — so a moved date edits the event, and a
cancellation or a dropped date deletes it.

`EventSync.run_once` reconciles what should be with what was made, recorded in the store
(db/premiere_events.py): it creates what is missing, edits what changed (a fingerprint of
what the event says) and deletes what is no longer wanted. An event whose premiere has
begun is left alone and forgotten. A create is noted before it is sent, so a sync after a
crash looks for the event it may have made instead of making a second one; the event id
is stored, so a restart reconciles instead of starting over. When Discord refuses (the
bot lost Manage Events), the server's setting is turned off and its admin log says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from bot.admin_log import log_events_refused
from bot.clock import Clock, utc_now
from bot.premieres import Premiere, upcoming_premieres
from bot.records import PremiereEventRecord, WatchRecord
from bot.server_settings import ServerDefaults, ServerSettings, resolve
from db.store import Store

log = logging.getLogger(__name__)

EVENT_LENGTH = timedelta(hours=1)  # Discord needs an end for an external event
MAX_NAME = 100
MAX_DESCRIPTION = 1000
MAX_LOCATION = 100

Key = tuple[int, int, int | None]  # guild, show, season


@dataclass(frozen=True, slots=True)
class EventPlan:
    """What a premiere's scheduled event in one server should say."""

    guild_id: int
    show_id: int
    season: int | None
    premiere_date: date
    name: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str

    @property
    def key(self) -> Key:
        """The premiere in the server: one event each."""
        return (self.guild_id, self.show_id, self.season)

    @property
    def fingerprint(self) -> str:
        """A digest of what the event says: it changes exactly when an edit is due."""
        said = [
            self.name,
            self.starts_at.isoformat(),
            self.ends_at.isoformat(),
            self.location,
            self.description,
        ]
        return hashlib.sha256(json.dumps(said).encode()).hexdigest()[:32]


def plan_event(premiere: Premiere, server: ServerSettings) -> EventPlan:
    """The event for a premiere in a server: at its reminder hour on the premiere date."""
    starts = server.moment(premiere.day, server.reminder_hour)
    description = premiere.description()
    if len(description) > MAX_DESCRIPTION:
        description = premiere.description(max_sources=3)[:MAX_DESCRIPTION]
    return EventPlan(
        guild_id=server.guild_id,
        show_id=premiere.show_id,
        season=premiere.state.season,
        premiere_date=premiere.day,
        name=premiere.title[:MAX_NAME],
        starts_at=starts,
        ends_at=starts + EVENT_LENGTH,
        location=premiere.location[:MAX_LOCATION],
        description=description,
    )


def plan_events(
    premieres: Iterable[Premiere],
    watches: Iterable[WatchRecord],
    servers: dict[int, ServerSettings],
    *,
    now: datetime,
) -> dict[Key, EventPlan]:
    """Every event that should exist: for each server with events on, the premieres of
    the shows it watches (sure enough for one of its watches of the show), starting after
    `now` (Discord refuses an event in the past)."""
    by_show: dict[int, list[Premiere]] = {}
    for premiere in premieres:
        by_show.setdefault(premiere.show_id, []).append(premiere)
    plans: dict[Key, EventPlan] = {}
    for watch in watches:
        server = servers.get(watch.guild_id)
        if server is None or not server.premiere_events or watch.disabled_reason:
            continue
        for premiere in by_show.get(watch.show_id, []):
            if not watch.certainty.admits(premiere.certainty):
                continue
            plan = plan_event(premiere, server)
            if plan.starts_at > now:
                plans.setdefault(plan.key, plan)
    return plans


@dataclass(frozen=True, slots=True)
class Made:
    """Discord has the event (created or edited), or deleted it as asked."""

    event_id: int


@dataclass(frozen=True, slots=True)
class Missing:
    """The event is not on Discord (deleted by someone)."""


@dataclass(frozen=True, slots=True)
class Refused:
    """The bot may not manage the server's events (Manage Events missing)."""

    error: str


@dataclass(frozen=True, slots=True)
class Failed:
    """A passing failure (5xx, network): try again at the next sync."""

    error: str


@dataclass(frozen=True, slots=True)
class GuildGone:
    """The bot is no longer in the server."""


EventOutcome = Made | Missing | Refused | Failed | GuildGone


class ScheduledEvents(Protocol):
    """A server's scheduled events on Discord (implemented with discord.py in cogs/)."""

    async def create(self, plan: EventPlan) -> EventOutcome:
        """Create the event; Made carries its id."""
        ...

    async def edit(self, event_id: int, plan: EventPlan) -> EventOutcome:
        """Make the event say what `plan` says."""
        ...

    async def delete(self, guild_id: int, event_id: int) -> EventOutcome:
        """Delete the event (Missing when it was already gone)."""
        ...

    async def find(self, guild_id: int, name: str, since: datetime) -> int | None:
        """An event named `name` the bot created since `since`, if there is one."""
        ...


@dataclass(slots=True)
class EventSyncReport:
    """What one reconciliation did."""

    created: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # made by an attempt that crashed
    refused: list[int] = field(default_factory=list)  # servers that turned off
    failed: int = 0

    @property
    def changed(self) -> bool:
        """Whether anything on Discord changed."""
        return bool(self.created or self.edited or self.deleted or self.found)


class EventSync:
    """Keeps the servers' premiere events in step with the premieres."""

    def __init__(
        self,
        store: Store,
        events: ScheduledEvents,
        *,
        defaults: ServerDefaults,
        clock: Clock = utc_now,
        on_logged: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._events = events
        self._defaults = defaults
        self._clock = clock
        self._on_logged = on_logged  # an admin log message was queued: send it
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """Something changed (a date, a watch, a setting): reconcile soon."""
        self._wake.set()

    @property
    def stopping(self) -> bool:
        """Whether `stop` was called."""
        return self._stopping

    def stop(self) -> None:
        """Let `run_forever` return after the pass under way (a pass stopped halfway
        would leave a store connection mid-query)."""
        self._stopping = True
        self._wake.set()

    async def run_forever(self, idle_seconds: float = 900.0) -> None:
        """Reconcile now, then whenever woken or every `idle_seconds`, until stopped."""
        while not self._stopping:
            self._wake.clear()
            try:
                await self.run_once()
            except Exception:
                log.exception("premiere events sync failed; trying again later")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=idle_seconds)

    async def run_once(self) -> EventSyncReport:
        """One reconciliation of every server's premiere events."""
        async with self._lock:
            return await self._reconcile()

    async def _reconcile(self) -> EventSyncReport:
        now = self._clock()
        report = EventSyncReport()
        async with self._store.read() as tx:
            enabled = await tx.guild_settings.with_premiere_events()
            servers = {record.guild_id: resolve(record, self._defaults) for record in enabled}
            watches = [w for guild in servers for w in await tx.watches.for_guild(guild)]
            premieres = await upcoming_premieres(
                tx, {w.show_id for w in watches}, today=now.date() - timedelta(days=1)
            )
            recorded = {
                (r.guild_id, r.show_id, r.season): r for r in await tx.premiere_events.all()
            }
        plans = plan_events(premieres, watches, servers, now=now)
        refused: set[int] = set()
        for key, record in recorded.items():
            if key not in plans and record.guild_id not in refused:
                await self._remove(record, now, report, refused)
        for key, plan in plans.items():
            if plan.guild_id not in refused:
                await self._ensure(plan, recorded.get(key), report, refused)
        if report.changed:
            log.info(
                "premiere events: %d created, %d edited, %d deleted",
                len(report.created),
                len(report.edited),
                len(report.deleted),
            )
        return report

    async def _remove(
        self, record: PremiereEventRecord, now: datetime, report: EventSyncReport, refused: set[int]
    ) -> None:
        """An event no longer wanted: deleted, unless its premiere has begun (then it is
        the server's history, and only forgotten)."""
        event_id = record.event_id
        if event_id is None:
            event_id = await self._events.find(record.guild_id, record.name, record.started_at)
        if event_id is not None and record.starts_at > now:
            outcome = await self._events.delete(record.guild_id, event_id)
            if isinstance(outcome, Failed):
                report.failed += 1
                return
            if isinstance(outcome, Refused):
                await self._refused(record.guild_id, outcome, report, refused)
                return
            if isinstance(outcome, Made):
                report.deleted.append(record.name)
        async with self._store.transaction() as tx:
            await tx.premiere_events.forget(record.guild_id, record.show_id, record.season)

    async def _ensure(
        self,
        plan: EventPlan,
        record: PremiereEventRecord | None,
        report: EventSyncReport,
        refused: set[int],
    ) -> None:
        """Create the event, or edit it when what it says changed."""
        event_id = None if record is None else record.event_id
        if record is not None and event_id is None:
            # An earlier sync started creating it: it may exist already.
            event_id = await self._events.find(plan.guild_id, record.name, record.started_at)
            if event_id is not None:
                report.found.append(plan.name)
        elif record is not None and record.fingerprint == plan.fingerprint:
            return
        outcome: EventOutcome = Missing()
        if event_id is not None:
            outcome = await self._events.edit(event_id, plan)
            if isinstance(outcome, Made) and record is not None and record.event_id is not None:
                report.edited.append(plan.name)
        if isinstance(outcome, Missing):
            await self._claim(plan, fresh=record is not None)
            outcome = await self._events.create(plan)
            if isinstance(outcome, Made):
                report.created.append(plan.name)
        await self._settle(plan, outcome, report, refused)

    async def _claim(self, plan: EventPlan, *, fresh: bool) -> None:
        """Note, before creating, that a create is under way (a crash then leaves a row
        without an event, which the next sync looks for instead of creating twice)."""
        now = self._clock()
        async with self._store.transaction() as tx:
            if fresh:  # the recorded event is gone: start over
                await tx.premiere_events.forget(plan.guild_id, plan.show_id, plan.season)
            await tx.premiere_events.claim(
                plan.guild_id,
                plan.show_id,
                plan.season,
                name=plan.name,
                premiere_date=plan.premiere_date,
                starts_at=plan.starts_at,
                now=now,
            )

    async def _settle(
        self, plan: EventPlan, outcome: EventOutcome, report: EventSyncReport, refused: set[int]
    ) -> None:
        if isinstance(outcome, Made):
            async with self._store.transaction() as tx:
                await tx.premiere_events.record(
                    plan.guild_id,
                    plan.show_id,
                    plan.season,
                    event_id=outcome.event_id,
                    name=plan.name,
                    premiere_date=plan.premiere_date,
                    starts_at=plan.starts_at,
                    fingerprint=plan.fingerprint,
                    now=self._clock(),
                )
        elif isinstance(outcome, Refused):
            await self._refused(plan.guild_id, outcome, report, refused)
        elif isinstance(outcome, GuildGone):
            async with self._store.transaction() as tx:
                await tx.premiere_events.forget(plan.guild_id, plan.show_id, plan.season)
        else:  # Failed (or Missing after a create: Discord lost it): try next time
            report.failed += 1

    async def _refused(
        self, guild_id: int, outcome: Refused, report: EventSyncReport, refused: set[int]
    ) -> None:
        """The bot may not manage this server's events: turn the setting off, forget the
        events (they stay as they are) and tell the server's admin log."""
        log.warning("server %s refused its premiere events: %s", guild_id, outcome.error)
        refused.add(guild_id)
        report.refused.append(guild_id)
        now = self._clock()
        async with self._store.transaction() as tx:
            await tx.guild_settings.update(guild_id, now=now, premiere_events=False)
            for record in await tx.premiere_events.for_guild(guild_id):
                await tx.premiere_events.forget(record.guild_id, record.show_id, record.season)
            if await log_events_refused(tx, guild_id, outcome.error, now=now):
                tx.after_commit(self._on_logged)
