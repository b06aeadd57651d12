"""Read-only answers: upcoming premieres, a show's latest headlines, the bot's health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.feeds.health import FeedHealth, feed_health
from bot.models import SeasonState, Source
from bot.records import ProcessRecord
from bot.services import Services

MAX_UPCOMING_DAYS = 366


@dataclass(frozen=True, slots=True)
class Upcoming:
    """Premieres in a date range, for this server's shows or for every known show."""

    days: int
    scope: str  # "watched" | "all"
    premieres: tuple[SeasonState, ...]


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Feed health, the delivery backlog, the catalogue's size, and the processes running
    on the store (the worker first) with the one answering (`answering`, its name)."""

    feeds: FeedHealth
    deliveries_pending: int
    deliveries_failed: int
    shows: int
    processes: tuple[ProcessRecord, ...] = ()
    answering: str = ""

    @property
    def worker(self) -> ProcessRecord | None:
        """The process doing the background work, if one was heard from lately."""
        return next((p for p in self.processes if p.worker), None)


async def upcoming(services: Services, *, guild_id: int | None, days: int) -> Upcoming:
    """Known premiere dates in the next `days` days, in date order: the guild's watched
    shows, or every show when the guild watches none."""
    days = max(1, min(days, MAX_UPCOMING_DAYS))
    today = services.clock().date()
    async with services.store.read() as tx:
        watched = await tx.watches.watched_show_ids(guild_id) if guild_id is not None else []
        found = await tx.shows.premieres_between(
            today, today + timedelta(days=days), watched or None
        )
    return Upcoming(
        days=days, scope="watched" if watched else "all", premieres=tuple(s for _, s in found)
    )


async def latest_news(services: Services, show_id: int, limit: int = 5) -> list[Source]:
    """The latest headlines about a show, newest first."""
    async with services.store.read() as tx:
        return await tx.shows.news(show_id, limit)


async def status_report(services: Services) -> StatusReport:
    """How the feeds and deliveries are doing."""
    # A process that missed three heartbeats is gone (or cut off from the store).
    alive_since = services.clock() - timedelta(seconds=3 * services.settings.cluster_check_seconds)
    async with services.store.read() as tx:
        health = feed_health(await tx.feeds.list())
        counts = await tx.outbox.counts()
        shows = await tx.shows.count()
        processes = await tx.processes.seen_since(alive_since)
    return StatusReport(
        feeds=health,
        deliveries_pending=counts.get("pending", 0),
        deliveries_failed=counts.get("failed", 0),
        shows=shows,
        processes=tuple(processes),
        answering=services.name,
    )
