from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime

from bot.feeds.fetch import FeedFetcher, FetchOutcome, parse_max_age, parse_retry_after
from bot.feeds.urls import URLPolicy
from tests.feeds.conftest import USER_AGENT, make_fetcher
from tests.feeds.feed_server import FeedServer, fixture

LAST_MODIFIED = "Sat, 01 Jun 2024 18:05:12 GMT"


async def test_a_feed_with_its_validators(feed_server: FeedServer, fetcher: FeedFetcher) -> None:
    body = fixture("wordpress.xml")
    feed_server.feed("/feed/", body, etag='"v1"', last_modified=LAST_MODIFIED)
    result = await fetcher.fetch(feed_server.url("/feed/"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == body
    assert result.body_hash == hashlib.sha256(body).hexdigest()
    assert (result.etag, result.last_modified) == ('"v1"', LAST_MODIFIED)
    assert result.content_type == "application/rss+xml; charset=utf-8"
    request = feed_server.requests_to("/feed/")[0]
    assert request.headers["User-Agent"] == USER_AGENT
    assert "gzip" in request.headers["Accept-Encoding"]
    assert "If-None-Match" not in request.headers


async def test_conditional_requests_get_304(feed_server: FeedServer, fetcher: FeedFetcher) -> None:
    feed_server.feed("/feed/", fixture("wordpress.xml"), etag='"v1"', last_modified=LAST_MODIFIED)
    result = await fetcher.fetch(
        feed_server.url("/feed/"), etag='"v1"', last_modified=LAST_MODIFIED
    )
    assert result.outcome is FetchOutcome.NOT_MODIFIED
    assert result.body is None
    request = feed_server.requests_to("/feed/")[-1]
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == LAST_MODIFIED


async def test_gzip(feed_server: FeedServer, fetcher: FeedFetcher) -> None:
    body = fixture("atom.xml")
    feed_server.feed("/gz", body, gzip=True)
    result = await fetcher.fetch(feed_server.url("/gz"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == body


async def test_permanent_redirects_give_the_new_url(
    feed_server: FeedServer, fetcher: FeedFetcher
) -> None:
    feed_server.feed("/new", fixture("rdf.xml"))
    feed_server.redirect("/old", "/mid", status=301)
    feed_server.redirect("/mid", feed_server.url("/new"), status=308)
    result = await fetcher.fetch(feed_server.url("/old"))
    assert result.outcome is FetchOutcome.OK
    assert result.url == result.permanent_url == feed_server.url("/new")


async def test_a_temporary_redirect_keeps_the_url(
    feed_server: FeedServer, fetcher: FeedFetcher
) -> None:
    feed_server.feed("/new", fixture("rdf.xml"))
    feed_server.redirect("/moved", "/temp", status=301)
    feed_server.redirect("/temp", "/new", status=302)
    result = await fetcher.fetch(feed_server.url("/moved"))
    assert result.outcome is FetchOutcome.OK
    assert result.url == feed_server.url("/new")
    # Only the permanent part of the chain is where the feed now lives.
    assert result.permanent_url == feed_server.url("/temp")
    feed_server.redirect("/only-temp", "/new", status=307)
    assert (await fetcher.fetch(feed_server.url("/only-temp"))).permanent_url is None


async def test_redirect_loops_and_chains_end(feed_server: FeedServer, fetcher: FeedFetcher) -> None:
    feed_server.redirect("/a", "/b")
    feed_server.redirect("/b", "/a")
    loop = await fetcher.fetch(feed_server.url("/a"))
    assert loop.outcome is FetchOutcome.REDIRECT_ERROR
    assert "loop" in (loop.error or "")
    for hop in range(8):
        feed_server.redirect(f"/hop{hop}", f"/hop{hop + 1}", status=302)
    chain = await fetcher.fetch(feed_server.url("/hop0"))
    assert chain.outcome is FetchOutcome.REDIRECT_ERROR
    assert len(feed_server.requests_to("/hop6")) == 0  # gave up after 5 redirects
    feed_server.status("/nowhere", 301)
    assert (await fetcher.fetch(feed_server.url("/nowhere"))).outcome is FetchOutcome.REDIRECT_ERROR


async def test_error_statuses(feed_server: FeedServer, fetcher: FeedFetcher) -> None:
    feed_server.status("/gone", 410)
    feed_server.status("/broken", 500)
    feed_server.status("/busy", 429, headers={"Retry-After": "120"})
    feed_server.status("/down", 503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})
    gone = await fetcher.fetch(feed_server.url("/gone"))
    assert (gone.outcome, gone.status) == (FetchOutcome.GONE, 410)
    broken = await fetcher.fetch(feed_server.url("/broken"))
    assert broken.outcome is FetchOutcome.HTTP_ERROR
    assert broken.error == "HTTP 500 Internal Server Error"
    assert broken.retry_after is None
    busy = await fetcher.fetch(feed_server.url("/busy"))
    assert (busy.outcome, busy.retry_after) == (FetchOutcome.HTTP_ERROR, 120.0)
    down = await fetcher.fetch(feed_server.url("/down"))
    assert down.retry_after is not None and down.retry_after > 86400


async def test_cache_control_max_age(feed_server: FeedServer, fetcher: FeedFetcher) -> None:
    feed_server.feed(
        "/cached", fixture("rdf.xml"), headers={"Cache-Control": "public, max-age=3600"}
    )
    assert (await fetcher.fetch(feed_server.url("/cached"))).max_age == 3600.0


async def test_a_slow_server_times_out(feed_server: FeedServer) -> None:
    feed_server.slow("/late", fixture("rdf.xml"), delay=5)
    feed_server.slow("/stalls", fixture("wordpress.xml"), stall=5)
    async with make_fetcher(timeout=0.3) as fetcher:
        late, stalled = await asyncio.gather(
            fetcher.fetch(feed_server.url("/late")), fetcher.fetch(feed_server.url("/stalls"))
        )
    assert late.outcome is FetchOutcome.TIMEOUT
    assert stalled.outcome is FetchOutcome.TIMEOUT  # headers came, the body did not finish
    assert "0.3 s" in (late.error or "")


async def test_a_body_past_the_cap_is_cut_off(feed_server: FeedServer) -> None:
    feed_server.huge("/streamed", 2_000_000)
    feed_server.huge("/declared", 2_000_000, declare_length=True)
    feed_server.feed("/bomb", b"<rss>" + b" " * 2_000_000 + b"</rss>", gzip=True)
    async with make_fetcher(max_bytes=100_000) as fetcher:
        for path in ("/streamed", "/declared", "/bomb"):
            result = await fetcher.fetch(feed_server.url(path))
            assert result.outcome is FetchOutcome.TOO_LARGE, path
            assert result.body is None


async def test_network_errors_are_results(feed_server: FeedServer, fetcher: FeedFetcher) -> None:
    port = feed_server.port
    await feed_server.close()
    result = await fetcher.fetch(f"http://127.0.0.1:{port}/feed/")
    assert result.outcome is FetchOutcome.NETWORK_ERROR
    assert result.error


async def test_per_host_concurrency_is_limited(feed_server: FeedServer) -> None:
    feed_server.slow("/feed", fixture("rdf.xml"), delay=0.05)
    async with make_fetcher(per_host=2) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(feed_server.url("/feed")) for _ in range(8)))
    assert {result.outcome for result in results} == {FetchOutcome.OK}
    assert feed_server.max_in_flight == 2


async def test_private_addresses_are_refused(feed_server: FeedServer) -> None:
    feed_server.feed("/feed/", fixture("rdf.xml"))
    async with make_fetcher(policy=URLPolicy()) as fetcher:
        by_ip = await fetcher.fetch(feed_server.url("/feed/"))
        by_name = await fetcher.fetch(f"http://localhost:{feed_server.port}/feed/")
    assert by_ip.outcome is FetchOutcome.REFUSED
    assert "127.0.0.1, a loopback address" in (by_ip.error or "")
    assert by_name.outcome is FetchOutcome.REFUSED  # refused by the resolver
    assert "localhost" in (by_name.error or "")
    assert feed_server.requests == []


async def test_a_redirect_to_a_private_address_is_refused(feed_server: FeedServer) -> None:
    # Only the test server itself is allowed: every redirect target is checked again.
    feed_server.redirect("/to-ip", "http://10.0.0.1/feed")
    feed_server.redirect("/to-loopback", f"http://127.0.0.2:{feed_server.port}/feed")
    feed_server.redirect("/to-name", "http://localhost:1/feed")
    feed_server.redirect("/to-file", "file:///etc/passwd")
    feed_server.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
    policy = URLPolicy(allowed=frozenset({feed_server.authority}))
    async with make_fetcher(policy=policy) as fetcher:
        for path, reason in [
            ("/to-ip", "private"),
            ("/to-loopback", "loopback"),
            ("/to-name", "loopback"),
            ("/to-file", "only http"),
            ("/to-metadata", "link-local"),
        ]:
            result = await fetcher.fetch(feed_server.url(path))
            assert result.outcome is FetchOutcome.REFUSED, path
            assert reason in (result.error or ""), (path, result.error)


def test_retry_after_and_max_age_headers() -> None:
    now = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("90", now) == 90.0
    assert parse_retry_after("Sat, 01 Jun 2024 12:10:00 GMT", now) == 600.0
    assert parse_retry_after("Sat, 01 Jun 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
    assert parse_max_age("public, max-age=300") == 300.0
    assert parse_max_age('max-age="60", must-revalidate') == 60.0
    assert parse_max_age("no-cache, max-age=300") is None
    assert parse_max_age("s-maxage=100") is None
    assert parse_max_age(None) is None
