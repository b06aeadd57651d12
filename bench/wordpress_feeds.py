"""Generated WordPress-style feeds: what bench/ingest.py and bench/loop_lag.py poll.

Every feed is a pure function of its number and version (seeded per item), so the parent,
the server's child process and a comparison run all see the same bytes.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

ROOT = Path(__file__).resolve().parent.parent

ITEMS = 50
NEW_PER_VERSION = 5
EPOCH = datetime(2024, 6, 1, tzinfo=UTC)
# The shows the stories are about: the shipped catalogue (about 530 current shows), so that
# 25,000 entries spread over as many shows as TV news really covers. (An earlier version drew
# from 18 shows, piling ~160 announcements on every season and making each refold of a
# season's state far costlier than it is on real feeds.)
SHOWS = [
    show["name"]
    for show in json.loads((ROOT / "bot" / "data" / "shows.json").read_text(encoding="utf-8"))
    if ":" not in show["name"]
]
NETWORKS = ["Netflix", "Apple TV+", "HBO", "Prime Video", "FX", "ABC", "CBS", "Peacock"]
TEMPLATES = [
    "&#8216;{show}&#8217; Renewed for Season {n} at {net}",
    "&#8216;{show}&#8217; Cancelled After {n} Seasons &#8212; Cast &amp;amp; Crew React",
    "{show} Season {n} Premiere Date Set for October {day} on {net}",
    "&#8216;{show}&#8217; Star Joins {net} Drama in Recurring Role",
    "Ratings: {show} Ticks Up, {net} Comedy Steady",
    "&#8216;{show}&#8217; Season {n} Will Be Its Last, {net} Confirms",
    "{show} Boss Teases Season {n}: &#8216;We Have Big Plans&#8217;",
]
WORDS = [
    "the", "season", "series", "network", "streaming", "premiere", "finale", "cast",
    "showrunner", "drama", "comedy", "episode", "producer", "announced", "official", "report",
    "ratings", "audience", "writers", "thriller", "fans", "of", "and", "to", "a", "in", "for",
    "is", "on", "that", "with", "as", "was", "at", "by", "from", "about", "after", "new",
]  # fmt: skip


def wordpress_feed(number: int, version: int) -> bytes:
    """Feed `number` at `version`: 50 items, the newest `version * 5` ones new since 0."""
    host = f"outlet{number}.example"
    newest = version * NEW_PER_VERSION + ITEMS - 1
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
        '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
        '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n'
        '\txmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n'
        f"\t<title>Outlet {number} &#8211; TV News</title>\n"
        f'\t<atom:link href="https://{host}/feed/" rel="self" type="application/rss+xml" />\n'
        f"\t<link>https://{host}</link>\n\t<description>Television news</description>\n"
        f"\t<lastBuildDate>{format_datetime(_published(newest))}</lastBuildDate>\n"
        "\t<language>en-US</language>\n\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
        "\t<generator>https://wordpress.org/?v=6.5.3</generator>\n"
    ]
    for serial in range(newest, newest - ITEMS, -1):
        parts.append(_item(number, host, serial))
    parts.append("</channel>\n</rss>\n")
    return "".join(parts).encode()


def _published(serial: int) -> datetime:
    return EPOCH + timedelta(minutes=20 * serial)


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _item(number: int, host: str, serial: int) -> str:
    rng = random.Random(number * 100_003 + serial)
    show, net = xml_escape(rng.choice(SHOWS)), rng.choice(NETWORKS)
    title = rng.choice(TEMPLATES).format(
        show=show, net=net, n=rng.randint(2, 6), day=rng.randint(1, 28)
    )
    slug = f"{show.lower().replace(' ', '-')}-{serial}"
    link = f"https://{host}/2024/06/{slug}-{1_230_000 + serial}/"
    paragraphs = "".join(
        f'<p>{_sentence(rng, 38)} <a href="/t/{serial}-{k}/">{show}</a> '
        f"&#8220;{_sentence(rng, 8)}&#8221; &amp; more.</p>\n"
        for k in range(11)
    )
    image = f"https://{host}/wp-content/uploads/2024/06/{slug}.jpg"
    return (
        f"\t<item>\n\t\t<title>{title}</title>\n\t\t<link>{link}</link>\n"
        f"\t\t<comments>{link}#respond</comments>\n"
        f"\t\t<dc:creator><![CDATA[Writer {serial % 9}]]></dc:creator>\n"
        f"\t\t<pubDate>{format_datetime(_published(serial))}</pubDate>\n"
        f"\t\t<category><![CDATA[TV]]></category>\n\t\t<category><![CDATA[{net}]]></category>\n"
        f"\t\t<category><![CDATA[{show}]]></category>\n"
        f'\t\t<guid isPermaLink="false">https://{host}/?p={1_230_000 + serial}</guid>\n'
        f"\t\t<description><![CDATA[<p>{_sentence(rng, 32)} [&#8230;]</p>\n"
        f'<p>The post <a href="{link}">{show}</a> appeared first on '
        f'<a href="https://{host}">Outlet {number}</a>.</p>\n]]></description>\n'
        f"\t\t<content:encoded><![CDATA[{paragraphs}]]></content:encoded>\n"
        f"\t\t<wfw:commentRss>{link}feed/</wfw:commentRss>\n"
        "\t\t<slash:comments>0</slash:comments>\n"
        f'\t\t<media:thumbnail url="{image}" />\n'
        f'\t\t<media:content url="{image}" medium="image">'
        f'<media:title type="html">{show}</media:title></media:content>\n\t</item>\n'
    )
