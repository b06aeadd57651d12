"""Which feeds are followed: the curated defaults shipped in bot/data/default_feeds.json,
and adding or removing feeds (the CLI and the owner-only /feeds commands call these)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from aiohttp.abc import AbstractResolver

from bot.feeds.resolver import check_feed_url
from bot.feeds.urls import URLPolicy, check_url, normalise_url, same_url
from bot.records import FeedRecord
from db.errors import FeedExistsError
from db.store import Store

DEFAULT_FEEDS_STEP = "default_feeds"


class SourcesError(ValueError):
    """The default feed list is malformed; the message says where."""


@dataclass(frozen=True, slots=True)
class DefaultFeed:
    """A curated feed: its URL and the outlet's display name."""

    url: str
    outlet: str


def load_default_feeds(path: Path | None = None) -> tuple[DefaultFeed, ...]:
    """The curated feeds, from `path` or the list shipped with the package."""
    if path is None:
        text = resources.files("bot").joinpath("data/default_feeds.json").read_text("utf-8")
        where = "bot/data/default_feeds.json"
    else:
        text = path.read_text("utf-8")
        where = str(path)
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourcesError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(items, list):
        raise SourcesError(f"{where}: expected a list of {{'url', 'outlet'}} objects")
    feeds: list[DefaultFeed] = []
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(name), str) and item[name].strip() for name in ("url", "outlet")
        ):
            raise SourcesError(f"{where}: item {number} needs a non-empty 'url' and 'outlet'")
        try:
            url = normalise_url(item["url"])
            check_url(url)
        except ValueError as exc:
            raise SourcesError(f"{where}: item {number}: {exc}") from None
        if url in seen:
            raise SourcesError(f"{where}: item {number}: {url} is listed twice")
        seen.add(url)
        feeds.append(DefaultFeed(url=url, outlet=item["outlet"].strip()))
    return tuple(feeds)


async def seed_default_feeds(
    store: Store, feeds: tuple[DefaultFeed, ...] | None = None
) -> list[FeedRecord]:
    """Follow the curated feeds, once per store: on its first start, unless the operator
    followed feeds of their own before. Returns the feeds added (none on every later call,
    even after every feed was removed). Only reads once the step is done."""
    async with store.read() as tx:
        if await tx.setup.is_done(DEFAULT_FEEDS_STEP):
            return []
    defaults = load_default_feeds() if feeds is None else feeds
    added: list[FeedRecord] = []
    async with store.transaction() as tx:
        if not await tx.setup.mark_done(DEFAULT_FEEDS_STEP):  # another process got there
            return []
        if await tx.feeds.count():
            return []
        for feed in defaults:
            try:
                added.append(await tx.feeds.add(feed.url, outlet=feed.outlet))
            except FeedExistsError:  # listed twice under equivalent URLs
                continue
    return added


async def add_feed(
    store: Store,
    url: str,
    policy: URLPolicy,
    *,
    outlet: str | None = None,
    resolver: AbstractResolver | None = None,
) -> FeedRecord:
    """Follow a feed after checking its URL (scheme, and that its host resolves to public
    addresses unless the policy allows private ones). Raises UnsafeURLError or
    InvalidFeedURLError with a message for the operator, FeedExistsError if followed."""
    checked = await check_feed_url(url, policy, resolver)
    async with store.transaction() as tx:
        return await tx.feeds.add(checked, outlet=outlet)


async def remove_feed(store: Store, url: str) -> None:
    """Stop following a feed; its entries go with it. FeedNotFoundError if unknown."""
    async with store.transaction() as tx:
        await tx.feeds.remove(same_url(url))
