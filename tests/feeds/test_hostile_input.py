"""Whatever bytes a server sends, parsing and deciding never crash a poll."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.feeds.decide import PollPolicy, decide, needs_parse
from bot.feeds.fetch import FetchOutcome, FetchResult
from bot.feeds.parse import NotAFeedError, ParsedFeed, parse_feed
from bot.records import FeedRecord
from tests.feeds.feed_server import fixture

URL = "https://tv.example.com/feed/"
NOW = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)
FEED = FeedRecord(
    id=1,
    url=URL,
    title=None,
    outlet=None,
    etag=None,
    last_modified=None,
    body_hash=None,
    status="ok",
    failures=0,
    last_error=None,
    disabled_reason=None,
    initialised=True,
    next_poll_at=None,
    last_polled_at=None,
    last_success_at=None,
    created_at=NOW - timedelta(days=1),
)


def poll_offline(body: bytes) -> None:
    """What the poller does with a fetched body, short of the network and the store."""
    fetch = FetchResult(
        FetchOutcome.OK, URL, status=200, body=body, body_hash=hashlib.sha256(body).hexdigest()
    )
    assert needs_parse(FEED, fetch)
    parsed: ParsedFeed | Exception
    try:
        parsed = parse_feed(body, URL, content_type="application/rss+xml")
    except NotAFeedError as exc:
        parsed = exc
    update = decide(FEED, fetch, parsed, NOW, PollPolicy())
    if isinstance(parsed, ParsedFeed):
        assert update.status == "ok"
        assert len({entry.key for entry in parsed.entries}) == len(parsed.entries)
        for entry in parsed.entries:
            assert entry.key and len(entry.key) <= 500
            assert entry.published is None or entry.published.tzinfo is UTC
            assert entry.link is None or entry.link.startswith(("http://", "https://"))
    else:
        assert (update.status, update.failures) == ("failing", 1)
        assert update.last_error


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes(body: bytes) -> None:
    poll_offline(body)


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("<>&;#x/=\"' abc?![]-CDATA:rssitemfeed")), max_size=500)
)
def test_random_markup(text: str) -> None:
    poll_offline(
        f'<?xml version="1.0"?><rss version="2.0"><channel>{text}</channel></rss>'.encode()
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_real_feeds(data: st.DataObject) -> None:
    # Damage to real feeds reaches deeper than random bytes: half-valid XML, truncated
    # CDATA, broken entities, mangled dates.
    original = fixture(data.draw(st.sampled_from(["wordpress.xml", "atom.xml", "rdf.xml"])))
    body = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        if not body:
            break
        position = data.draw(st.integers(0, len(body) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            body[position] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del body[position : position + data.draw(st.integers(1, 200))]
        else:
            body[position:position] = data.draw(
                st.sampled_from(
                    [b"&", b"<", b"]]>", b"&#x0;", b"&bogus;", b"\xff\xfe", b"<![CDATA["]
                )
            )
    poll_offline(bytes(body))
