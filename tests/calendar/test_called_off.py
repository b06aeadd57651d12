"""A cancellation after the season that last aired voids a later season's premiere date
reported before it; a revival reported after the cancellation stands."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.models import Certainty, SeasonState, Status
from bot.premieres import called_off

MARCH = datetime(2025, 3, 1, tzinfo=UTC)
MAY = datetime(2025, 5, 1, tzinfo=UTC)


def premiere(season: int | None, reported: datetime) -> SeasonState:
    return SeasonState(
        "Severance", season, premiere_date=date(2025, 9, 1),
        premiere_certainty=Certainty.OFFICIAL, premiere_first_reported=reported,
    )  # fmt: skip


def cancelled(season: int | None, reported: datetime) -> SeasonState:
    return SeasonState(
        "Severance", season, status=Status.CANCELLED, status_certainty=Certainty.OFFICIAL,
        status_first_reported=reported,
    )  # fmt: skip


def test_a_later_cancellation_after_an_earlier_season_voids_the_premiere() -> None:
    assert called_off(premiere(3, MARCH), [cancelled(2, MAY)])


def test_a_date_reported_after_the_cancellation_is_a_revival_and_stands() -> None:
    assert not called_off(premiere(3, MAY), [cancelled(2, MARCH)])


def test_a_renewal_after_the_cancellation_stands_too() -> None:
    revived = SeasonState(
        "Severance", 3, status=Status.RENEWED, status_first_reported=MAY,
        premiere_date=date(2025, 9, 1), premiere_first_reported=MARCH,
    )  # fmt: skip
    assert not called_off(revived, [cancelled(2, MARCH)])


def test_a_cancellation_without_a_season_voids_it_too() -> None:
    assert called_off(premiere(3, MARCH), [cancelled(None, MAY)])


def test_only_earlier_seasons_call_a_premiere_off() -> None:
    assert not called_off(premiere(3, MARCH), [cancelled(3, MAY)])  # the fold's own job
    assert not called_off(premiere(3, MARCH), [cancelled(4, MAY)])
    assert not called_off(premiere(None, MARCH), [cancelled(2, MAY)])
