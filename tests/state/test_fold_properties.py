"""Properties of the fold: order never matters, and it never raises."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import Announcement, Certainty, Event, Source, Status, Window
from bot.shows.names import name_key
from bot.state import alert_worthy_changes, reminder_changes
from tests.state.helpers import fold_by_season

# Few distinct values, so that ties (same time, same outlet, same value) are common.
BASE = datetime(2025, 1, 1, tzinfo=UTC)
moments = st.one_of(
    st.none(),
    st.integers(0, 2).map(lambda hours: BASE + timedelta(hours=hours)),
    # the same instants written in another offset, and a naive one read as UTC
    st.integers(0, 2).map(
        lambda hours: (BASE + timedelta(hours=hours)).astimezone(timezone(timedelta(hours=2)))
    ),
    st.just(datetime(2025, 1, 1, 3)),
)
days = st.integers(0, 5).map(lambda n: date(2026, 3, 1) + timedelta(days=30 * n))
windows = st.builds(
    lambda start, length, text: Window(start, start + timedelta(days=length), text),
    days,
    st.integers(-10, 120),  # an inverted window must not crash the fold either
    st.sampled_from(["spring", "later this year"]),
)
sources = st.builds(
    Source,
    outlet=st.sampled_from(["Deadline", "deadline", ""]),
    link=st.sampled_from([None, "https://a.example/1", "https://a.example/2"]),
    published=moments,
    title=st.sampled_from(["", "Citadel renewed"]),
)
announcements = st.builds(
    Announcement,
    show=st.sampled_from(["Citadel", "citadel", "The Boys"]),
    event=st.sampled_from(list(Event)),
    certainty=st.sampled_from(list(Certainty)),
    evidence=st.sampled_from(["renewed", "x"]),
    source=sources,
    season=st.sampled_from([None, 1, 2]),
    date=st.one_of(st.none(), days),
    window=st.one_of(st.none(), windows),
    network=st.sampled_from([None, "Netflix", "netflix", "Prime Video"]),
)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    st.lists(announcements, max_size=12).flatmap(
        lambda xs: st.tuples(st.just(xs), st.permutations(xs))
    )
)
def test_the_fold_does_not_depend_on_order(
    pair: tuple[list[Announcement], list[Announcement]],
) -> None:
    original, shuffled = pair
    assert fold_by_season(shuffled) == fold_by_season(original)
    assert fold_by_season(reversed(original)) == fold_by_season(original)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(announcements, max_size=12))
def test_the_fold_never_raises_and_keeps_its_invariants(items: list[Announcement]) -> None:
    states = fold_by_season(items)
    assert len(states) == len({(name_key(a.show), a.season) for a in items})
    for state in states:
        assert (state.status is Status.UNKNOWN) == (state.status_certainty is None)
        assert (state.status_first_source is None) == (state.status_certainty is None)
        if state.premiere_date is not None or state.premiere_window is not None:
            assert state.premiere_certainty is not None
            assert state.premiere_first_source is not None
        outlets = [s.outlet.strip().casefold() for s in state.sources]
        assert len(outlets) == len(set(outlets))
        # alerts and reminders accept any folded state
        alert_worthy_changes(None, state, today=date(2026, 1, 1))
        reminder_changes(state, today=date(2026, 3, 1))


def _twin(item: Announcement, variant: int) -> Announcement:
    """The same announcement but for one field: what only the tie-break can order."""
    source = item.source
    if variant == 0:
        return replace(item, source=replace(source, link=f"{source.link}#twin"))
    if variant == 1:
        return replace(item, source=replace(source, title=f"{source.title} (updated)"))
    if variant == 2:
        return replace(item, network=None if item.network else "Hulu")
    return replace(item, certainty=Certainty.OFFICIAL, evidence="twin")


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(announcements, st.integers(0, 3)), min_size=1, max_size=6).flatmap(
        lambda pairs: st.permutations(
            [item for item, _ in pairs] + [_twin(item, variant) for item, variant in pairs]
        ).map(lambda shuffled: (pairs, shuffled))
    )
)
def test_near_twins_fold_the_same_in_any_order(
    case: tuple[list[tuple[Announcement, int]], list[Announcement]],
) -> None:
    pairs, shuffled = case
    original = [item for item, _ in pairs] + [_twin(item, variant) for item, variant in pairs]
    assert fold_by_season(shuffled) == fold_by_season(original)
