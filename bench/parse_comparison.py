"""Per-feed parse CPU of the same bytes: raw lxml (the floor), feedparser out of the box
(where we started) and our `parse_feed`, so the pipeline's cost has something to be
measured against.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import feedparser
from lxml import etree

from bot.feeds.parse import parse_feed


def median_ms(function: Callable[[], object], repeats: int) -> float:
    """Median CPU milliseconds of `function` over `repeats` runs."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def feedparser_default(body: bytes) -> Any:
    """feedparser as it runs out of the box (sanitising, resolving relative links)."""
    return feedparser.parse(io.BytesIO(body))


def parse_and_normalise_all(body: bytes) -> Any:
    """parse_feed, then every entry normalised in full (a new feed's first poll)."""
    return parse_feed(body, "https://x.example/feed/").entries


def parse_timings(sample: Sequence[bytes]) -> dict[str, float]:
    """Median per-feed parse CPU (ms): raw lxml, feedparser default, our parse_feed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    lxml_ms, feedparser_ms, ours_ms, all_ms = [], [], [], []
    for body in sample:
        lxml_ms.append(median_ms(partial(etree.fromstring, body, parser), 9))
        feedparser_ms.append(median_ms(partial(feedparser_default, body), 3))
        ours_ms.append(median_ms(partial(parse_feed, body, "https://x.example/feed/"), 9))
        all_ms.append(median_ms(partial(parse_and_normalise_all, body), 9))
    return {
        "feed_bytes": statistics.median(len(body) for body in sample),
        "lxml_fromstring_ms": statistics.median(lxml_ms),
        "feedparser_default_ms": statistics.median(feedparser_ms),
        "parse_feed_ms": statistics.median(ours_ms),
        "parse_feed_all_entries_ms": statistics.median(all_ms),
    }
