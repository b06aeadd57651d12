"""Adding, removing and listing feeds: one implementation for the CLI and `/feeds`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.feeds import sources
from bot.feeds.urls import same_url
from bot.records import FeedRecord
from bot.services import Services
from db.errors import FeedNotFoundError


@dataclass(frozen=True, slots=True)
class FeedChange:
    """What a feed command did."""

    action: str  # added | removed | enabled
    feed: FeedRecord


async def list_feeds(services: Services) -> list[FeedRecord]:
    """Every followed feed with its state."""
    async with services.store.read() as tx:
        return await tx.feeds.list()


async def add_feed(services: Services, url: str) -> FeedChange:
    """Follow a feed (URL checked for safety) and, when the bot runs, poll it right away.
    Raises InvalidFeedURLError / UnsafeURLError or FeedExistsError."""
    feed = await sources.add_feed(services.store, url.strip(), services.url_policy)
    if services.feed_schedule is not None:
        services.feed_schedule.add(feed)
        services.feed_schedule.poll_soon(feed.id)
    return FeedChange(action="added", feed=feed)


async def remove_feed(services: Services, url: str) -> FeedChange:
    """Stop following a feed. Raises FeedNotFoundError."""
    async with services.store.read() as tx:
        feed = await tx.feeds.by_url(same_url(url))
    if feed is None:
        raise FeedNotFoundError(url)
    await sources.remove_feed(services.store, feed.url)
    if services.feed_schedule is not None:
        services.feed_schedule.remove(feed.id)
    return FeedChange(action="removed", feed=feed)


async def enable_feed(services: Services, url: str) -> FeedChange:
    """Poll a feed again after it was disabled (410, too many failures), with a clean
    failure count; when the bot runs, it is scheduled and read right away. Raises
    FeedNotFoundError."""
    async with services.store.transaction() as tx:
        feed = await tx.feeds.set_enabled(same_url(url), True)
    if services.feed_schedule is not None:
        services.feed_schedule.add(feed)
        services.feed_schedule.poll_soon(feed.id)
    return FeedChange(action="enabled", feed=feed)
