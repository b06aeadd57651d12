"""TVmaze's JSON, read into plain records. Pure: no I/O.

The shapes are TVmaze's public API's: a show object (`/shows`, `/shows/:id`, the `show` of
a search result, an episode's `_embedded.show`), a season (`/shows/:id/seasons`), an
episode (`/schedule/full`) and the updates map (`/updates/shows`: show id -> epoch
seconds). Anything malformed is skipped rather than trusted: a bad record never stops a
sync.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.models import Show

ENDED = "Ended"


@dataclass(frozen=True, slots=True)
class TvmazeShow:
    """One show of TVmaze's index, as the mirror keeps it."""

    id: int
    name: str
    updated: int  # TVmaze's epoch seconds of the show's last change
    aliases: tuple[str, ...] = ()
    network: str | None = None
    web_channel: str | None = None
    status: str | None = None  # Running | Ended | To Be Determined | In Development
    premiered: date | None = None
    ended: date | None = None
    imdb: str | None = None
    thetvdb: int | None = None
    url: str | None = None
    weight: int | None = None

    @property
    def channel(self) -> str | None:
        """Where it airs: the network, else the web channel."""
        return self.network or self.web_channel

    def as_show(self) -> Show:
        """The catalogue entry for the show (TVmaze's spelling)."""
        return Show(name=self.name, aliases=self.aliases, network=self.channel)


@dataclass(frozen=True, slots=True)
class SeasonPremiere:
    """A season's premiere date as TVmaze lists it."""

    show_id: int  # TVmaze's show id
    season: int
    premiere: date


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _name_of(value: object) -> str | None:
    return _text(value.get("name")) if isinstance(value, Mapping) else None


def read_show(data: object) -> TvmazeShow | None:
    """A show object, or None when it lacks an id, a name or its `updated` stamp. AKAs come
    from `_embedded.akas` when the request embedded them."""
    if not isinstance(data, Mapping):
        return None
    show_id, name, updated = (
        _int(data.get("id")),
        _text(data.get("name")),
        _int(data.get("updated")),
    )
    if show_id is None or name is None or updated is None:
        return None
    externals = data.get("externals") if isinstance(data.get("externals"), Mapping) else {}
    assert isinstance(externals, Mapping)
    embedded = data.get("_embedded")
    akas = embedded.get("akas") if isinstance(embedded, Mapping) else None
    aliases = tuple(
        dict.fromkeys(
            alias
            for alias in (_name_of(aka) for aka in (akas if isinstance(akas, list) else ()))
            if alias is not None and alias != name
        )
    )
    weight = _int(data.get("weight"))
    return TvmazeShow(
        id=show_id,
        name=name,
        updated=updated,
        aliases=aliases,
        network=_name_of(data.get("network")),
        web_channel=_name_of(data.get("webChannel")),
        status=_text(data.get("status")),
        premiered=_day(data.get("premiered")),
        ended=_day(data.get("ended")),
        imdb=_text(externals.get("imdb")),
        thetvdb=_int(externals.get("thetvdb")),
        url=_text(data.get("url")),
        weight=weight,
    )


def read_shows(data: object) -> list[TvmazeShow]:
    """A page of `/shows`: the readable shows in it."""
    if not isinstance(data, list):
        return []
    return [show for show in (read_show(item) for item in data) if show is not None]


def read_updates(data: object) -> dict[int, int]:
    """`/updates/shows`: TVmaze show id -> epoch seconds of its last change."""
    if not isinstance(data, Mapping):
        return {}
    updates: dict[int, int] = {}
    for key, value in data.items():
        if isinstance(key, str) and key.isdigit() and _int(value) is not None:
            updates[int(key)] = int(value)
    return updates


def read_season_premieres(show_id: int, data: object) -> list[SeasonPremiere]:
    """`/shows/:id/seasons`: every numbered season with a premiere date."""
    if not isinstance(data, list):
        return []
    found: list[SeasonPremiere] = []
    for item in data:
        if not isinstance(item, Mapping):
            continue
        number, day = _int(item.get("number")), _day(item.get("premiereDate"))
        if number is not None and number > 0 and day is not None:
            found.append(SeasonPremiere(show_id, number, day))
    return found


def schedule_episodes(data: object) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """`/schedule/full` (or a day's schedule): (episode, its embedded show) pairs."""
    if not isinstance(data, list):
        return
    for item in data:
        if not isinstance(item, Mapping):
            continue
        embedded = item.get("_embedded")
        show = embedded.get("show") if isinstance(embedded, Mapping) else None
        if isinstance(show, Mapping):
            yield item, show


def schedule_premieres(
    episodes: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]], *, today: date
) -> list[SeasonPremiere]:
    """Season premieres from scheduled episodes: episode 1 of a numbered season airing
    today or later (the earliest airdate when a show lists it twice)."""
    first: dict[tuple[int, int], date] = {}
    for episode, show in episodes:
        show_id, season = _int(show.get("id")), _int(episode.get("season"))
        day = _day(episode.get("airdate"))
        if show_id is None or season is None or season <= 0 or day is None or day < today:
            continue
        if _int(episode.get("number")) != 1:
            continue
        key = (show_id, season)
        if key not in first or day < first[key]:
            first[key] = day
    return [SeasonPremiere(show, season, day) for (show, season), day in sorted(first.items())]
