"""Wiring the long-running parts together: feed polling on a schedule, premiere
reminders and daily digests (each at the server's local hour), and (for `run`) the Discord
client that delivers alerts and answers commands.

Start-up order: store (migrated) → known shows → the worker lock (bot/cluster.py) → the
name search's statements warmed in the background (`KnownShows.warm`) → if this process is
the worker: default feeds → fetcher → scheduler jobs rebuilt from the
store (feeds, reminders, the TVmaze syncs) → Discord (this process's shards). A standby
starts the same work when it takes over. Shutdown runs the other way and never cuts a
database write in half: polls in flight are abandoned or finish their write, a TVmaze sync
stops between two transactions, undelivered alerts stay in the outbox for the next worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.alerts.digest import DigestSchedule
from bot.alerts.reminders import ReminderSchedule
from bot.cluster import Cluster
from bot.feeds.decide import PollPolicy
from bot.feeds.fetch import FeedFetcher
from bot.feeds.poller import Poller
from bot.feeds.schedule import FeedSchedule
from bot.feeds.sources import seed_default_feeds
from bot.ingest import AnnouncementSink
from bot.server_settings import ServerDefaults
from bot.services import Services
from bot.task_dump import tasks_on_signal
from bot.tvmaze.client import TvmazeClient
from bot.tvmaze.schedule import CatalogueSchedule
from bot.tvmaze.sync import CatalogueSync

log = logging.getLogger(__name__)

EXTENSIONS = (
    "cogs.shows",
    "cogs.watches",
    "cogs.settings",
    "cogs.admin",
    "cogs.alerts",
    "cogs.follows",
    "cogs.calendar",
    "cogs.premiere_events",
)


class FeedRuntime:
    """The poller, its schedule, the reminder and digest sweeps, on one AsyncIOScheduler."""

    def __init__(self, services: Services, *, fetcher: FeedFetcher | None = None) -> None:
        settings = services.settings
        self.services = services
        self.fetcher = fetcher or FeedFetcher.from_settings(settings, policy=services.url_policy)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        defaults = ServerDefaults.from_settings(settings)
        self.reminders = ReminderSchedule(
            services.store,
            defaults=defaults,
            clock=services.clock,
            on_queued=services.deliveries_queued,
        )
        self.digests = DigestSchedule(
            services.store,
            defaults=defaults,
            clock=services.clock,
            on_queued=services.deliveries_queued,
        )
        self.sink = AnnouncementSink(
            services.known,
            clock=services.clock,
            on_queued=services.deliveries_queued,
        )
        self.poller = Poller(
            services.store,
            self.fetcher,
            self.sink,
            PollPolicy.from_settings(settings),
            clock=services.clock,
            on_logged=services.deliveries_queued,
        )
        self.schedule = FeedSchedule(
            self.scheduler,
            self.poller,
            services.store,
            interval=timedelta(minutes=settings.poll_interval_minutes),
        )
        self.tvmaze: TvmazeClient | None = None
        self.catalogue: CatalogueSchedule | None = None
        if settings.tvmaze_enabled:
            self.tvmaze = TvmazeClient.from_settings(settings)  # one client, one rate limit
            sync = CatalogueSync(
                services.store,
                self.tvmaze,
                services.known,
                clock=services.clock,
                on_queued=services.deliveries_queued,
            )
            self.catalogue = CatalogueSchedule(self.scheduler, sync)

    async def start(self) -> None:
        """Seed the default feeds if none are followed, then schedule every job."""
        added = await seed_default_feeds(self.services.store)
        if added:
            log.info("following the %d default feeds", len(added))
        self.scheduler.start()
        feeds = await self.schedule.start()
        self.reminders.start(self.scheduler)
        self.digests.start(self.scheduler)
        if self.catalogue is not None:
            self.catalogue.start()
        self.services.feed_schedule = self.schedule
        # Catch up on what came due while the bot was down.
        reminders = await self.reminders.run()
        digests = await self.digests.run()
        log.info(
            "polling %d feeds; queued %d premiere reminders and %d digests due while stopped",
            feeds,
            reminders,
            digests,
        )

    @property
    def last_polled_at(self) -> datetime | None:
        """When this runtime last fetched a feed."""
        return self.poller.last_polled_at

    async def stop(self) -> None:
        """Stop scheduling, let started writes finish, close the HTTP session."""
        self.services.feed_schedule = None
        if self.catalogue is not None:
            await self.catalogue.stop()
        await self.schedule.shutdown()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.poller.drain()
        await self.fetcher.close()
        if self.tvmaze is not None:
            await self.tvmaze.close()


async def run(services: Services, token: str) -> None:
    """Run the bot until SIGTERM/SIGINT or a fatal Discord error: this process's shards,
    and the background work while it is the worker. Raises StoreInUseError (before
    connecting) when another process runs on this SQLite file."""
    from bot.client import CliffhangerBot, run_bot  # the one place that brings in discord

    settings = services.settings
    bot = CliffhangerBot(
        services=services,
        extensions=EXTENSIONS,
        dev_guild_id=settings.dev_guild_id,
        shard_count=settings.shard_count,
        shard_ids=settings.shard_ids,
    )
    cluster = Cluster(services, work=lambda: FeedRuntime(services))
    with tasks_on_signal():
        try:
            await cluster.join()
        except BaseException:
            await cluster.leave()  # stops the work if it started, frees the lock
            raise
        checks = asyncio.create_task(cluster.run(), name="cluster-checks")
        # While Discord connects (seconds), so that users' first lookups and keystrokes
        # find the name search's statements compiled.
        warming = asyncio.create_task(warm_name_search(services), name="warm-name-search")
        try:
            await run_bot(bot, token)
        finally:
            for task in (warming, checks):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await cluster.leave()


async def warm_name_search(services: Services) -> None:
    """`KnownShows.warm`, logging (not raising) a failure: it only saves time."""
    try:
        ran = await services.known.warm()
    except Exception:
        log.warning("could not warm the name search's statements", exc_info=True)
    else:
        log.debug("warmed %d name search statements", ran)
