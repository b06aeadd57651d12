"""The synthetic catalogue the benches fill their stores with: shows and the news about them.

bench/when.py, bench/memory.py, bench/catalogue.py and bench/lookup_agreement.py share it so
that they measure the same data for the same seed; the order of the random draws is part of
that contract, so reordering them changes every bench's data.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

from bot.models import Announcement, Certainty, Event, Show, Source, Window
from bot.shows.catalogue import Catalogue
from bot.shows.names import name_key

# -- names -------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ADJECTIVES = _words(
    "Dark Silent Broken Golden Lost Hidden Last Wild Crimson Bright Cold Burning Hollow "
    "Sacred Savage Quiet Little Big Young Perfect Wicked Blue Black White Red Iron Glass "
    "Velvet Electric Midnight Northern Southern Eternal Fallen Restless Strange Secret Royal "
    "Modern Final Endless Twisted Lucky Happy Bitter Sweet Brave Deadly Gentle Scarlet Frozen "
    "Rogue Silver Shattered Forgotten Violent Tender Lonely Reckless Holy"
)
NOUNS = _words(
    "Kingdom Empire Harbor River Station Frontier Legacy Witness Hunters Sisters Brothers "
    "Doctors Lawyers Detectives Agency Academy Hospital Precinct Ranch Valley Island Crown "
    "Throne Circle Signal Protocol Dynasty Outlaws Rangers Pilots Games Lies Secrets Shadows "
    "Echoes Storm Tide Fire Code Files Chronicles Diaries Affair Heist Club Family House Hotel "
    "Garden Road Bridge Tower Mountain Desert Ocean Orbit Colony Republic Company Nation "
    "Division Squad Unit Line Border Crossing Patrol Syndicate Cartel Society Order Union "
    "Reckoning Uprising Awakening Exodus Genesis Horizon Paradise Kingdoms Wolves Ravens"
)
PLACES = _words(
    "Chicago Boston Miami Atlanta Brooklyn Texas Alaska Hawaii Vegas Seattle London Paris "
    "Berlin Tokyo Dublin Sydney Montana Denver Nashville Detroit Memphis Phoenix Toronto "
    "Vancouver Glasgow Oslo Naples Havana Lagos Mumbai Seoul Cairo Tulsa Savannah Sedona"
)
FIRST_NAMES = _words(
    "Maggie Frankie Jack Harper Elena Marcus Nora Danny Ruby Sam Theo Iris Leo Mabel Oscar "
    "Hazel Felix Vera Hugo Stella Milo Clara Ezra Ada Silas June Jasper Olive Rosa Abbott"
)
SURNAMES = _words(
    "Reyes Walker Sloane Carter Hayes Monroe Quinn Baxter Delgado Fischer Okafor Novak "
    "Lindqvist Moreau Castillo Hart Whitaker Sterling Vance Kowalski Brennan Ashby Thorne"
)
SUBTITLES = (
    "Origins",
    "Legacy",
    "The Next Chapter",
    "Homecoming",
    "Resurrection",
    "The Early Years",
    "Uprising",
    "New Blood",
    "Lone Star",
    "Rebirth",
    "The Lost Years",
    "Aftermath",
)
NETWORKS = (
    "Netflix",
    "HBO",
    "Max",
    "Apple TV+",
    "Prime Video",
    "Disney+",
    "Hulu",
    "Paramount+",
    "Peacock",
    "ABC",
    "NBC",
    "CBS",
    "Fox",
    "The CW",
    "FX",
    "AMC",
    "Starz",
    "Showtime",
    "BBC One",
    "ITV",
    "Channel 4",
    "Sky",
)
OUTLETS = (
    ("Deadline", "deadline.com"),
    ("Variety", "variety.com"),
    ("TVLine", "tvline.com"),
    ("The Hollywood Reporter", "hollywoodreporter.com"),
    ("Collider", "collider.com"),
    ("Vulture", "vulture.com"),
    ("IndieWire", "indiewire.com"),
    ("Screen Rant", "screenrant.com"),
    ("TV Insider", "tvinsider.com"),
    ("Entertainment Weekly", "ew.com"),
    ("Decider", "decider.com"),
    ("What's on Netflix", "whats-on-netflix.com"),
    ("Den of Geek", "denofgeek.com"),
    ("Digital Spy", "digitalspy.com"),
    ("Radio Times", "radiotimes.com"),
)


def generate_shows(count: int, rng: random.Random) -> list[Show]:
    """The shipped catalogue (as much of it as fits) plus generated shows, `count` in all,
    with distinct name keys."""
    result: list[Show] = []
    keys: set[str] = set()

    def keep(show: Show) -> None:
        key = name_key(show.name)
        if key and key not in keys and len(result) < count:
            keys.add(key)
            result.append(show)

    for show in Catalogue.default():
        keep(Show(name=show.name, aliases=show.aliases, network=show.network))
    patterns: list[tuple[float, Callable[[], str]]] = [
        (3, lambda: f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"),
        (3, lambda: f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"),
        (2, lambda: f"{rng.choice(NOUNS)} of {rng.choice(PLACES)}"),
        (1, lambda: f"The {rng.choice(NOUNS)} of {rng.choice(PLACES)}"),
        (2, lambda: f"{rng.choice(PLACES)} {rng.choice(NOUNS)}"),
        (2, lambda: f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"),
        (1, lambda: rng.choice(SURNAMES)),
        (1, lambda: f"{rng.choice(FIRST_NAMES)}'s {rng.choice(NOUNS)}"),
        (1, lambda: f"{rng.choice(NOUNS)} & {rng.choice(NOUNS)}"),
        (1, lambda: f"{rng.choice(NOUNS)} {rng.randint(2, 99)}"),
        (1, lambda: f"{rng.choice(ADJECTIVES)} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"),
        (1, lambda: f"A {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} in {rng.choice(PLACES)}"),
    ]
    weights = [w for w, _ in patterns]
    makers = [m for _, m in patterns]
    attempts = 0
    while len(result) < count:
        attempts += 1
        if attempts > count * 200:
            raise RuntimeError(f"could not generate {count} distinct show names")
        if result and rng.random() < 0.12:  # a spin-off of an earlier show
            base = rng.choice(result).name.split(":")[0]
            kind = rng.random()
            if kind < 0.4:
                name = f"{base}: {rng.choice(PLACES)}"
            elif kind < 0.7:
                name = f"{base}: {rng.choice(SUBTITLES)}"
            elif kind < 0.85:
                name = f"{base}: {rng.choice(FIRST_NAMES)}"
            else:
                name = f"{base} {rng.choice(PLACES)}"
        else:
            name = rng.choices(makers, weights)[0]()
        aliases: tuple[str, ...] = ()
        words = [w for w in name.replace(":", " ").split() if w[0].isalpha()]
        if len(words) >= 3 and rng.random() < 0.3:
            aliases = ("".join(w[0] for w in words).upper(),)  # "TDK"
        keep(Show(name=name, aliases=aliases, network=rng.choice(NETWORKS)))
    return result


# -- announcements -----------------------------------------------------------------------

EVENTS = (
    (Event.RENEWED, 30),
    (Event.PREMIERE_DATE, 20),
    (Event.PREMIERE_WINDOW, 20),
    (Event.CANCELLED, 12),
    (Event.ENDING, 8),
)
CERTAINTIES = ((Certainty.OFFICIAL, 45), (Certainty.REPORTED, 40), (Certainty.SPECULATION, 15))
START = datetime(2019, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime(2025, 6, 1, tzinfo=UTC) - START).total_seconds())
WINDOW_WORDS = (
    ("early", 1, 4),
    ("spring", 3, 5),
    ("summer", 6, 8),
    ("fall", 9, 11),
    ("late", 9, 12),
    ("winter", 12, 12),
)


def popularity(count: int, rng: random.Random) -> list[float]:
    """A long-tailed weight per show (some shows are in the news far more than others)."""
    weights = [1.0 / math.sqrt(rank + 1) for rank in range(count)]
    rng.shuffle(weights)
    return weights


def spread(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split over shows in proportion to `weights` (largest remainders)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: counts[i] - exact[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _window(published: date, rng: random.Random) -> Window:
    year = published.year + rng.choice((0, 1, 1))
    word, first, last = rng.choice(WINDOW_WORDS)
    start = date(year, first, 1)
    end = date(year, last, 28)
    return Window(start=start, end=end, text=f"{word} {year}")


def generate_announcements(
    shows: Sequence[Show], counts: Sequence[int], rng: random.Random
) -> list[tuple[int, Announcement]]:
    """(index into `shows`, announcement) pairs, in published order (undated ones last)."""
    events = [event for event, _ in EVENTS]
    event_weights = [weight for _, weight in EVENTS]
    certainties = [certainty for certainty, _ in CERTAINTIES]
    certainty_weights = [weight for _, weight in CERTAINTIES]
    pairs: list[tuple[int, Announcement]] = []
    for index, (show, count) in enumerate(zip(shows, counts, strict=True)):
        latest = rng.randint(1, 6)
        seasons = list(range(1, latest + 1))
        season_weights = [s * s for s in seasons]  # news is mostly about the newest seasons
        for _ in range(count):
            season = None if rng.random() < 0.1 else rng.choices(seasons, season_weights)[0]
            event = rng.choices(events, event_weights)[0]
            certainty = rng.choices(certainties, certainty_weights)[0]
            outlet, domain = rng.choice(OUTLETS)
            published = (
                None
                if rng.random() < 0.03
                else START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
            )
            day = (published or START).date()
            what = f"season {season}" if season else "the show"
            premiere: date | None = None
            window: Window | None = None
            if event is Event.PREMIERE_DATE:
                premiere = day + timedelta(days=rng.randint(14, 400))
                evidence = f"premieres {premiere:%B} {premiere.day}"
            elif event is Event.PREMIERE_WINDOW:
                window = _window(day, rng)
                evidence = f"returns in {window.text}"
            else:
                evidence = {
                    Event.RENEWED: f"renewed for {what}",
                    Event.CANCELLED: "cancelled",
                    Event.ENDING: f"{what} will be the last",
                }[event]
            title = f"{show.name} {evidence}"
            slug = "-".join(name_key(title).replace(":", " ").split())[:80]
            source = Source(
                outlet=outlet,
                link=f"https://{domain}/{day.year}/{day.month:02d}/{slug}-{rng.randrange(10**6)}/",
                published=published,
                title=title,
            )
            item = Announcement(
                show=show.name,
                event=event,
                certainty=certainty,
                evidence=evidence,
                source=source,
                season=season,
                date=premiere,
                window=window,
                network=show.network if rng.random() < 0.5 else None,
            )
            pairs.append((index, item))
    far = datetime.max.replace(tzinfo=UTC)
    pairs.sort(key=lambda pair: pair[1].source.published or far)
    return pairs
