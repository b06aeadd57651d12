"""Folding a season's announcements into its state: one test per rule."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.models import Announcement, Source, Status
from bot.state import fold_season
from tests.state.helpers import (
    CANCELLED,
    DATE,
    ENDING,
    OFFICIAL,
    RENEWED,
    REPORTED,
    SPECULATION,
    WINDOW,
    Window,
    ann,
    at,
    source,
)

SPRING = Window(date(2026, 3, 1), date(2026, 5, 31), "spring 2026")
LATE_2026 = Window(date(2026, 9, 1), date(2026, 12, 31), "late 2026")


# -- status ------------------------------------------------------------------------------


def test_a_single_renewal() -> None:
    state = fold_season([ann(RENEWED, outlet="Variety", when=at(1), network="Prime Video")])
    assert state.show == "Citadel" and state.season == 2
    assert state.status is Status.RENEWED and state.status_certainty is OFFICIAL
    assert state.status_first_reported == at(1)
    assert state.status_first_source == source("Variety", at(1), "renewed")
    assert state.network == "Prime Video"
    assert state.premiere_date is None and state.premiere_window is None
    assert state.premiere_certainty is None


def test_no_status_news_leaves_the_status_unknown() -> None:
    state = fold_season([ann(DATE, day=date(2026, 3, 5), when=at(1))])
    assert state.status is Status.UNKNOWN and state.status_certainty is None
    assert state.status_first_reported is None and state.status_first_source is None


def test_higher_certainty_wins_however_new_the_weaker_claim() -> None:
    state = fold_season(
        [
            ann(RENEWED, OFFICIAL, outlet="Netflix", when=at(1)),
            ann(CANCELLED, REPORTED, outlet="Deadline", when=at(3)),
            ann(CANCELLED, SPECULATION, outlet="Blog", when=at(4)),
        ]
    )
    assert state.status is Status.RENEWED and state.status_certainty is OFFICIAL


def test_a_reported_claim_replaces_speculation() -> None:
    state = fold_season(
        [
            ann(CANCELLED, REPORTED, outlet="Deadline", when=at(1)),
            ann(RENEWED, SPECULATION, outlet="Blog", when=at(2)),
        ]
    )
    assert state.status is Status.CANCELLED and state.status_certainty is REPORTED


def test_a_reversal_replaces_the_cancellation() -> None:
    state = fold_season(
        [
            ann(RENEWED, outlet="Netflix", when=at(1, year=2024)),
            ann(CANCELLED, outlet="Netflix", when=at(1), slug="cancel"),
            ann(RENEWED, outlet="Netflix", when=at(6), slug="saved"),
        ]
    )
    assert state.status is Status.RENEWED and state.status_certainty is OFFICIAL
    # first reported when the revival was, not the renewal before the cancellation
    assert state.status_first_reported == at(6)
    assert state.status_first_source is not None
    assert state.status_first_source.link == "https://netflix.example/saved"


def test_a_later_cancellation_replaces_the_renewal() -> None:
    state = fold_season(
        [
            ann(RENEWED, REPORTED, outlet="Variety", when=at(1)),
            ann(CANCELLED, REPORTED, outlet="Deadline", when=at(2)),
        ]
    )
    assert state.status is Status.CANCELLED
    assert state.status_first_source == source("Deadline", at(2), "cancelled")


def test_a_report_before_the_official_revival_is_first_reported() -> None:
    state = fold_season(
        [
            ann(CANCELLED, OFFICIAL, outlet="Netflix", when=at(1)),
            ann(RENEWED, REPORTED, outlet="Variety", when=at(2)),  # weaker: waits
            ann(RENEWED, OFFICIAL, outlet="Netflix", when=at(3)),
        ]
    )
    assert state.status is Status.RENEWED and state.status_certainty is OFFICIAL
    assert state.status_first_reported == at(2)
    assert state.status_first_source == source("Variety", at(2), "renewed")


def test_first_reported_is_the_earliest_report_of_the_winning_status() -> None:
    state = fold_season(
        [
            ann(RENEWED, SPECULATION, outlet="Blog", when=at(1)),
            ann(RENEWED, REPORTED, outlet="Variety", when=at(2)),
            ann(RENEWED, OFFICIAL, outlet="Netflix", when=at(3)),
            ann(RENEWED, OFFICIAL, outlet="TVLine", when=at(4)),
        ]
    )
    assert state.status_certainty is OFFICIAL
    # speculation is not a report
    assert state.status_first_source == source("Variety", at(2), "renewed")


def test_speculation_alone_is_kept_as_speculation() -> None:
    state = fold_season([ann(CANCELLED, SPECULATION, outlet="Blog", when=at(1))])
    assert state.status is Status.CANCELLED and state.status_certainty is SPECULATION
    assert state.status_first_source == source("Blog", at(1), "cancelled")


def test_final_season_with_a_renewal_is_ending() -> None:
    state = fold_season(
        [
            ann(RENEWED, outlet="Netflix", when=at(1)),
            ann(ENDING, outlet="Variety", when=at(2)),
        ]
    )
    assert state.status is Status.ENDING and state.status_certainty is OFFICIAL
    assert state.status_first_source == source("Variety", at(2), "ending")


def test_speculation_about_a_final_season_does_not_end_an_official_renewal() -> None:
    state = fold_season(
        [
            ann(RENEWED, OFFICIAL, outlet="Netflix", when=at(1)),
            ann(ENDING, SPECULATION, outlet="Blog", when=at(2)),
        ]
    )
    assert state.status is Status.RENEWED and state.status_certainty is OFFICIAL


def test_an_official_final_season_outranks_a_reported_renewal() -> None:
    state = fold_season(
        [
            ann(RENEWED, REPORTED, outlet="Deadline", when=at(1)),
            ann(ENDING, OFFICIAL, outlet="Netflix", when=at(2)),
        ]
    )
    assert state.status is Status.ENDING and state.status_certainty is OFFICIAL


def test_cancelled_and_final_season_in_one_article_reads_as_ending() -> None:
    state = fold_season(
        [
            ann(CANCELLED, outlet="Deadline", when=at(1)),
            ann(ENDING, outlet="Deadline", when=at(1)),
        ]
    )
    assert state.status is Status.ENDING


def test_an_undated_claim_never_counts_as_newer() -> None:
    state = fold_season(
        [
            ann(RENEWED, outlet="Netflix", when=None),
            ann(CANCELLED, outlet="Deadline", when=at(1)),
        ]
    )
    assert state.status is Status.CANCELLED


def test_an_undated_claim_is_not_first_reported_over_a_dated_one() -> None:
    state = fold_season(
        [
            ann(RENEWED, outlet="Netflix", when=None),
            ann(RENEWED, outlet="Deadline", when=at(5)),
        ]
    )
    assert state.status_first_reported == at(5)
    assert state.status_first_source == source("Deadline", at(5), "renewed")


def test_undated_claims_alone_still_fold() -> None:
    state = fold_season([ann(RENEWED, outlet="Netflix", when=None)])
    assert state.status is Status.RENEWED
    assert state.status_first_reported is None
    assert state.status_first_source == source("Netflix", None, "renewed")
    assert state.updated is None


# -- premiere ----------------------------------------------------------------------------


def test_a_premiere_date() -> None:
    state = fold_season([ann(DATE, REPORTED, day=date(2026, 3, 5), when=at(1))])
    assert state.premiere_date == date(2026, 3, 5)
    assert state.premiere_certainty is REPORTED
    assert state.premiere_first_reported == at(1)
    assert state.premiere_first_source == source("Deadline", at(1), "premiere_date")


def test_a_newer_official_date_replaces_an_older_one() -> None:
    state = fold_season(
        [
            ann(DATE, day=date(2026, 3, 5), outlet="Netflix", when=at(1)),
            ann(DATE, day=date(2026, 6, 1), outlet="Netflix", when=at(2), slug="delay"),
        ]
    )
    assert state.premiere_date == date(2026, 6, 1)
    assert state.premiere_first_reported == at(2)


def test_a_reported_date_does_not_replace_an_official_one() -> None:
    state = fold_season(
        [
            ann(DATE, OFFICIAL, day=date(2026, 3, 5), outlet="Netflix", when=at(1)),
            ann(DATE, REPORTED, day=date(2026, 6, 1), outlet="Deadline", when=at(2)),
        ]
    )
    assert state.premiere_date == date(2026, 3, 5) and state.premiere_certainty is OFFICIAL


def test_a_confirmed_date_was_first_reported_by_the_outlet_that_broke_it() -> None:
    state = fold_season(
        [
            ann(DATE, REPORTED, day=date(2026, 3, 5), outlet="Variety", when=at(1)),
            ann(DATE, OFFICIAL, day=date(2026, 3, 5), outlet="Netflix", when=at(2)),
        ]
    )
    assert state.premiere_certainty is OFFICIAL
    assert state.premiere_first_source == source("Variety", at(1), "premiere_date")


def test_an_official_window_is_not_hidden_by_a_speculative_date() -> None:
    state = fold_season(
        [
            ann(WINDOW, OFFICIAL, window=SPRING, outlet="Netflix", when=at(1)),
            ann(DATE, SPECULATION, day=date(2026, 3, 5), outlet="Blog", when=at(2)),
        ]
    )
    assert state.premiere_date is None
    assert state.premiere_window == SPRING and state.premiere_certainty is OFFICIAL
    assert state.premiere_first_source == source("Netflix", at(1), "premiere_window")


def test_a_date_as_certain_as_the_window_is_shown_with_the_window_it_falls_in() -> None:
    state = fold_season(
        [
            ann(WINDOW, REPORTED, window=SPRING, outlet="Variety", when=at(1)),
            ann(DATE, REPORTED, day=date(2026, 3, 5), outlet="Deadline", when=at(2)),
        ]
    )
    assert state.premiere_date == date(2026, 3, 5) and state.premiere_certainty is REPORTED
    assert state.premiere_window == SPRING  # context: the same fact, less precise
    assert state.premiere_first_source == source("Deadline", at(2), "premiere_date")


def test_a_window_the_date_does_not_fall_in_is_dropped() -> None:
    state = fold_season(
        [
            ann(WINDOW, SPECULATION, window=LATE_2026, outlet="Blog", when=at(3)),
            ann(DATE, OFFICIAL, day=date(2026, 3, 5), outlet="Netflix", when=at(2)),
        ]
    )
    assert state.premiere_date == date(2026, 3, 5) and state.premiere_window is None


def test_a_newer_window_without_the_date_is_a_delay() -> None:
    state = fold_season(
        [
            ann(DATE, OFFICIAL, day=date(2026, 3, 5), outlet="Netflix", when=at(1)),
            ann(WINDOW, OFFICIAL, window=LATE_2026, outlet="Netflix", when=at(2), slug="delay"),
        ]
    )
    assert state.premiere_date is None
    assert state.premiere_window == LATE_2026 and state.premiere_certainty is OFFICIAL
    assert state.premiere_first_reported == at(2)


def test_a_newer_window_that_holds_the_date_keeps_the_date() -> None:
    state = fold_season(
        [
            ann(DATE, OFFICIAL, day=date(2026, 3, 5), outlet="Netflix", when=at(1)),
            ann(WINDOW, OFFICIAL, window=SPRING, outlet="Variety", when=at(2)),
        ]
    )
    assert state.premiere_date == date(2026, 3, 5) and state.premiere_window == SPRING


def test_a_newer_date_outside_an_older_window_replaces_it() -> None:
    state = fold_season(
        [
            ann(WINDOW, OFFICIAL, window=SPRING, outlet="Netflix", when=at(1)),
            ann(DATE, OFFICIAL, day=date(2026, 10, 2), outlet="Netflix", when=at(2)),
        ]
    )
    assert state.premiere_date == date(2026, 10, 2) and state.premiere_window is None


def test_a_newer_official_window_replaces_an_older_one() -> None:
    state = fold_season(
        [
            ann(WINDOW, OFFICIAL, window=SPRING, outlet="Netflix", when=at(1)),
            ann(WINDOW, OFFICIAL, window=LATE_2026, outlet="Netflix", when=at(2)),
        ]
    )
    assert state.premiere_window == LATE_2026


def test_announcements_without_their_date_or_window_are_only_sources() -> None:
    state = fold_season(
        [ann(DATE, day=None, outlet="Deadline", when=at(1)), ann(WINDOW, when=at(2))]
    )
    assert state.premiere_date is None and state.premiere_window is None
    assert state.premiere_certainty is None
    assert [s.outlet for s in state.sources] == ["Deadline"]


# -- sources, network, updated -----------------------------------------------------------


def test_one_source_per_outlet_the_earliest_oldest_first() -> None:
    state = fold_season(
        [
            ann(RENEWED, outlet="Variety", when=at(3), slug="late"),
            ann(RENEWED, outlet="Deadline", when=at(2)),
            ann(RENEWED, outlet="variety", when=at(1), slug="early"),
            ann(DATE, day=date(2026, 3, 5), outlet="Deadline", when=at(4)),
            ann(RENEWED, outlet="Undated", when=None),
        ]
    )
    assert [(s.outlet, s.published) for s in state.sources] == [
        ("variety", at(1)),
        ("Deadline", at(2)),
        ("Undated", None),
    ]
    assert state.updated == at(4)


def test_the_network_stated_with_most_certainty_then_most_often() -> None:
    most_often = fold_season(
        [
            ann(RENEWED, REPORTED, outlet="A", when=at(1), network="Netflix"),
            ann(RENEWED, REPORTED, outlet="B", when=at(2), network="netflix"),
            ann(RENEWED, REPORTED, outlet="C", when=at(3), network="Hulu"),
        ]
    )
    assert most_often.network is not None and most_often.network.casefold() == "netflix"
    most_certain = fold_season(
        [
            ann(RENEWED, REPORTED, outlet="A", when=at(1), network="Netflix"),
            ann(RENEWED, REPORTED, outlet="B", when=at(2), network="Netflix"),
            ann(RENEWED, OFFICIAL, outlet="C", when=at(3), network="Hulu"),
        ]
    )
    assert most_certain.network == "Hulu"


# -- grouping ----------------------------------------------------------------------------


def test_fold_season_needs_one_season_of_one_show() -> None:
    with pytest.raises(ValueError, match="at least one"):
        fold_season([])
    with pytest.raises(ValueError, match="one season"):
        fold_season([ann(RENEWED, season=1), ann(RENEWED, season=2)])
    with pytest.raises(ValueError, match="one season"):
        fold_season([ann(RENEWED), ann(RENEWED, show="Reacher")])


# -- a listing beside the news ----------------------------------------------------------


def _listing(day: date, when: datetime) -> Announcement:
    return Announcement(
        show="Citadel",
        event=DATE,
        certainty=OFFICIAL,
        evidence="listed on TVmaze",
        source=Source("TVmaze", "https://www.tvmaze.com/shows/1/citadel", when, "TVmaze"),
        season=2,
        date=day,
    )


def test_a_listing_corrects_an_older_or_less_certain_news_date() -> None:
    news = [ann(DATE, REPORTED, when=at(3), day=date(2025, 9, 1))]
    state = fold_season(news, listing=_listing(date(2025, 9, 8), at(2)))
    assert state.premiere_date == date(2025, 9, 8)  # official beats reported, however old
    assert (state.listed_date, state.news_date) == (date(2025, 9, 8), date(2025, 9, 1))
    assert state.news_certainty is REPORTED


def test_newer_official_news_beats_the_listing_and_the_listing_still_shows() -> None:
    news = [ann(DATE, OFFICIAL, when=at(5), day=date(2025, 10, 1))]
    state = fold_season(news, listing=_listing(date(2025, 9, 8), at(2)))
    assert state.premiere_date == date(2025, 10, 1)
    assert state.listed_date == date(2025, 9, 8)


def test_a_listing_confirms_the_same_date_and_keeps_the_first_report() -> None:
    news = [ann(DATE, OFFICIAL, when=at(1), day=date(2025, 9, 8), outlet="Variety")]
    state = fold_season(news, listing=_listing(date(2025, 9, 8), at(2)))
    assert state.premiere_date == state.listed_date == state.news_date == date(2025, 9, 8)
    assert state.premiere_first_source is not None
    assert state.premiere_first_source.outlet == "Variety"
    assert [s.outlet for s in state.sources] == ["Variety", "TVmaze"]


def test_a_listing_must_be_a_dated_premiere() -> None:
    with pytest.raises(ValueError, match="listing"):
        fold_season([], listing=ann(RENEWED))
