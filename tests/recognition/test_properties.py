"""Properties over arbitrary input: recognition never raises, never changes the catalogue,
is deterministic, and every announcement it returns is well formed."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.models import Announcement, Entry, Event
from bot.recognition import mentioned_shows, new_shows, recognise
from bot.shows.catalogue import Catalogue

CATALOGUE = Catalogue.default()

# Fragments that reach deep into the recogniser: names, verbs, seasons, dates, hedges.
FRAGMENTS = [
    "Citadel",
    "Citadel: Diana",
    "The Order",
    "From",
    "'The Birch'",
    '"Forever"',
    "Netflix",
    "Prime Video",
    "renewed",
    "renews",
    "cancelled",
    "canceled",
    "axed",
    "final season",
    "season 2",
    "Season Three",
    "third season",
    "S3",
    "two-season order",
    "won't return",
    "premieres",
    "returns",
    "February 20",
    "Thursday, Jan. 9",
    "late 2024",
    "or even",
    "early 2025",
    "this summer",
    "2027",
    "we imagine",
    "reportedly",
    "sources say",
    "?",
    ":",
    ";",
    ",",
    ".",
    "...",
    "—",
    "–",
    "'",
    '"',
    "Ken Griffin",
    "hedge fund",
    "NFL",
    "recap",
    "revived",
    "saved by Netflix",
    "uncancelled",
    "for a",
    "and",
    "the series",
    "it",
    "Staffel 2",
    "verlängert",
    "10/27",
    "tonight",
    "\n",
    "Mr.",
    "Sept.",
    "9-1-1",
    "Shōgun",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30).map("".join),
)
published = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
)
entries = st.builds(
    Entry,
    key=st.just("k"),
    title=texts,
    summary=texts,
    link=st.one_of(st.none(), st.just("https://example.com/x")),
    published=published,
    categories=st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=4
    ).map(tuple),
    outlet=st.text(max_size=20),
)


def well_formed(announcement: Announcement, entry: Entry) -> None:
    assert announcement.show.strip()
    assert announcement.evidence.strip()
    assert announcement.season is None or announcement.season > 0
    source = announcement.source
    assert (source.outlet, source.link, source.published, source.title) == (
        entry.outlet,
        entry.link,
        entry.published,
        entry.title,
    )
    if announcement.event is Event.PREMIERE_DATE:
        assert announcement.date is not None and announcement.window is None
    elif announcement.event is Event.PREMIERE_WINDOW:
        window = announcement.window
        assert window is not None and announcement.date is None
        assert window.start <= window.end and window.text.strip()
    else:
        assert announcement.date is None and announcement.window is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries)
def test_recognise_never_raises_and_returns_well_formed_announcements(entry: Entry) -> None:
    size = len(CATALOGUE)
    found = recognise(entry, CATALOGUE)
    assert len(CATALOGUE) == size
    for announcement in found:
        well_formed(announcement, entry)
    keys = [(a.show.casefold(), a.event, a.season) for a in found]
    assert len(keys) == len(set(keys))  # one announcement per show, event and season
    assert recognise(entry, CATALOGUE) == found
    assert all(isinstance(name, str) for name in mentioned_shows(entry, CATALOGUE))
    assert all(CATALOGUE.get(show.name) is None for show in new_shows(found, CATALOGUE))
