"""Building feed entries for recognition tests, and comparing what comes back."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Announcement, Entry
from bot.recognition import recognise
from bot.recognition._candidates import Proposal, read_candidates
from bot.recognition._sentences import EntryReading
from bot.shows.catalogue import Catalogue


def entry(
    title: str,
    summary: str = "",
    *,
    published: str | None = "2025-03-01",
    categories: tuple[str, ...] = (),
    outlet: str = "Test Outlet",
    link: str | None = "https://example.com/story",
) -> Entry:
    """A normalised feed entry, published at noon UTC on `published`."""
    when = None if published is None else datetime.fromisoformat(f"{published}T12:00:00+00:00")
    return Entry(
        key=link or title,
        title=title,
        summary=summary,
        link=link,
        published=when.astimezone(UTC) if when else None,
        categories=categories,
        outlet=outlet,
    )


def read(
    catalogue: Catalogue,
    title: str,
    summary: str = "",
    *,
    published: str | None = "2025-03-01",
    categories: tuple[str, ...] = (),
    outlet: str = "Test Outlet",
) -> list[Announcement]:
    """Recognise one entry built by `entry`."""
    story = entry(title, summary, published=published, categories=categories, outlet=outlet)
    return recognise(story, catalogue)


def facts(announcements: list[Announcement]) -> set[tuple[str, str, int | None]]:
    """(show, event, season) of each announcement, for order-free comparisons."""
    return {(a.show, a.event.value, a.season) for a in announcements}


def story(title: str, summary: str = "") -> Entry:
    """An entry of Example News published on 2025-05-10, keyed by its title (the seasons'
    and lists' examples)."""
    return Entry(
        key=title,
        title=title,
        summary=summary,
        link="https://news.example/story",
        published=datetime(2025, 5, 10, tzinfo=UTC),
        outlet="Example News",
    )


def proposals_of(
    title: str, summary: str, event: str, sentence: int
) -> tuple[EntryReading, list[Proposal]]:
    """A `story`'s reading, and its proposals of `event` in sentence `sentence`."""
    reading = read_candidates(story(title, summary), Catalogue.default())
    found = [p for p in reading.proposals if p.event == event and p.sentence.index == sentence]
    return reading, found


def read_sorted(title: str, summary: str = "") -> list[tuple[str, str, int | None]]:
    """(show, event, season) of each announcement of a `story`, sorted."""
    entry = story(title, summary)
    return sorted((a.show, a.event.value, a.season) for a in recognise(entry, Catalogue.default()))
