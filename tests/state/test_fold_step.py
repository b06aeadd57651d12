"""The incremental fold agrees with the full refold, whatever order the news arrives in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import Announcement, Certainty, Event, Source
from bot.state import fold_season, timeline_key
from bot.state.fold_codec import decode_summary, encode_summary
from bot.state.fold_step import RECENT, FoldSummary, fold_step, summarise
from bot.state.summary_state import summary_state
from bot.state.timeline import before, first_before, first_key, in_first_order, insort
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
)
from tests.state.test_fold_properties import days, moments, sources, windows

# One season of one show (two spellings of its name), few distinct values so that ties,
# reversals and late reports of old news are common.
season_news = st.builds(
    Announcement,
    show=st.sampled_from(["Citadel", "citadel"]),
    event=st.sampled_from(list(Event)),
    certainty=st.sampled_from(list(Certainty)),
    evidence=st.sampled_from(["renewed", "x"]),
    source=sources,
    season=st.just(2),
    date=st.one_of(st.none(), days),
    window=st.one_of(st.none(), windows),
    network=st.sampled_from([None, "Netflix", "netflix", "Prime Video", " "]),
)
listings = st.one_of(
    st.none(),
    st.builds(
        lambda day, when: Announcement(
            show="Citadel",
            event=Event.PREMIERE_DATE,
            certainty=Certainty.OFFICIAL,
            evidence="listed on TVmaze",
            source=Source("TVmaze", "https://www.tvmaze.com/shows/1", when, "TVmaze"),
            season=2,
            date=day,
        ),
        days,
        moments.filter(lambda moment: moment is not None),
    ),
)


def _roundtrip(summary: FoldSummary) -> FoldSummary:
    decoded = decode_summary(encode_summary(summary))
    assert decoded is not None
    return decoded


def _fold_one_by_one(
    order: list[Announcement], listing: Announcement | None, first: int, keep: int = 0
) -> tuple[FoldSummary, int]:
    """Fold the first `first` in full, then one at a time from the stored (JSON) summary,
    refolding in full only when a step asks for it, as the ingest does. Returns the summary
    and how many refolds were needed. `keep`: how many newest announcements the summary
    keeps whole (0 puts every step through the walks)."""
    summary = _roundtrip(summarise(order[:first], listing=listing, keep=keep))
    refolds = 0
    for count in range(first, len(order)):
        stepped = fold_step(summary, [order[count]])
        if stepped is None:
            refolds += 1
            stepped = summarise(order[: count + 1], listing=listing, keep=keep)
        summary = _roundtrip(stepped)
    return summary, refolds


@settings(derandomize=True, max_examples=800, deadline=None)
@given(
    st.lists(season_news, min_size=1, max_size=14).flatmap(
        lambda xs: st.tuples(st.permutations(xs), listings, st.integers(1, len(xs)))
    ),
    st.sampled_from([0, 1, 3, RECENT]),
)
def test_folding_one_at_a_time_in_any_order_equals_the_full_refold(
    case: tuple[list[Announcement], Announcement | None, int], keep: int
) -> None:
    order, listing, first = case
    summary, _ = _fold_one_by_one(order, listing, first, keep)
    assert summary_state(summary) == fold_season(order, listing=listing)
    # not only the same state: the same summary, so later steps agree too
    assert summary == summarise(order, listing=listing, keep=keep)


@settings(derandomize=True, max_examples=500, deadline=None)
@given(season_news, season_news)
def test_the_steps_order_news_as_the_timeline_keys_do(a: Announcement, b: Announcement) -> None:
    # The steps compare times first and build the keys only on a tie.
    for x, y in ((a, b), (b, a), (a, a), (a, replace(a)), (a, replace(b, source=a.source))):
        assert before(x, y) == (timeline_key(x) < timeline_key(y))
        assert first_before(x, y) == (first_key(x) < first_key(y))


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(season_news, max_size=14), season_news)
def test_the_steps_sort_news_as_the_timeline_keys_do(
    items: list[Announcement], item: Announcement
) -> None:
    # Many at the same time (ties), so that the whole keys must decide.
    items += [replace(other, source=item.source) for other in items[:4]]
    assert in_first_order(items) == sorted(items, key=first_key)
    ordered = sorted(items, key=timeline_key)
    inserted = list(ordered)
    insort(inserted, item)
    assert inserted == sorted([*ordered, item], key=timeline_key)
    assert [id(x) for x in inserted if x is not item] == [id(x) for x in ordered]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(season_news, min_size=1, max_size=14))
def test_news_in_timeline_order_never_needs_a_refold(items: list[Announcement]) -> None:
    order = sorted(items, key=timeline_key)
    summary, refolds = _fold_one_by_one(order, None, 1)
    assert refolds == 0
    assert summary_state(summary) == fold_season(order)


def test_one_more_outlet_reporting_the_same_news_late_is_folded_in_without_a_refold() -> None:
    news = [
        ann(RENEWED, REPORTED, outlet="Deadline", when=at(1), network="Netflix"),
        ann(RENEWED, outlet="Netflix", when=at(2)),
        ann(DATE, day=date(2026, 3, 5), outlet="Netflix", when=at(3)),
    ]
    spring = Window(date(2026, 3, 1), date(2026, 5, 31), "spring")
    news.append(ann(WINDOW, REPORTED, window=spring, outlet="Variety", when=at(4)))
    summary = summarise(news, keep=0)  # every step through the walks
    # Published before the last story but fetched after it: still no refold.
    late = [
        ann(RENEWED, REPORTED, outlet="TVLine", when=at(1, 15), network="netflix"),
        ann(DATE, REPORTED, day=date(2026, 3, 5), outlet="Collider", when=at(2, 20)),
        ann(CANCELLED, SPECULATION, outlet="Blog", when=at(2, 10)),
    ]
    for item in late:
        stepped = fold_step(summary, [item])
        assert stepped is not None, item
        summary = stepped
    assert summary_state(summary) == fold_season(news + late)
    assert summary.count == len(news + late)


def test_a_late_report_of_a_reversal_asks_for_a_refold() -> None:
    news = [
        ann(RENEWED, when=at(1), outlet="Netflix"),
        ann(CANCELLED, when=at(3), outlet="Deadline"),
        ann(RENEWED, when=at(5), outlet="Variety"),
    ]
    summary = summarise(news, keep=0)
    # An official cancellation between the revival's start and now would end it.
    assert fold_step(summary, [ann(CANCELLED, when=at(6, 1), outlet="TVLine", slug="x")])
    assert fold_step(summary, [ann(ENDING, when=at(4), outlet="TVLine")]) is None
    assert summary_state(summary) == fold_season(news)  # the summary was left alone
    # Among the newest few, kept whole, even that late reversal needs no refold.
    kept = fold_step(summarise(news), [ann(ENDING, when=at(4), outlet="TVLine")])
    assert kept is not None
    assert summary_state(kept) == fold_season([*news, ann(ENDING, when=at(4), outlet="TVLine")])


def test_a_step_refuses_another_season_and_the_summary_survives_json() -> None:
    summary = summarise([ann(RENEWED, when=at(1))], listing=None)
    with pytest.raises(ValueError, match="one season"):
        fold_step(summary, [ann(RENEWED, season=3)])
    with pytest.raises(ValueError, match="one season"):
        fold_step(summary, [ann(RENEWED, show="Reacher")])
    with pytest.raises(ValueError):
        summarise([])
    assert _roundtrip(summary) == summary
    assert decode_summary(None) is None
    assert decode_summary('{"v": 0}') is None  # another version: refold in full


def test_a_listing_folds_in_beside_the_news() -> None:
    listing = replace(
        ann(DATE, day=date(2025, 9, 8), outlet="TVmaze", when=at(2)), evidence="listed"
    )
    news = [ann(DATE, REPORTED, day=date(2025, 9, 1), when=at(1), outlet="Deadline")]
    summary = summarise(news, listing=listing)
    later = ann(DATE, day=date(2025, 9, 15), when=at(3), outlet="Netflix")
    stepped = fold_step(summary, [later])
    assert stepped is not None
    expected = fold_season([*news, later], listing=listing)
    assert summary_state(stepped) == expected
    assert (expected.listed_date, expected.news_date) == (date(2025, 9, 8), date(2025, 9, 15))
    assert expected.premiere_certainty is OFFICIAL
