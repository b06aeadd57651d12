"""Premiere windows read from text (bot/recognition/_windows.py): written unit examples of
the expressions it knows, not accuracy evidence (that is the real corpus's test split)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.recognition._dates import find_dates
from bot.recognition._windows import WindowKind, find_windows
from bot.shows.catalogue import Catalogue

PUBLISHED = date(2025, 5, 10)


@pytest.mark.parametrize(
    ("text", "words", "start", "end"),
    [
        (
            "It returns in late 2024 or early 2025.",
            "late 2024 or early 2025",
            (2024, 9, 1),
            (2025, 4, 30),
        ),
        ("Season 2 arrives in fall 2025.", "fall 2025", (2025, 9, 1), (2025, 11, 30)),
        ("It is back this summer.", "this summer", (2025, 6, 1), (2025, 8, 31)),
        ("The network set its fall premiere dates.", "fall", (2025, 9, 1), (2025, 11, 30)),
        ("Both dramas are held for fall.", "fall", (2025, 9, 1), (2025, 11, 30)),
        ("The comedy gets a midseason debut.", "midseason", (2026, 1, 1), (2026, 3, 31)),
        (
            "Fox unveiled its 2026 midseason schedule.",
            "2026 midseason",
            (2026, 1, 1),
            (2026, 3, 31),
        ),
        ("ABC reveals its 2026 lineup.", "2026", (2026, 1, 1), (2026, 12, 31)),
        ("for the 2024-25 season", "2024-25 season", (2024, 9, 1), (2025, 5, 31)),
        ("The revival arrives at the end of July.", "the end of July", (2025, 7, 1), (2025, 7, 31)),
        (
            "New episodes land in late spring or early summer.",
            "late spring or early summer",
            (2025, 5, 1),
            (2025, 6, 30),
        ),
        ("The special airs this weekend.", "this weekend", (2025, 5, 10), (2025, 5, 11)),
        ("It is back next weekend.", "next weekend", (2025, 5, 17), (2025, 5, 18)),
        ("It returns early in the year.", "early in the year", (2026, 1, 1), (2026, 4, 30)),
        ("It returns later in the year.", "later in the year", (2025, 5, 10), (2025, 12, 31)),
        ("Season 3 streams from 2026.", "2026", (2026, 1, 1), (2026, 12, 31)),
        ("A midsummer premiere.", "midsummer", (2025, 7, 1), (2025, 7, 31)),
    ],
)
def test_windows_are_read_as_date_ranges(
    text: str, words: str, start: tuple[int, int, int], end: tuple[int, int, int]
) -> None:
    windows = find_windows(text, PUBLISHED)
    assert [(w.text, w.start_date, w.end_date) for w in windows] == [
        (words, date(*start), date(*end))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The midseason finale airs on Sunday.",
        "Their plans fall apart in episode 3.",
        "A spring in her step.",
    ],
)
def test_words_that_are_not_windows(text: str) -> None:
    assert find_windows(text, PUBLISHED) == []


def test_a_midseason_in_winter_is_the_current_one() -> None:
    [window] = find_windows("a midseason return", date(2025, 2, 1))
    assert (window.start_date, window.end_date) == (date(2025, 1, 1), date(2025, 3, 31))


def test_a_bare_year_needs_a_premiere_word_or_a_preposition() -> None:
    assert find_windows("The 2024 ratings were good.", PUBLISHED) == []
    [window] = find_windows("It premieres in 2026.", PUBLISHED)
    assert window.kind is WindowKind.YEAR


def _value_features(text: str) -> dict[str, list[str]]:
    from datetime import UTC, datetime

    from bot.models import Entry
    from bot.recognition._candidates import read_candidates
    from bot.shows.catalogue import Catalogue

    entry = Entry(key="k", title=text, published=datetime(2025, 8, 17, tzinfo=UTC))
    reading = read_candidates(entry, Catalogue(()))
    (premiere,) = [p for p in reading.proposals if p.event == "P"]
    return {
        str(o.date or (o.window.text if o.window else "none")): o.features for o in premiere.values
    }


def test_a_date_beside_a_window_it_falls_in_refines_it() -> None:
    """A date in the window beside it ("next month, on Sept. 21") is one premiere said
    twice: the value model is told so."""
    features = _value_features("The comedy returns next month on Sept. 21.")
    assert "date_refines_window" in features["2025-09-21"]
    assert "window_refined_by_date" in features["next month"]


def test_a_date_outside_the_window_beside_it_does_not_refine_it() -> None:
    features = _value_features("The comedy returns in the fall, after its May 3 special.")
    assert not any("refine" in f for fs in features.values() for f in fs)


@pytest.mark.parametrize(
    ("text", "flag", "marked"),
    [
        # Told as history: "premiered in April" is no coming premiere.
        ("The comedy premiered in April to poor reviews.", "past_told", True),
        ("The drama first aired back in 2019.", "past_told", True),
        ("The comedy is slated to return in April.", "past_told", False),
        ("Season 2 has been delayed and is expected in 2026.", "past_told", False),
        # Timing something else than the premiere.
        ("The drama is renewed, with production beginning in July.", "times_other", True),
        ("The drama airs its finale in July.", "times_other", True),
        ("The drama returns in July.", "times_other", False),
    ],
)
def test_what_a_value_times_is_told_to_the_value_model(text: str, flag: str, marked: bool) -> None:
    from bot.recognition._sentences import _sentence
    from bot.recognition._value_options import _value_place

    sentence = _sentence(1, text)
    (window,) = find_windows(text, PUBLISHED)
    features = _value_place(sentence, sentence.phrases[-1], window.start, window.end, "window")
    assert (f"window|{flag}" in features) is marked


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("The drama returns on July 5 this year.", date(2025, 7, 5)),
        ("Season 3 lands 5 March next year.", date(2026, 3, 5)),
    ],
)
def test_a_year_said_in_words_belongs_to_the_date(text: str, day: date) -> None:
    """ "July 5 this year" is one date, not a date beside a window."""
    (found,) = find_dates(text, PUBLISHED)
    assert found.value == day
    assert text[found.start : found.end].endswith("year")
    features = _value_features(text)
    assert set(features) == {day.isoformat(), "none"}


def test_an_undated_entry_reads_its_dates_in_the_year_its_text_names() -> None:
    from bot.recognition._candidates import UNDATED_REFERENCE, undated_reference

    assert undated_reference("debuted in 2019; the 2023 midseason slate") == date(2023, 1, 1)
    assert undated_reference("returns march 9 with 10 episodes") == UNDATED_REFERENCE
    assert undated_reference("the 2000s hit returns in 1,999 homes") == UNDATED_REFERENCE


def test_an_undated_premiere_date_takes_the_named_year(catalogue: Catalogue) -> None:
    from tests.recognition.feed_entries import read

    title = "Netflix sets 'The Quiet Orchard' season 2 premiere for March 9"
    lede = "The drama, which debuted in 2022, returns with eight episodes in 2024."
    undated = read(catalogue, title, lede, published=None)
    assert [(a.show, a.season, a.date) for a in undated] == [
        ("The Quiet Orchard", 2, date(2024, 3, 9))
    ]
    assert [a.date for a in read(catalogue, title, published=None)] == [date(2000, 3, 9)]
