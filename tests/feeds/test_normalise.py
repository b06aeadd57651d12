from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.feeds.normalise import (
    MAX_KEY,
    MAX_SUMMARY,
    RawEntry,
    absolute_link,
    entry_key,
    html_to_text,
    identify,
    identify_all,
    parse_date,
    summary_text,
)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Plain title", "Plain title"),
        ("&#8216;Citadel&#8217; Renewed", "‘Citadel’ Renewed"),
        ("Night Shift &amp;amp; Co.", "Night Shift & Co."),  # encoded twice
        ("&amp;#8220;Quoted&amp;#8221;", "“Quoted”"),  # a character reference encoded twice
        ("&amp;amp;amp; thrice", "& thrice"),
        ("<em>Citadel</em>'s second season", "Citadel's second season"),
        ("<p>One</p><p>Two</p>", "One Two"),
        ("line<br/>break", "line break"),
        ("&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt;&lt;/p&gt;", "Escaped HTML"),
        ("  lots \n\t of   space\u00a0here ", "lots of space here"),
        ("zero\u200bwidth", "zerowidth"),
        ("I <3 this show", "I <3 this show"),
        ("<script>alert(1)</script>Safe<!-- hidden -->", "Safe"),
        ("", ""),
        (None, ""),
    ],
)
def test_html_to_text(raw: str | None, text: str) -> None:
    assert html_to_text(raw) == text


def test_html_to_text_cuts_at_a_word() -> None:
    text = html_to_text("word " * 100, limit=50)
    assert len(text) <= 50
    assert text.endswith("word…")


def test_summary_drops_the_wordpress_footer_and_bracketed_ellipsis() -> None:
    summary = (
        "<p>Streamline renewed the drama. [&#8230;]</p>"
        '<p>The post <a href="https://x">Drama Renewed</a> appeared first on '
        '<a href="https://x">Deadline</a>.</p>'
    )
    assert summary_text(summary, None) == "Streamline renewed the drama. …"


def test_summary_falls_back_to_content_and_is_capped() -> None:
    assert summary_text(None, "<p>From the content</p>") == "From the content"
    assert len(summary_text("x " * 5000, None)) <= MAX_SUMMARY


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sat, 01 Jun 2024 17:30:00 +0000", datetime(2024, 6, 1, 17, 30, tzinfo=UTC)),
        ("Sat, 1 Jun 2024 13:30:00 -0400", datetime(2024, 6, 1, 17, 30, tzinfo=UTC)),
        ("01 Jun 2024 17:30 GMT", datetime(2024, 6, 1, 17, 30, tzinfo=UTC)),
        ("Sat, 01 Jun 2024 10:30:00 PDT", datetime(2024, 6, 1, 17, 30, tzinfo=UTC)),
        ("2024-06-01T17:30:00Z", datetime(2024, 6, 1, 17, 30, tzinfo=UTC)),
        ("2024-06-01T19:30:00+02:00", datetime(2024, 6, 1, 17, 30, tzinfo=UTC)),
        ("2024-06-01T17:30:00", datetime(2024, 6, 1, 17, 30, tzinfo=UTC)),  # no zone: UTC
        ("2024-06-01", datetime(2024, 6, 1, tzinfo=UTC)),
        ("Sat, 31 Feb 2024 10:00:00 +0000", None),
        ("Mon, 01 Jan 1900 00:00:00 +0000", None),  # implausible
        ("yesterday-ish", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(raw: str | None, expected: datetime | None) -> None:
    assert parse_date(raw) == expected


def test_absolute_link() -> None:
    base = "https://tv.example.com/feed/"
    assert absolute_link("/2024/06/story/", base) == "https://tv.example.com/2024/06/story/"
    assert absolute_link(" https://a.example/x ", base) == "https://a.example/x"
    assert absolute_link("javascript:alert(1)", base) is None
    assert absolute_link("mailto:x@example.com", base) is None
    assert absolute_link("http://[broken", base) is None
    assert absolute_link(None, base) is None


def test_entry_key_prefers_guid_then_link_then_a_hash() -> None:
    when = datetime(2024, 6, 1, tzinfo=UTC)
    assert entry_key(" guid-1 ", "https://x/1", "T", when) == "guid-1"
    assert entry_key(None, "https://x/1", "T", when) == "https://x/1"
    hashed = entry_key(None, None, "T", when)
    assert hashed.startswith("sha256:")
    assert hashed == entry_key("", "  ", "T", when)  # blank identifiers do not count
    assert hashed != entry_key(None, None, "T", None)
    assert hashed != entry_key(None, None, "Other", when)
    long_guid = "g" * (MAX_KEY + 1)
    assert entry_key(long_guid, None, "T", when).startswith("sha256:")


def test_normalise_entry() -> None:
    raw = RawEntry(
        title="&#8216;Harbor Lights&#8217; <b>Renewed</b>",
        summary="<p>Season 3 is coming.</p>",
        link="/story",
        guid=None,
        published=datetime(2024, 6, 1, tzinfo=UTC),
        categories=("TV", " TV ", "&amp; More", ""),
        author="desk@example.com (TV Desk)",
    )
    item = identify(raw, "https://tv.example.com/feed/", "Example TV")
    assert item is not None
    assert (item.key, item.title) == ("https://tv.example.com/story", "‘Harbor Lights’ Renewed")
    entry = item.entry()
    assert entry.title == "‘Harbor Lights’ Renewed"
    assert entry.summary == "Season 3 is coming."
    assert entry.link == entry.key == "https://tv.example.com/story"
    assert entry.categories == ("TV", "& More")
    assert entry.author == "TV Desk"
    assert entry.outlet == "Example TV"


def test_entries_without_title_or_link_are_dropped_and_keys_are_unique() -> None:
    raws = [
        RawEntry(title="First", guid="same"),
        RawEntry(title="Repeated later", guid="same"),
        RawEntry(),
        RawEntry(summary="Only a summary, which stands in for the title"),
    ]
    entries = [item.entry() for item in identify_all(raws, None, "")]
    assert [e.title for e in entries] == ["First", "Only a summary, which stands in for the title"]


def test_overlong_entry_links_are_dropped() -> None:
    longest = "https://tv.example.com/" + "a" * (2048 - len("https://tv.example.com/"))
    assert absolute_link(longest, None) == longest
    assert absolute_link(longest + "a", None) is None
    assert absolute_link("/" + "a" * 2040, "https://tv.example.com/news/") is None
    item = identify(RawEntry(title="Huge", link="https://x.example/" + "a" * 1_000_000), None, "")
    assert item is not None and item.entry().link is None and len(item.key) <= MAX_KEY
