"""The scoring rules shared by bench/accuracy.py and the corpus tests."""

from __future__ import annotations

from datetime import date

import pytest

from bot.models import Event, Show
from bot.shows.catalogue import Catalogue
from training.scoring import Label, Report, labels_of, match_item

RENEWED = Event.RENEWED
DATE = Event.PREMIERE_DATE


def test_a_prediction_matches_a_label_by_event_show_key_and_season() -> None:
    labels = [Label("The Boys", RENEWED, 5)]
    result = match_item("x", labels, [Label("Boys", RENEWED, 5)])
    assert len(result.pairs) == 1
    assert not result.misses
    assert not result.false_alarms


@pytest.mark.parametrize(
    "prediction",
    [
        Label("The Boys", RENEWED, 4),  # wrong season
        Label("The Boys", Event.CANCELLED, 5),  # wrong event
        Label("Gen V", RENEWED, 5),  # wrong show
    ],
)
def test_anything_else_is_a_miss_and_a_false_alarm(prediction: Label) -> None:
    result = match_item("x", [Label("The Boys", RENEWED, 5)], [prediction])
    assert not result.pairs
    assert result.misses == (Label("The Boys", RENEWED, 5),)
    assert result.false_alarms == (prediction,)


def test_a_label_without_season_accepts_any_season() -> None:
    result = match_item("x", [Label("Citadel", RENEWED, None)], [Label("Citadel", RENEWED, 2)])
    assert len(result.pairs) == 1


def test_seasons_the_label_does_not_give_are_counted_apart() -> None:
    # Matching cannot see a made-up season, so the report counts them on their own.
    items = [
        match_item("a", [Label("Citadel", RENEWED, None)], [Label("Citadel", RENEWED, 2)]),
        match_item("b", [Label("Hacks", RENEWED, None)], [Label("Hacks", RENEWED, None)]),
        match_item("c", [Label("Severance", RENEWED, 3)], [Label("Severance", RENEWED, 3)]),
    ]
    assert Report.build(items).seasons_added == (1, 2)


def test_a_prediction_without_season_does_not_match_a_label_with_one() -> None:
    result = match_item("x", [Label("Citadel", RENEWED, 2)], [Label("Citadel", RENEWED, None)])
    assert result.misses and result.false_alarms


def test_exact_seasons_are_paired_first() -> None:
    # Without exact-first pairing the seasonless label could take the season-2 prediction
    # and leave the season-2 label unmatched.
    labels = [Label("Citadel", RENEWED, None), Label("Citadel", RENEWED, 2)]
    predictions = [Label("Citadel", RENEWED, 2), Label("Citadel", RENEWED, 3)]
    result = match_item("x", labels, predictions)
    assert len(result.pairs) == 2
    assert {(label.season, p.season) for label, p in result.pairs} == {(2, 2), (None, 3)}


def test_each_prediction_is_used_once() -> None:
    labels = [Label("Citadel", RENEWED, 2), Label("Citadel", RENEWED, 2)]
    result = match_item("x", labels, [Label("Citadel", RENEWED, 2)])
    assert len(result.pairs) == 1
    assert len(result.misses) == 1


def test_report_counts_precision_recall_and_f1_per_event() -> None:
    items = [
        match_item("a", [Label("X", RENEWED, 2)], [Label("X", RENEWED, 2)]),
        match_item("b", [Label("Y", RENEWED, 1)], []),
        match_item("c", [], [Label("Z", RENEWED, 3), Label("Z", DATE, 3, date(2025, 1, 2))]),
    ]
    report = Report.build(items)
    renewed = report.events[RENEWED]
    assert (renewed.true_positives, renewed.false_positives, renewed.false_negatives) == (1, 1, 1)
    assert renewed.precision == pytest.approx(0.5)
    assert renewed.recall == pytest.approx(0.5)
    assert renewed.f1 == pytest.approx(0.5)
    assert report.events[DATE].precision == 0.0
    assert report.events[Event.ENDING].precision == 1.0  # nothing predicted, nothing labelled


def test_date_accuracy_and_certainty_agreement_look_at_matched_pairs() -> None:
    labels = [
        Label("X", DATE, 1, date(2025, 2, 20), certainty="official"),
        Label("Y", DATE, 1, date(2025, 3, 1), certainty="official"),
    ]
    predictions = [
        Label("X", DATE, 1, date(2025, 2, 20), certainty="official"),
        Label("Y", DATE, 1, date(2026, 3, 1), certainty="reported"),
    ]
    report = Report.build([match_item("a", labels, predictions)])
    assert report.date_accuracy == pytest.approx(0.5)
    assert report.certainty_agreement == pytest.approx(0.5)


def test_show_attribution_counts_predictions_that_fit_a_label_but_name_another_show() -> None:
    labels = [Label("Citadel", RENEWED, 2)]
    predictions = [Label("Citadel", RENEWED, 2), Label("Citadel: Diana", RENEWED, 2)]
    report = Report.build([match_item("a", labels, predictions)])
    assert report.show_attribution == pytest.approx(0.5)


def test_labels_round_trip_through_json() -> None:
    raw = {
        "show": "Reacher",
        "event": "premiere_date",
        "season": 3,
        "date": "2025-02-20",
        "window": None,
        "certainty": "official",
        "network": "Prime Video",
    }
    label = Label.from_json(raw)
    assert label == Label("Reacher", DATE, 3, date(2025, 2, 20), None, "official")
    assert Label.from_json(label.to_json()) == label


def test_report_json_lists_misses_and_false_alarms_with_their_item() -> None:
    report = Report.build(
        [match_item("a7", [Label("X", RENEWED, 2)], [Label("Y", Event.CANCELLED, None)])]
    )
    data = report.to_json()
    assert data["misses"] == [{"id": "a7", **Label("X", RENEWED, 2).to_json()}]
    assert data["false_alarms"][0]["id"] == "a7"
    assert data["events"]["renewed"]["recall"] == 0.0


def test_a_label_naming_a_catalogue_alias_names_the_catalogues_show() -> None:
    catalogue = Catalogue([Show("Legends of Tomorrow", aliases=("DC's Legends of Tomorrow",))])
    item = {
        "labels": [
            {"show": "DC's Legends of Tomorrow", "event": "renewed", "season": 5},
            {"show": "Unknown Show", "event": "cancelled", "season": None},
        ]
    }
    labels = labels_of(item, catalogue)
    assert [label.show for label in labels] == ["Legends of Tomorrow", "Unknown Show"]
    result = match_item("x", labels, [Label("Legends of Tomorrow", RENEWED, 5)])
    assert len(result.pairs) == 1
