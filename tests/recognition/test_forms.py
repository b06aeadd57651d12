"""How seasons, dates and windows are written, read through `recognise` (the public API), so
these tests hold whatever the recogniser's insides look like."""

from __future__ import annotations

from datetime import date

import pytest

from bot.models import Event
from bot.shows.catalogue import Catalogue
from tests.recognition.feed_entries import facts, read


@pytest.mark.parametrize(
    ("title", "season"),
    [
        ("Netflix renews Bloodline for season three", 3),
        ("Bloodline Renewed For Season 3 At Netflix", 3),
        ("Netflix renews Bloodline for a third season", 3),
        ("Bloodline renewed for a 3rd season at Netflix", 3),
        ("Bloodline S3 confirmed by Netflix", 3),
        ("Netflix renews Bloodline for Season Twenty-One", 21),
        ("Bloodline renewed for its 14th season", 14),
        ("Netflix renews Bloodline", None),
    ],
)
def test_season_numbers_as_digits_words_ordinals_and_abbreviations(
    catalogue: Catalogue, title: str, season: int | None
) -> None:
    assert facts(read(catalogue, title)) == {("Bloodline", "renewed", season)}


@pytest.mark.parametrize(
    "title",
    [
        "'Lucifer' Renewed For Final Sixth Season",
        "Netflix renews Lucifer for a sixth and final season",
        "Lucifer renewed for sixth and last season at Netflix",
    ],
)
def test_a_renewal_for_a_final_season_is_renewed_and_ending(
    catalogue: Catalogue, title: str
) -> None:
    assert facts(read(catalogue, title)) == {("Lucifer", "renewed", 6), ("Lucifer", "ending", 6)}


@pytest.mark.parametrize(
    ("title", "summary", "published", "expected"),
    [
        (
            "Reacher Season 3 premieres February 20 on Prime Video",
            "",
            "2024-12-10",
            date(2025, 2, 20),
        ),
        ("Reacher Season 3 premieres Feb. 20", "", "2025-01-05", date(2025, 2, 20)),
        ("Reacher Season 3 returns Thursday, Feb. 20", "", "2024-11-30", date(2025, 2, 20)),
        (
            "Reacher Season 3 premiere date set for February 20, 2025",
            "",
            "2024-06-01",
            date(2025, 2, 20),
        ),
        ("Reacher Season 3 premieres 20 February 2025", "", "2024-06-01", date(2025, 2, 20)),
        (
            "Reacher Season 3 trailer is here",
            "Prime Video also revealed that the new season premieres on February 20.",
            "2024-12-10",
            date(2025, 2, 20),
        ),
    ],
)
def test_exact_dates_with_and_without_a_year(
    catalogue: Catalogue, title: str, summary: str, published: str, expected: date
) -> None:
    found = read(catalogue, title, summary, published=published)
    dated = [a for a in found if a.event is Event.PREMIERE_DATE]
    assert [(a.show, a.season, a.date) for a in dated] == [("Reacher", 3, expected)]
    assert all(a.window is None for a in dated)


def test_a_yearless_date_in_the_past_rolls_to_the_next_year(catalogue: Catalogue) -> None:
    found = read(catalogue, "Slow Horses returns January 9 for season 5", published="2025-10-22")
    assert [a.date for a in found if a.event is Event.PREMIERE_DATE] == [date(2026, 1, 9)]


def test_a_yearless_date_needs_a_publication_date(catalogue: Catalogue) -> None:
    found = read(catalogue, "Slow Horses season 5 returns January 9", published=None)
    assert [a for a in found if a.event is Event.PREMIERE_DATE] == []


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("will return in late 2025", date(2025, 9, 1), date(2025, 12, 31)),
        ("will return in fall 2025", date(2025, 9, 1), date(2025, 11, 30)),
        ("will return in early 2026", date(2026, 1, 1), date(2026, 4, 30)),
        ("will return in 2027", date(2027, 1, 1), date(2027, 12, 31)),
        ("will return this summer", date(2025, 6, 1), date(2025, 8, 31)),
        ("sets a March 2026 premiere", date(2026, 3, 1), date(2026, 3, 31)),
        ("will return in late 2025 or early 2026", date(2025, 9, 1), date(2026, 4, 30)),
    ],
)
def test_windows_are_normalised_to_date_ranges(
    catalogue: Catalogue, sentence: str, start: date, end: date
) -> None:
    found = read(catalogue, "Severance season 3 news", f"Apple says Severance {sentence}.")
    windows = [a for a in found if a.event is Event.PREMIERE_WINDOW]
    assert len(windows) == 1
    window = windows[0].window
    assert window is not None
    assert (windows[0].show, windows[0].season) == ("Severance", 3)
    assert (window.start, window.end) == (start, end)
    assert not [a for a in found if a.event is Event.PREMIERE_DATE]


def test_a_month_without_a_day_is_a_window_not_a_date(catalogue: Catalogue) -> None:
    found = read(catalogue, "'The Boys' Season 5 Sets April 2026 Premiere", published="2025-09-01")
    assert {a.event for a in found} == {Event.PREMIERE_WINDOW}
