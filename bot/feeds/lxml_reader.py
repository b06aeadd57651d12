"""The fast feed reader: lxml, for the shapes real news feeds have (RSS 0.9x/2.0, RSS
1.0/RDF, Atom 1.0). It walks the tree once and reads only the fields an `Entry` has; a
document it cannot read (not well-formed, undefined HTML entities, odd encodings, Atom 0.3,
CDF...) makes `read_lxml` return None, and bot/feeds/parse.py hands it to feedparser.

Safety: the parser never expands entities (`resolve_entities=False`, so no billion laughs
and no external entities), never touches the network and keeps libxml2's size limits
(`huge_tree=False`).
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from bot.feeds.normalise import RawEntry, RawFeed, RawHeadline, parse_date

__all__ = ["RawFeed", "read_lxml"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_RSS090 = "{http://my.netscape.com/rdf/simple/0.9/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DC_DATE = f"{_DC}date"
_DC_SUBJECT = f"{_DC}subject"
_DC_CREATOR = f"{_DC}creator"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
# RSS item children read, by tag (the first of each counts); everything else is skipped.
_RSS_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    _CONTENT_ENCODED: "content",
    "guid": "guid",
    "pubDate": "pubDate",
    _DC_DATE: "dc:date",
    _DC_CREATOR: "dc:creator",
    "author": "author",
}
_RSS_TAGS = (*_RSS_FIELDS, "category", _DC_SUBJECT)
_XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"


class _Parsers(threading.local):
    # One parser per thread: parse_feed runs in worker threads, and an lxml parser object
    # must not be used by two threads at once.
    def __init__(self) -> None:
        self.xml = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
        )


_PARSERS = _Parsers()


def read_lxml(body: bytes, url: str, *, headlines: bool = False) -> RawFeed | None:
    """Read an RSS 0.9x/1.0/2.0 or Atom 1.0 document with lxml; None when it is not
    well-formed XML or not one of those shapes (the caller then asks feedparser).
    `headlines`: RSS items are read as `RawHeadline`s, whose rest is read on demand."""
    try:
        root = etree.fromstring(body, _PARSERS.xml, base_url=url)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    tag = root.tag
    if tag == "rss":
        channel = root.find("channel")
        return None if channel is None else _read_rss(channel, headlines)
    if tag == f"{_ATOM}feed":
        return _read_atom(root, url)
    if tag == f"{_RDF}RDF":
        return _read_rdf(root)
    return None


def _text(element: Any) -> str | None:
    if len(element):
        return _markup(element)
    text: str | None = element.text
    return text


def _markup(element: Any) -> str:
    # Mixed content (XHTML left unescaped inside a text element): serialise the children
    # back to markup, so that the normaliser strips tags with the usual word boundaries.
    parts = [element.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode", with_tail=True) for child in element)
    return "".join(parts)


def _read_rss(channel: Any, headlines: bool) -> RawFeed:
    title = link = None
    items: list[RawEntry | RawHeadline] = []
    for child in channel:
        tag = child.tag
        if tag == "item":
            items.append(_rss_headline(child) if headlines else _rss_item(child))
        elif tag == "title":
            title = _text(child)
        elif tag == "link":
            link = _text(child)
    return RawFeed(title=title, link=link, base=None, entries=items, reader="rss")


def _rss_headline(item: Any) -> RawHeadline:
    # The first <title> and <guid>, as `_rss_item` reads them; the rest only if wanted.
    # One pass filtered in lxml's C code: two find() calls cost three times as much, and
    # this runs for every item of every changed feed.
    title = guid = None
    for child in item.iterchildren("title", "guid"):
        if child.tag == "title":
            if title is None:
                title = child
        elif guid is None:
            guid = child
    return RawHeadline(
        title=None if title is None else _text(title),
        guid=None if guid is None else _text(guid),
        read=partial(_rss_item, item),
    )


def _rss_item(item: Any) -> RawEntry:
    found: dict[str, Any] = {}
    categories: list[str] = []
    # Filtering in lxml's C code spares a Python object for every skipped child.
    for child in item.iterchildren(*_RSS_TAGS):
        tag = child.tag
        field = _RSS_FIELDS.get(tag)
        if field is not None:
            found.setdefault(field, child)
        elif text := _text(child):
            categories.append(text)
    guid = link = None
    if (element := found.get("guid")) is not None:
        guid = _text(element)
        if element.get("isPermaLink", "true").strip().lower() != "false":
            link = guid
    if (element := found.get("link")) is not None:
        link = _text(element)
    summary = _field_text(found, "description")
    content = None
    if not summary:
        # Full articles are large: read only when there is no summary.
        content = _field_text(found, "content")
    published = parse_date(_field_text(found, "pubDate")) or parse_date(
        _field_text(found, "dc:date")
    )
    return RawEntry(
        title=_field_text(found, "title"),
        summary=summary,
        content=content,
        link=link,
        guid=guid,
        published=published,
        categories=tuple(categories),
        author=_field_text(found, "dc:creator") or _field_text(found, "author"),
    )


def _field_text(found: dict[str, Any], field: str) -> str | None:
    element = found.get(field)
    return None if element is None else _text(element)


def _read_rdf(root: Any) -> RawFeed | None:
    ns = _RSS1 if root.find(f"{_RSS1}channel") is not None else _RSS090
    channel = root.find(f"{ns}channel")
    title = link = None
    if channel is not None:
        title = channel.findtext(f"{ns}title")
        link = channel.findtext(f"{ns}link")
    items = [_rdf_item(item, ns) for item in root.iterchildren(f"{ns}item")]
    if channel is None and not items:
        return None
    return RawFeed(title=title, link=link, base=None, entries=items, reader="rdf")


def _rdf_item(item: Any, ns: str) -> RawEntry:
    fields: dict[str, str | None] = {}
    categories: list[str] = []
    for child in item:
        tag = child.tag
        if tag == f"{_DC}subject":
            if text := _text(child):
                categories.append(text)
        elif isinstance(tag, str):
            fields.setdefault(tag, _text(child))
    link = fields.get(f"{ns}link")
    return RawEntry(
        title=fields.get(f"{ns}title"),
        summary=fields.get(f"{ns}description"),
        content=fields.get(_CONTENT_ENCODED),
        link=link,
        guid=item.get(f"{_RDF}about") or link,
        published=parse_date(fields.get(f"{_DC}date")),
        categories=tuple(categories),
        author=fields.get(f"{_DC}creator"),
    )


def _atom_text(element: Any) -> str | None:
    # type="xhtml" wraps the content in a <div>; "html" is escaped HTML; "text" is text.
    if element.get("type") == "xhtml":
        div = element.find(_XHTML_DIV)
        return _markup(div if div is not None else element)
    return _text(element)


def _atom_link(element: Any, base: str) -> tuple[str | None, str]:
    """(href, rel) with href resolved against xml:base when it is relative."""
    href = element.get("href")
    rel = element.get("rel", "alternate")
    if href and not href.startswith(("http://", "https://")):
        href = urljoin(element.base or base, href)
    return href, rel


def _read_atom(root: Any, url: str) -> RawFeed:
    title = link = None
    entries: list[RawEntry] = []
    for child in root:
        tag = child.tag
        if tag == f"{_ATOM}entry":
            entries.append(_atom_entry(child, url))
        elif tag == f"{_ATOM}title":
            title = _atom_text(child)
        elif tag == f"{_ATOM}link":
            href, rel = _atom_link(child, url)
            if rel == "alternate" and link is None:
                link = href
    return RawFeed(title=title, link=link, base=root.base or url, entries=entries, reader="atom")


def _atom_entry(entry: Any, url: str) -> RawEntry:
    title = summary = content = link = any_link = guid = author = None
    published = updated = None
    categories: list[str] = []
    for child in entry:
        tag = child.tag
        if tag == f"{_ATOM}title":
            title = _atom_text(child)
        elif tag == f"{_ATOM}link":
            href, rel = _atom_link(child, url)
            if rel == "alternate" and link is None:
                link = href
            any_link = any_link or href
        elif tag == f"{_ATOM}id":
            guid = child.text
        elif tag == f"{_ATOM}published":
            published = parse_date(child.text)
        elif tag == f"{_ATOM}updated":
            updated = parse_date(child.text)
        elif tag == f"{_ATOM}summary":
            summary = _atom_text(child)
        elif tag == f"{_ATOM}content":
            content = _atom_text(child)
        elif tag == f"{_ATOM}category":
            if term := child.get("label") or child.get("term"):
                categories.append(term)
        elif tag == f"{_ATOM}author" and author is None:
            author = child.findtext(f"{_ATOM}name")
    return RawEntry(
        title=title,
        summary=summary,
        content=content,
        link=link or any_link,
        guid=guid,
        published=published,
        updated=updated,
        categories=tuple(categories),
        author=author,
    )
