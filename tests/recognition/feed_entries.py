"""Building feed entries for recognition tests, and comparing what comes back."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Announcement, Entry
from bot.recognition import recognise
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
