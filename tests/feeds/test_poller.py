from __future__ import annotations

import secrets
from datetime import timedelta

from bot.feeds.decide import PollPolicy
from bot.feeds.fetch import FeedFetcher
from bot.feeds.poller import Poller
from bot.feeds.urls import URLPolicy
from bot.records import FeedRecord
from db.store import Store
from tests.feeds.conftest import ManualClock, RecordingSink, make_fetcher
from tests.feeds.feed_server import FeedServer, fixture

POLICY = PollPolicy(interval=timedelta(minutes=10), max_failures=3, recent=timedelta(days=3))
ITEM = """<item><title>{title}</title><link>https://tv.example.com/{key}</link>
<guid isPermaLink="false">{key}</guid>{date}</item>"""


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Handmade</title><link>https://tv.example.com/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def item(key: str, title: str, published: str | None = "Sun, 02 Jun 2024 10:00:00 GMT") -> str:
    date = f"<pubDate>{published}</pubDate>" if published else ""
    return ITEM.format(key=key, title=title, date=date)


async def add(store: Store, url: str, outlet: str | None = None) -> FeedRecord:
    async with store.transaction() as tx:
        return await tx.feeds.add(url, outlet=outlet)


async def get(store: Store, feed_id: int) -> FeedRecord:
    async with store.read() as tx:
        return await tx.feeds.get(feed_id)


async def entry_titles(store: Store, feed_id: int) -> list[str]:
    async with store.read() as tx:
        return sorted(s.entry.title for s in await tx.feeds.entries(feed_id))


def poller(store: Store, fetcher: FeedFetcher, sink: RecordingSink, clock: ManualClock) -> Poller:
    return Poller(store, fetcher, sink, POLICY, clock=clock)


async def test_first_poll_records_history_without_alerts_then_new_entries_alert(
    store: Store,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    feed_server.feed("/wp", fixture("wordpress.xml"), etag='"v1"')
    feed = await add(store, feed_server.url("/wp"), outlet="Example TV")
    polls = poller(store, fetcher, sink, clock)

    first = await polls.poll_feed(feed.id)
    assert (first.outcome, first.entries, first.new, first.alertable) == ("updated", 3, 3, 0)
    (call,) = sink.calls
    assert call.entries[0].entry.title.startswith("‘Harbor Lights’")
    assert {s.entry.outlet for s in call.entries} == {"Example TV"}
    assert call.alertable == frozenset()  # a new feed's backlog is history
    assert call.feed.initialised and call.feed.title == "Example TV News – Television"
    stored = await get(store, feed.id)
    assert (stored.status, stored.etag, stored.initialised) == ("ok", '"v1"', True)

    # Same document again: the validator comes back, the server says 304, nothing is redone.
    clock.advance(timedelta(minutes=10))
    second = await polls.poll_feed(feed.id)
    assert second.outcome == "not_modified"
    assert feed_server.requests_to("/wp")[-1].headers["If-None-Match"] == '"v1"'
    assert len(sink.calls) == 1

    # A new story, one older than the recent window, an undated one, and a fixed headline.
    body = fixture("wordpress.xml").decode()
    body = body.replace("Premiere Date Set for October", "Premiere Date Set for Oct. 3")
    extra = (
        item("new-1", "Fresh renewal")
        + item("old-1", "Old news", "Mon, 20 May 2024 10:00:00 GMT")
        + item("undated", "No date", None)
    )
    feed_server.feed("/wp", body.replace("<item>", extra + "<item>", 1).encode(), etag='"v2"')
    clock.advance(timedelta(minutes=10))
    third = await polls.poll_feed(feed.id)
    assert (third.outcome, third.entries, third.new, third.changed) == ("updated", 6, 3, 1)
    call = sink.calls[-1]
    titles = {s.id: s.entry.title for s in call.entries}
    assert sorted(titles.values()) == [
        "Fresh renewal",
        "No date",
        "Old news",
        "The Long Road: Premiere Date Set for Oct. 3",
    ]
    assert sorted(titles[i] for i in call.alertable) == ["Fresh renewal", "No date"]
    assert len(await entry_titles(store, feed.id)) == 6  # each entry stored once


async def test_an_unchanged_body_without_validators_is_not_parsed_again(
    store: Store,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    feed_server.feed("/plain", fixture("rdf.xml"))
    feed = await add(store, feed_server.url("/plain"))
    polls = poller(store, fetcher, sink, clock)
    assert (await polls.poll_feed(feed.id)).outcome == "updated"
    again = await polls.poll_feed(feed.id, force=True)
    assert again.outcome == "unchanged"
    assert len(sink.calls) == 1
    assert "If-None-Match" not in feed_server.requests_to("/plain")[-1].headers


async def test_other_formats_and_feeds_without_guids(
    store: Store,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    feeds = {}
    for name in ("atom.xml", "rdf.xml", "no_guids.xml", "bad_encoding.xml"):
        feed_server.feed(f"/{name}", fixture(name))
        feeds[name] = await add(store, feed_server.url(f"/{name}"))
    polls = poller(store, fetcher, sink, clock)
    results = await polls.poll_all()
    assert {r.outcome for r in results} == {"updated"}
    for _ in range(2):  # the bodies change each time: the keys must still match
        for name in feeds:
            feed_server.feed(f"/{name}", fixture(name) + b"\n<!-- again -->\n")
        await polls.poll_all()
    assert await entry_titles(store, feeds["no_guids.xml"].id) == [
        "Item with neither guid nor link",
        "Linked item without a guid",
        "Undated item with neither guid nor link",
    ]
    assert await entry_titles(store, feeds["atom.xml"].id) == [
        "Quiet Town Gets a Premiere Window",
        "Starfall Ending With Season 4",
    ]
    assert len(sink.calls) == 4  # only the first polls had new entries


async def test_permanent_redirects_move_the_feed(
    store: Store,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    feed_server.feed("/final", fixture("rdf.xml"))
    feed_server.redirect("/old-301", "/final", status=301)
    feed_server.redirect("/old-308", "/final-2", status=308)
    feed_server.feed("/final-2", fixture("atom.xml"))
    feed_server.redirect("/temporary", "/final", status=302)
    polls = poller(store, fetcher, sink, clock)
    moved = await add(store, feed_server.url("/old-301"))
    moved_308 = await add(store, feed_server.url("/old-308"))
    temporary = await add(store, feed_server.url("/temporary"))
    result = await polls.poll_feed(moved.id)
    assert result.moved_to == feed_server.url("/final")
    assert (await get(store, moved.id)).url == feed_server.url("/final")
    await polls.poll_feed(moved_308.id)
    assert (await get(store, moved_308.id)).url == feed_server.url("/final-2")
    await polls.poll_feed(temporary.id)
    assert (await get(store, temporary.id)).url == feed_server.url("/temporary")


async def test_a_redirect_to_an_overlong_url_fails_the_feed_until_disabled(
    store: Store,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    feed_server.redirect("/moved", "/" + secrets.token_urlsafe(2300), status=301)
    feed = await add(store, feed_server.url("/moved"))
    polls = poller(store, fetcher, sink, clock)
    results = [await polls.poll_feed(feed.id, force=True) for _ in range(POLICY.max_failures)]
    assert [r.outcome for r in results] == ["failed"] * (POLICY.max_failures - 1) + ["disabled"]
    assert results[0].error is not None and "at most 2,048" in results[0].error
    stored = await get(store, feed.id)
    assert (stored.url, stored.status) == (feed.url, "disabled")


async def test_gone_disables_the_feed_and_it_is_no_longer_fetched(
    store: Store,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    feed_server.status("/gone", 410)
    feed = await add(store, feed_server.url("/gone"))
    polls = poller(store, fetcher, sink, clock)
    result = await polls.poll_feed(feed.id)
    assert (result.outcome, result.status) == ("disabled", "disabled")
    stored = await get(store, feed.id)
    assert stored.disabled_reason == "the publisher removed the feed (HTTP 410 Gone)"
    assert await polls.poll_all() == []
    assert (await polls.poll_feed(feed.id, force=True)).outcome == "disabled"
    assert len(feed_server.requests_to("/gone")) == 1


async def test_failures_back_off_and_disable_after_the_limit(
    store: Store,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    feed_server.status("/broken", 500)
    feed = await add(store, feed_server.url("/broken"))
    polls = poller(store, fetcher, sink, clock)
    start = clock.now
    first = await polls.poll_feed(feed.id)
    assert (first.outcome, first.status, first.error) == (
        "failed",
        "failing",
        "HTTP 500 Internal Server Error",
    )
    assert first.next_poll_at == start + timedelta(minutes=20)
    # The scheduled run ten minutes later is too early: no request is made.
    clock.advance(timedelta(minutes=10))
    assert (await polls.poll_feed(feed.id)).outcome == "skipped"
    assert len(feed_server.requests_to("/broken")) == 1
    clock.advance(timedelta(minutes=10))
    second = await polls.poll_feed(feed.id)
    assert second.next_poll_at == clock.now + timedelta(minutes=40)
    clock.advance(timedelta(minutes=40))
    third = await polls.poll_feed(feed.id)
    assert (third.outcome, third.status) == ("disabled", "disabled")
    stored = await get(store, feed.id)
    assert stored.failures == 3
    assert stored.disabled_reason == "3 failures in a row; the last: HTTP 500 Internal Server Error"


async def test_retry_after_sets_the_next_poll(
    store: Store,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    feed_server.status("/busy", 429, headers={"Retry-After": "7200"})
    feed = await add(store, feed_server.url("/busy"))
    result = await poller(store, fetcher, sink, clock).poll_feed(feed.id)
    assert result.next_poll_at == clock.now + timedelta(hours=2)


async def test_one_bad_feed_does_not_stop_the_others(
    store: Store, feed_server: FeedServer, sink: RecordingSink, clock: ManualClock
) -> None:
    feed_server.feed("/good", fixture("wordpress.xml"))
    feed_server.feed("/atom", fixture("atom.xml"))
    feed_server.slow("/slow", fixture("rdf.xml"), delay=5)
    feed_server.huge("/huge", 1_000_000)
    feed_server.feed("/html", fixture("html_page.html"), content_type="text/html")
    feed_server.feed("/laughs", fixture("billion_laughs.xml"))
    feed_server.status("/error", 500)
    feed_server.redirect("/loop", "/loop2")
    feed_server.redirect("/loop2", "/loop")
    for path in ("/good", "/slow", "/huge", "/html", "/laughs", "/error", "/loop", "/atom"):
        await add(store, feed_server.url(path))
    async with make_fetcher(timeout=0.5, max_bytes=200_000) as fetcher:
        results = await poller(store, fetcher, sink, clock).poll_all()
    outcome = {r.url.rsplit("/", 1)[1]: (r.outcome, r.error) for r in results}
    assert outcome["good"] == ("updated", None)
    assert outcome["atom"] == ("updated", None)
    assert outcome["laughs"] == ("updated", None)  # read without expanding anything
    assert outcome["slow"] == ("failed", "no complete answer within 0.5 s")
    assert outcome["huge"] == ("failed", "the feed is larger than 200000 bytes")
    assert outcome["html"] == ("failed", "not a feed: the server sent an HTML page")
    assert outcome["error"] == ("failed", "HTTP 500 Internal Server Error")
    assert outcome["loop"][0] == "failed" and "redirect loop" in (outcome["loop"][1] or "")


async def test_a_failing_sink_rolls_the_poll_back(
    store: Store,
    feed_server: FeedServer,
    fetcher: FeedFetcher,
    sink: RecordingSink,
    clock: ManualClock,
) -> None:
    feed_server.feed("/wp", fixture("wordpress.xml"), etag='"v1"')
    feed = await add(store, feed_server.url("/wp"))
    polls = poller(store, fetcher, sink, clock)
    sink.fail = True
    result = await polls.poll_feed(feed.id)
    assert result.outcome == "failed"
    assert "recognition exploded" in (result.error or "")
    stored = await get(store, feed.id)
    assert (stored.status, stored.failures, stored.etag, stored.initialised) == (
        "failing",
        1,
        None,  # not kept: the body must be fetched and processed again
        False,
    )
    assert await entry_titles(store, feed.id) == []
    sink.fail = False
    clock.advance(timedelta(minutes=20))
    retry = await polls.poll_feed(feed.id)
    assert (retry.outcome, retry.new) == ("updated", 3)
    assert "If-None-Match" not in feed_server.requests_to("/wp")[-1].headers
    assert len(sink.calls) == 1 and len(sink.calls[0].entries) == 3


async def test_a_redirect_to_a_private_address_fails_the_feed(
    store: Store, feed_server: FeedServer, sink: RecordingSink, clock: ManualClock
) -> None:
    feed_server.feed("/ok", fixture("rdf.xml"))
    feed_server.redirect("/sneaky", "http://192.168.1.1/admin")
    ok = await add(store, feed_server.url("/ok"))
    sneaky = await add(store, feed_server.url("/sneaky"))
    policy = URLPolicy(allowed=frozenset({feed_server.authority}))
    async with make_fetcher(policy=policy) as fetcher:
        polls = poller(store, fetcher, sink, clock)
        assert (await polls.poll_feed(ok.id)).outcome == "updated"
        refused = await polls.poll_feed(sneaky.id)
    assert refused.outcome == "failed"
    assert "192.168.1.1, a private address" in (refused.error or "")
    assert (await get(store, sneaky.id)).status == "failing"


async def test_removed_feeds_are_reported(
    store: Store, fetcher: FeedFetcher, sink: RecordingSink, clock: ManualClock
) -> None:
    result = await poller(store, fetcher, sink, clock).poll_feed(12345)
    assert result.outcome == "removed"
