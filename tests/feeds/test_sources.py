from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from bot.feeds.sources import (
    DefaultFeed,
    SourcesError,
    add_feed,
    load_default_feeds,
    remove_feed,
    seed_default_feeds,
)
from bot.feeds.urls import InvalidFeedURLError, UnsafeURLError, URLPolicy
from db.errors import FeedExistsError, FeedNotFoundError
from db.store import Store


def test_the_shipped_defaults() -> None:
    feeds = load_default_feeds()
    assert {feed.outlet: feed.url for feed in feeds} == {
        "Deadline": "https://deadline.com/feed/",
        "TVLine": "https://tvline.com/feed/",
        "Variety": "https://variety.com/feed/",
        "The Hollywood Reporter": "https://www.hollywoodreporter.com/feed/",
        "TV Insider": "https://www.tvinsider.com/feed/",
        "Collider": "https://collider.com/feed/category/tv-news/",
        "Screen Rant": "https://screenrant.com/feed/tv-news/",
        "TV Series Finale": "https://tvseriesfinale.com/feed/",
        "CarterMatt": "https://cartermatt.com/feed/",
    }
    assert not any("news.google." in feed.url for feed in feeds)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("not json", "not valid JSON"),
        ('{"url": "https://x.example/"}', "expected a list"),
        ('[{"url": "https://x.example/"}]', "item 1 needs"),
        ('[{"url": "ftp://x.example/", "outlet": "X"}]', "only http"),
        (
            json.dumps([{"url": "https://x.example/", "outlet": "X"}] * 2),
            "item 2: https://x.example/ is listed twice",
        ),
    ],
)
def test_a_malformed_list_is_reported(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "feeds.json"
    path.write_text(content)
    with pytest.raises(SourcesError, match=problem):
        load_default_feeds(path)


async def test_seeding_happens_only_into_an_empty_store(store: Store) -> None:
    added = await seed_default_feeds(store)
    assert len(added) == 9
    async with store.read() as tx:
        deadline = await tx.feeds.by_url("https://deadline.com/feed/")
    assert deadline is not None and deadline.outlet == "Deadline"
    assert await seed_default_feeds(store) == []
    async with store.transaction() as tx:
        for feed in await tx.feeds.list():
            await tx.feeds.remove(feed.url)
        await tx.feeds.add("https://mine.example/feed/")
    assert await seed_default_feeds(store, (DefaultFeed("https://x.example/", "X"),)) == []


async def test_the_defaults_are_seeded_once_per_store_never_again(store: Store) -> None:
    assert len(await seed_default_feeds(store)) == 9
    async with store.transaction() as tx:
        for feed in await tx.feeds.list():
            await tx.feeds.remove(feed.url)
    # The operator removed every feed: restarting must not bring the defaults back.
    assert await seed_default_feeds(store) == []
    async with store.read() as tx:
        assert await tx.feeds.count() == 0


async def test_a_store_with_feeds_of_its_own_is_never_seeded(store: Store) -> None:
    async with store.transaction() as tx:
        mine = await tx.feeds.add("https://mine.example/feed/")
        await tx.feeds.remove(mine.url)
    # The first start saw the operator's own feed: no defaults, now or later.
    async with store.transaction() as tx:
        await tx.feeds.add("https://mine.example/feed/")
    assert await seed_default_feeds(store) == []
    async with store.transaction() as tx:
        await tx.feeds.remove("https://mine.example/feed/")
    assert await seed_default_feeds(store) == []


async def test_adding_a_feed_checks_its_url(store: Store) -> None:
    with pytest.raises(UnsafeURLError, match="loopback"):
        await add_feed(store, "http://127.0.0.1:8080/feed", URLPolicy())
    with pytest.raises(UnsafeURLError, match="private"):
        await add_feed(store, "http://192.168.0.10/feed", URLPolicy())
    with pytest.raises(InvalidFeedURLError):
        await add_feed(store, "feed://example.com/rss", URLPolicy())
    feed = await add_feed(
        store, " http://127.0.0.1:8080/feed ", URLPolicy(allow_private=True), outlet="Local"
    )
    assert (feed.url, feed.outlet) == ("http://127.0.0.1:8080/feed", "Local")
    with pytest.raises(FeedExistsError):
        await add_feed(store, "http://127.0.0.1:8080/feed", URLPolicy(allow_private=True))
    await remove_feed(store, feed.url)
    with pytest.raises(FeedNotFoundError):
        await remove_feed(store, feed.url)


@pytest.mark.parametrize(
    "spelling",
    [
        "HTTP://localhost/feed",
        "http://LocalHost/feed",
        "http://localhost:80/feed",
        "http://localhost/feed#top",
    ],
)
async def test_one_feed_under_equivalent_urls_is_followed_once(store: Store, spelling: str) -> None:
    policy = URLPolicy(allow_private=True)
    feed = await add_feed(store, "http://localhost/feed", policy)
    with pytest.raises(FeedExistsError):
        await add_feed(store, spelling, policy)
    await remove_feed(store, spelling)  # any spelling finds it
    async with store.read() as tx:
        assert await tx.feeds.by_url(feed.url) is None


async def test_an_overlong_feed_url_is_refused_clearly(store: Store) -> None:
    url = "http://localhost/" + secrets.token_urlsafe(2300)  # ~3 KB, incompressible
    with pytest.raises(InvalidFeedURLError, match="at most 2,048"):
        await add_feed(store, url, URLPolicy(allow_private=True))
    async with store.read() as tx:
        assert await tx.feeds.count() == 0
