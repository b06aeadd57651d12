"""Reading feed documents: a fast lxml reader for the shapes real news feeds have (RSS
0.9x/2.0, RSS 1.0/RDF, Atom 1.0), and feedparser for everything else.

Why not feedparser for everything: by default it sanitises every HTML field and resolves
relative links inside it, which costs ~50x a plain XML parse of the same bytes; we need
plain text, so that work is thrown away. The lxml reader walks the tree once and reads only
the fields an `Entry` has. A document it cannot read (not well-formed, undefined HTML
entities, odd encodings, Atom 0.3, CDF...) goes to feedparser with sanitising and link
resolution off, which reads nearly anything.

Why not fastfeedparser: measured on the benchmark's 260 KB WordPress feeds, its Rust reader
plus our normaliser is about 0.5 ms faster per feed, but it turns a feed that declares
UTF-8 and sends Latin-1 into mojibake and, in its recovering fallback, drops the text after
an undefined entity such as &nbsp;, with nothing in its result saying so. The lxml reader
is strict instead: any document it doubts goes to feedparser, which gets those right. The
lxml reader is bot/feeds/lxml_reader.py.

Safety: the lxml parser never expands entities (`resolve_entities=False`, so no billion
laughs and no external entities), never touches the network and keeps libxml2's size
limits (`huge_tree=False`). feedparser strips every entity declaration whose value is not
a plain string before parsing (sanitizer.replace_doctype), turns off external general
entities, and runs on an expat with amplification limits; it is given the bytes, never a
string it might take for a URL or a path.

Parsing is CPU work: call `parse_feed` in a worker thread (`asyncio.to_thread`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import feedparser

from bot.feeds.normalise import (
    Item,
    RawEntry,
    RawFeed,
    Skip,
    html_to_text,
    identify_all,
    struct_time_to_datetime,
)
from bot.models import Entry

__all__ = ["NotAFeedError", "ParsedFeed", "RawFeed", "parse_feed", "read_feedparser"]


class NotAFeedError(ValueError):
    """The document is not a feed any reader understands (an HTML page, garbage...)."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title and link, and its items (identified entries, see normalise.Item)."""

    title: str | None
    link: str | None
    items: tuple[Item, ...]
    reader: str  # "rss", "atom", "rdf" (the lxml reader) or "feedparser"

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every item normalised (the poller normalises only the new or retitled ones)."""
        return tuple(item.entry() for item in self.items)


def parse_feed(
    body: bytes,
    url: str,
    *,
    outlet: str | None = None,
    content_type: str | None = None,
    skip: Skip | None = None,
) -> ParsedFeed:
    """Parse a feed document fetched from `url` and identify its entries.

    `outlet` names the source on every entry (the feed's own title stands in when it is
    None). `content_type` is the response's header, for its charset. `skip`: the entries
    (by key and title) that need not be read in full, which the RSS reader then leaves
    unread when it can (their `Item.raw` is None): a changed feed's entries already
    recorded. Nothing refers to the document once this returns. Raises NotAFeedError
    when the bytes are not a feed. CPU-bound: run it in a worker thread.
    """
    # Loaded at the first poll: lxml is a few MiB that a bot before its first poll (and a
    # command such as `when`) has no use for.
    from bot.feeds.lxml_reader import read_lxml

    raw = read_lxml(body, url, headlines=skip is not None)
    if raw is None:
        raw = read_feedparser(body, url, content_type)
    title = html_to_text(raw.title, limit=300) or None
    items = identify_all(raw.entries, raw.base or url, outlet or title or "", skip)
    return ParsedFeed(title=title, link=raw.link, items=items, reader=raw.reader)


def read_feedparser(body: bytes, url: str, content_type: str | None = None) -> RawFeed:
    """Read anything feedparser can, without its HTML sanitising and link resolution
    (the normaliser strips HTML and resolves links itself). NotAFeedError if it finds no
    feed in the bytes."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # it has crashes of its own on damaged documents
        raise NotAFeedError(f"not a feed: unreadable ({type(exc).__name__}: {exc})"[:300]) from exc
    if not result.get("version") and not result.entries:
        raise NotAFeedError(_not_a_feed_reason(body, result))
    feed = result.feed
    entries = [_feedparser_entry(entry) for entry in result.entries]
    return RawFeed(
        title=feed.get("title"),
        link=feed.get("link"),
        base=url,
        entries=entries,
        reader="feedparser",
    )


def _feedparser_entry(entry: Any) -> RawEntry:
    content = entry.get("content")
    tags = entry.get("tags") or ()
    published = entry.get("published_parsed")
    updated = entry.get("updated_parsed")
    return RawEntry(
        title=entry.get("title"),
        summary=entry.get("summary"),
        content=content[0].get("value") if content else None,
        link=entry.get("link"),
        guid=entry.get("id"),
        published=struct_time_to_datetime(published),
        updated=struct_time_to_datetime(updated),
        categories=tuple(t.get("label") or t.get("term") or "" for t in tags),
        author=entry.get("author"),
    )


def _not_a_feed_reason(body: bytes, result: Any) -> str:
    head = body[:2048].lstrip().lower()
    if not head:
        return "not a feed: the response was empty"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "not a feed: the server sent an HTML page"
    problem = result.get("bozo_exception")
    detail = f" ({str(problem)[:200]})" if problem else ""
    return f"not a feed: no RSS or Atom document found{detail}"
