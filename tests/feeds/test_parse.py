from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest

from bot.feeds.lxml_reader import read_lxml
from bot.feeds.normalise import identify_all
from bot.feeds.parse import NotAFeedError, parse_feed, read_feedparser
from tests.feeds.feed_server import fixture

URL = "https://tv.example.com/feed/"


def test_wordpress_rss() -> None:
    feed = parse_feed(fixture("wordpress.xml"), URL, outlet="Example")
    assert feed.reader == "rss"
    assert feed.title == "Example TV News – Television"
    assert feed.link == "https://tv.example.com"
    first, second, third = feed.entries
    assert first.key == "https://tv.example.com/?p=1236001"  # guid, isPermaLink="false"
    assert first.title == "‘Harbor Lights’ Renewed for Season 3 at Streamline"
    assert first.link == "https://tv.example.com/2024/06/harbor-lights-renewed-season-3-1236001/"
    assert first.summary == (
        "Streamline has renewed Harbor Lights for a third season, the streamer said Saturday…"
    )
    assert first.published == datetime(2024, 6, 1, 17, 30, tzinfo=UTC)
    assert first.categories == ("TV", "Renewals", "Harbor Lights")
    assert first.author == "Jane Writer"  # dc:creator
    assert first.outlet == "Example"
    # Entities encoded twice in the XML come out as characters.
    assert second.title == "Night Shift & Co. Cancelled After Two Seasons — Cast ‘Heartbroken’"
    assert second.summary.startswith("The network has cancelled Night Shift & Co. after two")
    assert third.link == "https://tv.example.com/2024/05/long-road-premiere-date-1235990/"


def test_outlet_defaults_to_the_feed_title() -> None:
    feed = parse_feed(fixture("rdf.xml"), URL)
    assert {entry.outlet for entry in feed.entries} == {"RDF Television"}


def test_atom() -> None:
    feed = parse_feed(fixture("atom.xml"), "https://atom.example.org/feed.atom")
    assert feed.reader == "atom"
    starfall, quiet = feed.entries
    assert starfall.title == "Starfall Ending With Season 4"  # type="html"
    assert starfall.link == "https://atom.example.org/news/starfall-ending"  # xml:base
    assert starfall.key == "tag:atom.example.org,2024:starfall-ending"
    assert starfall.published == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert starfall.updated == datetime(2024, 6, 1, 11, 0, tzinfo=UTC)
    assert starfall.summary == "The fourth season of Starfall will be its last."
    assert starfall.categories == ("Television", "final-season")
    assert starfall.author == "Ada Author"
    assert quiet.summary == "Expected in late 2025."  # type="xhtml" content
    assert quiet.published == datetime(2024, 5, 30, 8, 0, tzinfo=UTC)  # from <updated>


def test_rdf() -> None:
    feed = parse_feed(fixture("rdf.xml"), URL)
    assert feed.reader == "rdf"
    assert [(e.key, e.title) for e in feed.entries] == [
        ("https://rdf.example.net/a", "Copper Hills renewed for season 2"),
        ("https://rdf.example.net/b", "Weekend ratings roundup"),
    ]
    assert feed.entries[0].author == "Rita Dee"
    assert feed.entries[0].categories == ("Renewals",)
    assert feed.entries[0].published == datetime(2024, 6, 1, 9, 0, tzinfo=UTC)


def test_entries_without_guid() -> None:
    feed = parse_feed(fixture("no_guids.xml"), URL)
    linked, unlinked, undated = feed.entries  # the empty fourth item is dropped
    assert linked.key == "https://noguid.example.com/linked"
    assert unlinked.key.startswith("sha256:") and undated.key.startswith("sha256:")
    assert unlinked.key != undated.key
    assert parse_feed(fixture("no_guids.xml"), URL).entries == feed.entries  # stable


def test_an_html_page_is_not_a_feed() -> None:
    with pytest.raises(NotAFeedError, match="HTML page"):
        parse_feed(fixture("html_page.html"), URL)


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00\x01\x02garbage", b'{"json": true}'])
def test_garbage_is_not_a_feed(body: bytes) -> None:
    with pytest.raises(NotAFeedError):
        parse_feed(body, URL)


@pytest.mark.parametrize("name", ["bad_encoding.xml", "latin1_nbsp.xml"])
def test_bad_encodings_fall_back_to_feedparser(name: str) -> None:
    # Declared UTF-8 but Latin-1 bytes; or Latin-1 with an HTML entity XML does not define.
    feed = parse_feed(fixture(name), "https://latin.example.fr/feed")
    assert feed.reader == "feedparser"
    assert feed.title == "Café Télé"
    assert [e.title for e in feed.entries] == ["Série renouvelée pour une saison 2"]


def test_billion_laughs_is_not_expanded() -> None:
    tracemalloc.start()
    try:
        feed = parse_feed(fixture("billion_laughs.xml"), URL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # expanded, lol9 alone would be 3 GB
    text = " ".join([feed.title or ""] + [e.title + e.summary for e in feed.entries])
    assert "lollollol" not in text
    assert "root:" not in text  # the external entity (file:///etc/passwd) was not read


def test_the_fast_reader_and_feedparser_agree() -> None:
    for name, url in [
        ("wordpress.xml", URL),
        ("atom.xml", "https://atom.example.org/feed.atom"),
        ("rdf.xml", URL),
        ("no_guids.xml", URL),
    ]:
        fast = read_lxml(fixture(name), url)
        assert fast is not None
        slow = read_feedparser(fixture(name), url)
        fast_items = identify_all(fast.entries, fast.base or url, "X")
        slow_items = identify_all(slow.entries, slow.base or url, "X")
        assert [i.entry() for i in fast_items] == [i.entry() for i in slow_items], name
