"""From what a feed says about an entry to a `bot.models.Entry`: plain-text title and
summary, an absolute link, UTC times and a stable key. Pure functions, no I/O.

Feeds are sloppy in predictable ways: titles carry HTML or entities encoded twice
(`&amp;#8217;`), summaries are HTML with WordPress boilerplate, dates come in RFC 822, ISO
8601 or worse, links are relative. Everything here is cheap string work, because it runs
for every entry of every changed feed.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import feedparser.datetimes

from bot.feeds.urls import MAX_URL_LENGTH
from bot.models import Entry

MAX_TITLE = 500
# A fan site's whole post (the seed article is 2.5 KB) fits; longer bodies keep their start.
MAX_SUMMARY = 5000
MAX_KEY = 500
# Longer HTML than this is cut before stripping: the summary keeps only the start anyway,
# and regexes over a megabyte of content:encoded would dominate the parse time.
_MAX_HTML = 20_000

_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
# Block-level tags separate words; inline tags (<em>, <a>) must not, or "<em>Citadel</em>'s"
# would become "Citadel 's". A tag starts with a letter, "/", "!" or "?": "<3" is text.
_BLOCK_NAMES = frozenset(
    [
        "p",
        "div",
        "br",
        "hr",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "img",
        "iframe",
        "video",
        "audio",
    ]
)
_TAG = re.compile(r"<(?:/?([A-Za-z][A-Za-z0-9]*)|[!?/])[^<>]*>")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\xad]")
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|GMT|UTC|UT|Z)"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_EMAIL_AND_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")
_ELLIPSES = ("[…]", "[...]")  # WordPress's "read more" mark


@dataclass(frozen=True, slots=True)
class RawEntry:
    """An entry as a feed reader found it: text may hold HTML and entities."""

    title: str | None = None
    summary: str | None = None  # HTML
    content: str | None = None  # HTML; the summary falls back to it
    link: str | None = None
    guid: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    author: str | None = None


@dataclass(frozen=True, slots=True)
class RawHeadline:
    """An entry's title and guid as a reader found them (as in a `RawEntry`), and how to
    read the rest: enough to identify an entry that has a guid, so that the rest of an
    entry already recorded, most of a changed feed, is never read (see `identify`)."""

    title: str | None
    guid: str | None
    read: Callable[[], RawEntry]


@dataclass(frozen=True, slots=True)
class RawFeed:
    """A feed as one of the readers found it, before normalisation."""

    title: str | None
    link: str | None
    base: str | None  # what relative entry links are relative to
    entries: Sequence[RawEntry | RawHeadline]
    reader: str


def html_to_text(value: str | None, *, limit: int = MAX_SUMMARY) -> str:
    """Plain text from HTML or entity-laden text: tags dropped, entities decoded (also when
    encoded twice or thrice), whitespace folded, cut to `limit` characters."""
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return _cut(_fold(value), limit)
    text = value[:_MAX_HTML]
    # Each round strips one layer: HTML escaped inside HTML ("&lt;p&gt;") shows its tags
    # only after the first unescape.
    for _ in range(3):
        if "<" in text:
            if "<!" in text or "<s" in text or "<S" in text:
                text = _DROP.sub(" ", text)
            text = _TAG.sub(_tag_replacement, text)
        if "&" not in text:
            break
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return _cut(_fold(text), limit)


def _tag_replacement(match: re.Match[str]) -> str:
    name = match.group(1)
    return " " if name and name.lower() in _BLOCK_NAMES else ""


def _fold(text: str) -> str:
    # Invisible characters can only be in non-ASCII text (isascii is a flag check).
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def summary_text(summary: str | None, content: str | None) -> str:
    """The entry's summary as plain text, without WordPress's "The post … appeared first
    on …" footer; the content stands in when there is no summary."""
    raw = summary or content
    if not raw:
        return ""
    footer = raw.rfind("The post ")
    if footer != -1 and "appeared first on" in raw[footer:]:
        raw = raw[:footer]
    text = html_to_text(raw, limit=MAX_SUMMARY + 100)
    for ellipsis in _ELLIPSES:
        if text.endswith(ellipsis):
            text = text[: -len(ellipsis)].rstrip() + " …"
            break
    return _cut(text, MAX_SUMMARY)


def parse_date(value: str | None) -> datetime | None:
    """An aware UTC datetime from an RFC 822, ISO 8601 or other common feed date; None for
    anything unreadable or implausible. A date without a zone is taken as UTC."""
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    parsed = _rfc822_fast(value)
    if parsed is not None:
        return parsed
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = _feedparser_date(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return parsed if 1990 <= parsed.year <= 2100 else None


def _rfc822_fast(value: str) -> datetime | None:
    # The shape nearly every RSS feed uses ("Sat, 01 Jun 2024 12:30:00 +0000"), read
    # without email.utils' general parser, which costs a third of an item's parse time.
    match = _RFC822.fullmatch(value)
    if match is None:
        return None
    day, month, year, hour, minute, second, zone = match.groups()
    month_number = _MONTHS.get(month.lower())
    if month_number is None:
        return None
    if zone in ("GMT", "UTC", "UT", "Z"):
        offset = 0
    elif zone[0] in "+-" and len(zone) == 5 and zone[1:].isdigit():
        offset = (int(zone[1:3]) * 60 + int(zone[3:])) * (-1 if zone[0] == "-" else 1)
    else:
        return None
    try:
        moment = datetime(
            int(year), month_number, int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC
        )
    except ValueError:
        return None
    if not 1990 <= moment.year <= 2100:
        return None
    return moment - timedelta(minutes=offset)


def _feedparser_date(value: str) -> datetime | None:
    # feedparser knows a dozen odd formats (W3CDTF variants, Korean, Greek, Hungarian...).
    try:
        parsed = feedparser.datetimes._parse_date(value)
    except Exception:  # its date handlers raise anything at all on garbage
        return None
    return struct_time_to_datetime(parsed)


def struct_time_to_datetime(value: time.struct_time | None) -> datetime | None:
    """A UTC `time.struct_time` (as feedparser returns) as an aware datetime."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def absolute_link(link: str | None, base: str | None) -> str | None:
    """`link` resolved against `base`; None unless the result is an http(s) URL of at most
    MAX_URL_LENGTH characters (a longer one is no article's address)."""
    if not link:
        return None
    link = link.strip()
    if len(link) > MAX_URL_LENGTH:
        return None
    try:
        absolute = link.startswith(("http://", "https://"))
        resolved = link if absolute or not base else urljoin(base, link)
        parts = urlsplit(resolved)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return resolved if len(resolved) <= MAX_URL_LENGTH else None


def entry_key(guid: str | None, link: str | None, title: str, published: datetime | None) -> str:
    """A stable identity within a feed: the guid, else the link, else a hash of title and
    date. Oversized identifiers are hashed so that a hostile feed cannot bloat the index."""
    for candidate in (guid, link):
        if candidate and (candidate := candidate.strip()):
            if len(candidate) > MAX_KEY:
                return "sha256:" + hashlib.sha256(candidate.encode()).hexdigest()
            return candidate
    stamp = published.isoformat() if published else ""
    digest = hashlib.sha256(f"{title}\n{stamp}".encode()).hexdigest()
    return "sha256:" + digest[:32]


def _author_name(author: str) -> str:
    # RSS 2.0 <author> is "jane@example.com (Jane Doe)": keep the name, drop the address.
    match = _EMAIL_AND_NAME.match(author)
    return match.group(1).strip() if match else author


@dataclass(frozen=True, slots=True)
class Item:
    """An entry identified but not yet wholly normalised: its key and plain title are known,
    which is enough to tell whether it is new or retitled. `entry()` does the rest (link,
    summary, categories, author...), work worth doing only for the entries that will be
    stored."""

    key: str
    title: str
    outlet: str
    base: str | None  # what a relative link is relative to
    raw: RawEntry | None  # None: only identified, never read in full (see `identify`)

    def entry(self) -> Entry:
        """The normalised `Entry` (ValueError for an item only identified)."""
        raw = self.raw
        if raw is None:
            raise ValueError(f"entry {self.key!r} was only identified, not read")
        published = raw.published or raw.updated
        categories = tuple(
            dict.fromkeys(c for c in (html_to_text(c, limit=100) for c in raw.categories) if c)
        )
        return Entry(
            key=self.key,
            title=self.title,
            summary=summary_text(raw.summary, raw.content),
            link=absolute_link(raw.link, self.base),
            published=published,
            # Readers disagree on whether a lone date is "published" or "updated" (feedparser
            # copies pubDate into both): `updated` is kept only when it says something more.
            updated=raw.updated if raw.updated != published else None,
            categories=categories,
            author=_author_name(html_to_text(raw.author, limit=200)) or None,
            outlet=self.outlet,
        )


Skip = Callable[[str, str], bool]
"""Whether the entry with this key and title need not be read in full (it is recorded)."""


def identify(
    raw: RawEntry | RawHeadline, base: str | None, outlet: str, skip: Skip | None = None
) -> Item | None:
    """The entry's key and plain title, or None when it has neither a title nor a link
    (nor a summary to stand in for the title). A headline keyed by its guid that `skip`
    passes over is not read any further."""
    if isinstance(raw, RawHeadline):
        title = html_to_text(raw.title, limit=MAX_TITLE)
        if title and raw.guid and raw.guid.strip():
            key = entry_key(raw.guid, None, title, None)  # the guid: link and date unneeded
            read = None if skip is not None and skip(key, title) else raw.read()
            return Item(key=key, title=title, outlet=outlet, base=base, raw=read)
        raw = raw.read()
    title = html_to_text(raw.title, limit=MAX_TITLE)
    link = absolute_link(raw.link, base)
    if not title:
        summary = summary_text(raw.summary, raw.content)
        if not link and not summary:
            return None
        title = _cut(summary, 120) if summary else ""
    key = entry_key(raw.guid, link, title, raw.published or raw.updated)
    return Item(key=key, title=title, outlet=outlet, base=base, raw=raw)


def identify_all(
    raws: Iterable[RawEntry | RawHeadline],
    base: str | None,
    outlet: str,
    skip: Skip | None = None,
) -> tuple[Item, ...]:
    """The feed's items without empty ones, and each key once (the first wins: feeds list
    the newest version of a repeated item first)."""
    seen: dict[str, Item] = {}
    for raw in raws:
        item = identify(raw, base, outlet, skip)
        if item is not None and item.key not in seen:
            seen[item.key] = item
    return tuple(seen.values())
