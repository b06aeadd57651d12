"""A fold summary (bot/state/fold_step.py) as compact JSON, for the store.

Each announcement the summary refers to is written once and referred to by its index; a
summary of another version reads as None, so that the season is refolded in full.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bot.models import Announcement, Certainty, Event, Source, Window
from bot.state.fold_step import FoldSummary, _Tally
from bot.state.fold_walk import _Backing, _Walk

__all__ = ["decode_summary", "encode_summary"]

_VERSION = 2


_EVENTS = {event.value: event for event in Event}
_datetime, _date = datetime.fromisoformat, date.fromisoformat
# Built once: json.dumps with options builds an encoder at each call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_CERTAINTIES = {certainty.value: certainty for certainty in Certainty}


class _Witnesses:
    """The announcements a summary refers to, each written once and referred to by index
    (as it was read when it was, see `FoldSummary.read_from`; its show left out when it is
    the summary's)."""

    def __init__(self, summary: FoldSummary) -> None:
        self.items: list[list[Any]] = []
        self._index: dict[int, int] = {}
        self._show = summary.show
        self._read_from = summary.read_from

    def ref(self, item: Announcement | None) -> int | None:
        if item is None:
            return None
        found = self._index.get(id(item))
        if found is None:
            found = self._index[id(item)] = len(self.items)
            read = self._read_from.get(id(item))
            if (
                read is not None
                and read[0] is item
                and (read[1][0] is None) == (item.show == self._show)
            ):
                self.items.append(read[1])
            else:
                self.items.append(_announcement_json(item, self._show))
        return found


def _announcement_json(item: Announcement, show: str) -> list[Any]:
    source, window = item.source, item.window
    return [
        None if item.show == show else item.show,
        item.event.value,
        item.certainty.value,
        item.evidence,
        source.outlet,
        source.link,
        source.title,
        source.published.isoformat() if source.published else None,
        item.season,
        item.date.isoformat() if item.date else None,
        [window.start.isoformat(), window.end.isoformat(), window.text] if window else None,
        item.network,
    ]


def _announcement_from_json(data: list[Any], show: str) -> Announcement:
    # Positional arguments and one unpacking: a summary is read for every season a feed's
    # news touches, a few dozen announcements each.
    (
        name,
        event,
        certainty,
        evidence,
        outlet,
        link,
        title,
        published,
        season,
        day,
        window,
        network,
    ) = data
    return Announcement(
        show if name is None else name,
        _EVENTS[event],
        _CERTAINTIES[certainty],
        evidence,
        Source(outlet, link, _datetime(published) if published else None, title),
        season,
        _date(day) if day else None,
        Window(_date(window[0]), _date(window[1]), window[2]) if window else None,
        network,
    )


def _backing_json(backing: dict[Event, _Backing], refs: _Witnesses) -> dict[str, Any]:
    return {
        event.value: [b.top, refs.ref(b.first), refs.ref(b.first_sure)]
        for event, b in backing.items()
    }


def _walk_json(walk: _Walk | None, refs: _Witnesses) -> list[Any] | None:
    if walk is None:
        return None
    return [
        refs.ref(walk.winner),
        refs.ref(walk.start),
        refs.ref(walk.previous_start),
        refs.ref(walk.tail),
        _backing_json(walk.episode, refs),
        {value: _backing_json(backing, refs) for value, backing in walk.pending.items()},
    ]


def encode_summary(summary: FoldSummary) -> str:
    """The summary as compact JSON, for the store."""
    refs = _Witnesses(summary)
    body = {
        "v": _VERSION,
        "show": summary.show,
        "season": summary.season,
        "n": summary.count,
        "listing": refs.ref(summary.listing),
        "status": _walk_json(summary.status, refs),
        "dates": _walk_json(summary.dates, refs),
        "news_dates": _walk_json(summary.news_dates, refs),
        "windows": _walk_json(summary.windows, refs),
        "sources": [refs.ref(item) for item in summary.sources.values()],
        "networks": {
            key: [t.top, t.count, refs.ref(t.latest), refs.ref(t.spelling)]
            for key, t in summary.networks.items()
        },
        "updated": refs.ref(summary.updated),
        "keep": summary.keep,
        "recent": [refs.ref(item) for item in summary.recent],
        "tail": refs.ref(summary.tail),
    }
    body["a"] = refs.items
    return _ENCODER.encode(body)


def decode_summary(text: str | None) -> FoldSummary | None:
    """The summary `encode_summary` wrote; None for none, or one of another version (the
    season is then refolded in full)."""
    if not text:
        return None
    body = json.loads(text)
    if body.get("v") != _VERSION:
        return None
    show = body["show"]
    items = [_announcement_from_json(data, show) for data in body["a"]]

    def ref(index: int | None) -> Announcement | None:
        return None if index is None else items[index]

    def backing(data: dict[str, Any]) -> dict[Event, _Backing]:
        found: dict[Event, _Backing] = {}
        for event, (top, first, sure) in data.items():
            first_item = ref(first)
            assert first_item is not None
            found[_EVENTS[event]] = _Backing(top, first_item, ref(sure))
        return found

    def walk(data: list[Any] | None) -> _Walk | None:
        if data is None:
            return None
        winner, start, previous, tail, episode, pending = data
        return _Walk(
            ref(winner),
            ref(start),
            ref(previous),
            ref(tail),
            backing(episode),
            {value: backing(b) for value, b in pending.items()},
        )

    networks: dict[str, _Tally] = {}
    for key, (top, count, latest, spelling) in body["networks"].items():
        latest_item, spelling_item = ref(latest), ref(spelling)
        assert latest_item is not None and spelling_item is not None
        networks[key] = _Tally(top, count, latest_item, spelling_item)
    sources = [items[index] for index in body["sources"]]
    return FoldSummary(
        show=show,
        season=body["season"],
        count=body["n"],
        listing=ref(body["listing"]),
        status=walk(body["status"]) or _Walk(),
        dates=walk(body["dates"]) or _Walk(),
        news_dates=walk(body["news_dates"]),
        windows=walk(body["windows"]) or _Walk(),
        sources={item.source.outlet.strip().casefold(): item for item in sources},
        networks=networks,
        updated=ref(body["updated"]),
        keep=body["keep"],
        recent=[items[index] for index in body["recent"]],
        tail=ref(body["tail"]),
        read_from={id(item): (item, data) for item, data in zip(items, body["a"], strict=True)},
    )
