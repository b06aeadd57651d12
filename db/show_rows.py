"""Announcements and season states as the store's rows hold them, and back: season
numbers (`season_key`, `season_value`), sources as JSON, premiere windows, certainties;
and `_chunks` and `seasons_in`, the batches of keys their IN (...) tests bind and the test
of (show id, season) pairs, bound at each run."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, bindparam, tuple_

from bot.models import (
    Announcement,
    Certainty,
    Event,
    SeasonState,
    Source,
    Status,
    Window,
)

T = TypeVar("T")
_fromisoformat = datetime.fromisoformat
UNSTATED = 0  # how a season that was not stated is stored (see db/schema/__init__.py)
SeasonKey = tuple[int, int | None]  # (show id, season)


def season_key(season: int | None) -> int:
    """The stored form of a season number."""
    return UNSTATED if season is None else season


def season_value(stored: int) -> int | None:
    """The domain form of a stored season number."""
    return None if stored == UNSTATED else stored


def _source_json(source: Source) -> dict[str, Any]:
    published = source.published
    return {
        "outlet": source.outlet,
        "link": source.link,
        "published": published.isoformat() if published else None,
        "title": source.title,
    }


def _source_from_json(data: dict[str, Any]) -> Source:
    # Positional arguments: a season's state holds a source per outlet, read at each fold.
    published = data.get("published")
    return Source(
        data["outlet"],
        data.get("link"),
        _fromisoformat(published) if published else None,
        data.get("title", ""),
    )


def _window(start: date | None, end: date | None, text: str | None) -> Window | None:
    if start is None or end is None:
        return None
    return Window(start=start, end=end, text=text or "")


def _certainty(value: str | None) -> Certainty | None:
    return None if value is None else Certainty(value)


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seasons_in(show_id: ColumnElement[Any], season: ColumnElement[Any]) -> ColumnElement[bool]:
    """`(show_id, season) IN :keys`, with the keys' show ids (`:show_ids`) tested alone too:
    SQLite seeks the index for the ids, and scans the whole table for the pairs alone. The
    values are bound at each run (`season_binds`), so that a statement using it is built
    once: building one costs more than running it on SQLite."""
    return and_(
        show_id.in_(bindparam("show_ids", expanding=True)),
        tuple_(show_id, season).in_(bindparam("keys", expanding=True)),
    )


def season_binds(pairs: Sequence[tuple[int, int]]) -> dict[str, Any]:
    """The values of `seasons_in` for these stored (show id, season) pairs."""
    return {"keys": list(pairs), "show_ids": sorted({show for show, _ in pairs})}


def _announcement_row(
    show_id: int, entry_id: int | None, item: Announcement, now: datetime
) -> dict[str, Any]:
    return {
        "show_id": show_id,
        "entry_id": entry_id,
        "event": item.event.value,
        "season": season_key(item.season),
        "premiere_date": item.date,
        "window_start": item.window.start if item.window else None,
        "window_end": item.window.end if item.window else None,
        "window_text": item.window.text if item.window else None,
        "network": item.network,
        "certainty": item.certainty.value,
        "evidence": item.evidence,
        "outlet": item.source.outlet,
        "link": item.source.link,
        "title": item.source.title,
        "published": item.source.published,
        "recognised_at": now,
    }


def _announcement(row: Any) -> Announcement:
    return Announcement(
        show=row.show_name,
        event=Event(row.event),
        certainty=Certainty(row.certainty),
        evidence=row.evidence,
        source=Source(outlet=row.outlet, link=row.link, published=row.published, title=row.title),
        season=season_value(row.season),
        date=row.premiere_date,
        window=_window(row.window_start, row.window_end, row.window_text),
        network=row.network,
    )


def _announcement_as_stored(show_name: str, row: dict[str, Any]) -> Announcement:
    """What `_announcement` reads back from the row `_announcement_row` wrote (the
    store keeps times as UTC: see db/schema/conventions.py's UTCDateTime)."""
    published = row["published"]
    return Announcement(
        show=show_name,
        event=Event(row["event"]),
        certainty=Certainty(row["certainty"]),
        evidence=row["evidence"],
        source=Source(
            outlet=row["outlet"],
            link=row["link"],
            published=published.astimezone(UTC) if published is not None else None,
            title=row["title"],
        ),
        season=season_value(row["season"]),
        date=row["premiere_date"],
        window=_window(row["window_start"], row["window_end"], row["window_text"]),
        network=row["network"],
    )


def _state_row(
    show_id: int, state: SeasonState, now: datetime, *, fold: str | None = None
) -> dict[str, Any]:
    status_source = state.status_first_source
    premiere_source = state.premiere_first_source
    window = state.premiere_window
    return {
        "show_id": show_id,
        "season": season_key(state.season),
        "status": state.status.value,
        "status_certainty": state.status_certainty.value if state.status_certainty else None,
        "status_first_reported": state.status_first_reported,
        "status_source": json.dumps(_source_json(status_source)) if status_source else None,
        "premiere_date": state.premiere_date,
        "window_start": window.start if window else None,
        "window_end": window.end if window else None,
        "window_text": window.text if window else None,
        "premiere_certainty": state.premiere_certainty.value if state.premiere_certainty else None,
        "premiere_first_reported": state.premiere_first_reported,
        "premiere_source": json.dumps(_source_json(premiere_source)) if premiere_source else None,
        "network": state.network,
        "sources": json.dumps([_source_json(s) for s in state.sources]),
        "updated_at": state.updated or now,
        "listed_date": state.listed_date,
        "news_date": state.news_date,
        "news_certainty": state.news_certainty.value if state.news_certainty else None,
        "fold": fold,
    }


def state_from_row(row: Any) -> SeasonState:
    """A season state from a row of `season_states` with its show's name (`show_name`)."""
    status_source = _source_from_json(json.loads(row.status_source)) if row.status_source else None
    premiere_source = (
        _source_from_json(json.loads(row.premiere_source)) if row.premiere_source else None
    )
    return SeasonState(
        show=row.show_name,
        season=season_value(row.season),
        status=Status(row.status),
        status_certainty=_certainty(row.status_certainty),
        status_first_reported=row.status_first_reported,
        status_first_source=status_source,
        premiere_date=row.premiere_date,
        premiere_window=_window(row.window_start, row.window_end, row.window_text),
        premiere_certainty=_certainty(row.premiere_certainty),
        premiere_first_reported=row.premiere_first_reported,
        premiere_first_source=premiere_source,
        network=row.network,
        sources=tuple(_source_from_json(s) for s in json.loads(row.sources)),
        updated=row.updated_at,
        listed_date=row.listed_date,
        news_date=row.news_date,
        news_certainty=_certainty(row.news_certainty),
    )
