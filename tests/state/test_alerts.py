"""What is alert-worthy when a season is folded again, and premiere reminders."""

from __future__ import annotations

from datetime import date

from bot.models import AlertChange, Announcement, SeasonState, Status
from bot.state import (
    REMINDER_DAY_BEFORE,
    REMINDER_TODAY,
    alert_worthy_changes,
    fold_season,
    reminder_changes,
)
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

TODAY = date(2025, 6, 1)
SPRING = Window(date(2026, 3, 1), date(2026, 5, 31), "spring 2026")


def changes(old: list[Announcement], new: list[Announcement]) -> list[AlertChange]:
    """The alert-worthy changes when `new` announcements join `old` ones."""
    before = fold_season(old) if old else None
    return alert_worthy_changes(before, fold_season(old + new), today=TODAY)


# -- status ------------------------------------------------------------------------------


def test_a_first_renewal_alerts_once_with_its_source_and_network() -> None:
    found = changes([], [ann(RENEWED, outlet="Variety", when=at(5), network="Prime Video")])
    assert len(found) == 1
    change = found[0]
    assert change.key == "citadel|2|renewed|"
    assert (change.event, change.value, change.certainty) == ("renewed", "", OFFICIAL)
    assert change.source == source("Variety", at(5), "renewed")
    assert change.network == "Prime Video"
    assert change.extra == {}


def test_a_reported_cancellation_alerts() -> None:
    found = changes([], [ann(CANCELLED, REPORTED, when=at(5))])
    assert [c.key for c in found] == ["citadel|2|cancelled|"]
    assert found[0].certainty is REPORTED


def test_a_season_without_a_number_has_an_empty_season_in_its_key() -> None:
    found = changes([], [ann(CANCELLED, season=None, when=at(5))])
    assert [c.key for c in found] == ["citadel||cancelled|"]


def test_another_outlet_repeating_a_known_fact_does_not_alert() -> None:
    old = [ann(RENEWED, REPORTED, outlet="Deadline", when=at(5))]
    assert changes(old, [ann(RENEWED, REPORTED, outlet="Variety", when=at(6))]) == []


def test_an_official_confirmation_of_a_report_does_not_alert_again() -> None:
    old = [ann(RENEWED, REPORTED, outlet="Deadline", when=at(5))]
    assert changes(old, [ann(RENEWED, OFFICIAL, outlet="Netflix", when=at(6))]) == []


def test_speculation_does_not_alert() -> None:
    assert changes([], [ann(CANCELLED, SPECULATION, when=at(5))]) == []
    assert changes([], [ann(DATE, SPECULATION, day=date(2026, 3, 5), when=at(5))]) == []


def test_a_report_after_speculation_alerts() -> None:
    old = [ann(RENEWED, SPECULATION, outlet="Blog", when=at(4))]
    found = changes(old, [ann(RENEWED, REPORTED, outlet="Deadline", when=at(5))])
    assert [c.key for c in found] == ["citadel|2|renewed|"]
    assert found[0].source.outlet == "Deadline"  # speculation did not establish it


def test_a_reversal_alerts() -> None:
    old = [ann(CANCELLED, outlet="Netflix", when=at(1))]
    found = changes(old, [ann(RENEWED, outlet="Netflix", when=at(5), slug="saved")])
    assert [c.key for c in found] == ["citadel|2|renewed|cancelled>2025-05-01"]
    assert found[0].extra == {"previous_status": "cancelled"}
    assert found[0].source.link == "https://netflix.example/saved"


def test_a_cancellation_of_a_renewed_season_alerts() -> None:
    old = [ann(RENEWED, when=at(1))]
    found = changes(old, [ann(CANCELLED, when=at(5))])
    assert [c.key for c in found] == ["citadel|2|cancelled|renewed>2025-05-01"]


def test_a_final_season_alerts_after_the_renewal() -> None:
    old = [ann(RENEWED, when=at(1))]
    found = changes(old, [ann(ENDING, outlet="Variety", when=at(5))])
    assert [c.key for c in found] == ["citadel|2|ending|"]
    assert found[0].extra == {"previous_status": "renewed"}


def test_a_renewal_of_a_known_final_season_does_not_alert() -> None:
    old = [ann(ENDING, REPORTED, outlet="Deadline", when=at(1))]
    new = [ann(RENEWED, OFFICIAL, outlet="Netflix", when=at(5))]
    assert fold_season(old + new).status.value == "renewed"  # the surer claim
    assert changes(old, new) == []


def test_a_weaker_contradiction_does_not_alert() -> None:
    old = [ann(RENEWED, OFFICIAL, when=at(1))]
    assert changes(old, [ann(CANCELLED, REPORTED, outlet="Blog", when=at(5))]) == []


# -- premiere ----------------------------------------------------------------------------


def test_a_new_premiere_date_alerts_with_its_iso_value() -> None:
    found = changes([], [ann(DATE, REPORTED, day=date(2026, 3, 5), when=at(5))])
    assert [c.key for c in found] == ["citadel|2|premiere_date|2026-03-05"]
    assert found[0].certainty is REPORTED


def test_a_changed_date_alerts_with_a_new_key() -> None:
    old = [ann(DATE, day=date(2026, 3, 5), outlet="Netflix", when=at(1))]
    found = changes(old, [ann(DATE, day=date(2026, 4, 9), outlet="Netflix", when=at(5))])
    assert [c.key for c in found] == ["citadel|2|premiere_date|2026-04-09"]
    assert found[0].extra == {"previous_date": "2026-03-05"}


def test_the_same_date_from_another_outlet_does_not_alert() -> None:
    old = [ann(DATE, REPORTED, day=date(2026, 3, 5), outlet="Deadline", when=at(1))]
    new = [ann(DATE, OFFICIAL, day=date(2026, 3, 5), outlet="Netflix", when=at(5))]
    assert changes(old, new) == []


def test_status_and_date_in_one_refold_alert_separately_status_first() -> None:
    found = changes([], [ann(RENEWED, when=at(5)), ann(DATE, day=date(2026, 3, 5), when=at(5))])
    assert [c.event for c in found] == ["renewed", "premiere_date"]


def test_an_official_window_alerts_when_no_date_is_known() -> None:
    found = changes([], [ann(WINDOW, OFFICIAL, window=SPRING, when=at(5))])
    assert [c.key for c in found] == ["citadel|2|premiere_window|2026-03-01..2026-05-31"]
    assert found[0].extra == {"window_text": "spring 2026"}


def test_a_reported_window_does_not_alert() -> None:
    assert changes([], [ann(WINDOW, REPORTED, window=SPRING, when=at(5))]) == []


def test_a_window_does_not_alert_when_a_date_is_known() -> None:
    old = [ann(DATE, day=date(2026, 3, 5), when=at(1))]
    assert changes(old, [ann(WINDOW, window=SPRING, outlet="Netflix", when=at(5))]) == []


def test_the_same_window_from_another_outlet_does_not_alert() -> None:
    old = [ann(WINDOW, window=SPRING, outlet="Netflix", when=at(1))]
    new = [ann(WINDOW, window=Window(SPRING.start, SPRING.end, "in spring"), when=at(5))]
    assert changes(old, new) == []


def test_a_date_withdrawn_for_a_later_window_alerts_as_a_delay() -> None:
    old = [ann(DATE, day=date(2026, 1, 15), outlet="Netflix", when=at(1))]
    found = changes(old, [ann(WINDOW, window=SPRING, outlet="Netflix", when=at(5))])
    assert [c.event for c in found] == ["premiere_window"]
    assert found[0].extra == {"window_text": "spring 2026", "previous_date": "2026-01-15"}


def test_a_window_in_the_past_does_not_alert() -> None:
    past = Window(date(2025, 1, 1), date(2025, 3, 31), "early 2025")
    assert changes([], [ann(WINDOW, window=past, when=at(1))]) == []


def test_nothing_about_a_premiered_season_alerts() -> None:
    premiered = [ann(DATE, day=date(2025, 5, 1), when=at(1))]
    assert changes([], premiered) == []
    assert changes(premiered, [ann(CANCELLED, when=at(5))]) == []
    assert changes(premiered, [ann(RENEWED, outlet="Variety", when=at(5))]) == []


def test_a_premiere_today_still_alerts() -> None:
    found = changes([], [ann(DATE, day=TODAY, when=at(5))])
    assert [c.value for c in found] == [TODAY.isoformat()]


def test_a_state_without_a_first_source_still_gets_one() -> None:
    state = SeasonState(
        show="Citadel",
        season=2,
        status=Status.RENEWED,
        status_certainty=OFFICIAL,
        sources=(source("Deadline", at(1)),),
    )
    found = alert_worthy_changes(None, state, today=TODAY)
    assert found[0].source == source("Deadline", at(1))


# -- reminders ---------------------------------------------------------------------------


def test_a_reminder_the_day_before_and_on_the_day() -> None:
    state = fold_season([ann(DATE, REPORTED, day=date(2025, 6, 2), when=at(1))])
    (before,) = reminder_changes(state, today=TODAY)
    assert before.event == REMINDER_DAY_BEFORE
    assert before.key == "citadel|2|reminder_day_before|2025-06-02"
    (on_the_day,) = reminder_changes(state, today=date(2025, 6, 2))
    assert on_the_day.event == REMINDER_TODAY
    assert on_the_day.key == "citadel|2|reminder_today|2025-06-02"
    assert reminder_changes(state, today=date(2025, 5, 30)) == []
    assert reminder_changes(state, today=date(2025, 6, 3)) == []


def test_a_moved_date_gets_reminders_of_its_own() -> None:
    first = fold_season([ann(DATE, day=date(2025, 6, 2), when=at(1))])
    moved = fold_season(
        [ann(DATE, day=date(2025, 6, 2), when=at(1)), ann(DATE, day=date(2025, 6, 9), when=at(2))]
    )
    (early,) = reminder_changes(first, today=date(2025, 6, 1))
    (late,) = reminder_changes(moved, today=date(2025, 6, 8))
    assert early.key != late.key
    assert reminder_changes(moved, today=date(2025, 6, 1)) == []


def test_no_reminder_for_a_speculative_date_or_a_window() -> None:
    guessed = fold_season([ann(DATE, SPECULATION, day=date(2025, 6, 2), when=at(1))])
    assert reminder_changes(guessed, today=TODAY) == []
    windowed = fold_season(
        [ann(WINDOW, window=Window(date(2025, 6, 1), date(2025, 6, 30), "June"), when=at(1))]
    )
    assert reminder_changes(windowed, today=TODAY) == []


def test_every_reversal_is_its_own_alert() -> None:
    """Renewed, cancelled, saved again: the second renewal is news too (a distinct key)."""
    first = ann(RENEWED, when=at(5, 1))
    axed = ann(CANCELLED, when=at(5, 5), outlet="TVLine")
    again = ann(RENEWED, when=at(5, 9), outlet="Variety")
    renewed = fold_season([first])
    cancelled = fold_season([first, axed])
    saved = fold_season([first, axed, again])
    keys = [
        change.key
        for before, after in ((None, renewed), (renewed, cancelled), (cancelled, saved))
        for change in alert_worthy_changes(before, after, today=TODAY)
    ]
    assert len(keys) == len(set(keys)) == 3
