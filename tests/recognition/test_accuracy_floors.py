"""Recognition judged on the frozen test split of real news (never tuned on): the floors
sit a little under the figures measured when the model was trained (README, "Accuracy"),
so a change that makes recognition worse on unseen text fails here."""

from __future__ import annotations

import pytest

from bot.models import Event
from bot.shows.catalogue import Catalogue
from training.corpus import items_of
from training.scoring import Report, citadel_negative_alarms, evaluate

# (precision, recall) floors per event on the test split, about 0.03 under the measured
# figures (README, "Accuracy"). They are floors against regressions, not the targets of the
# recognition issue (0.92 / 0.85), which this model does not reach.
FLOORS = {
    # Each step's effect on the test split is in docs/recognition-history.md; these follow
    # the shipped model (step 21: an item model reads the whole entry).
    Event.RENEWED: (0.71, 0.59),
    Event.CANCELLED: (0.70, 0.59),
    Event.ENDING: (0.73, 0.69),
    # A premiere is as likely as its phrase times its value: precision up, recall down.
    Event.PREMIERE_DATE: (0.73, 0.63),
    Event.PREMIERE_WINDOW: (0.59, 0.46),
}
OVERALL = (0.70, 0.59)

Judged = tuple[Report, list[tuple[str, list[str]]]]


@pytest.fixture(scope="module")
def judged() -> Judged:
    items = items_of("test")
    report, predictions = evaluate(items, Catalogue.default())
    return report, citadel_negative_alarms(items, predictions)


def test_each_event_holds_its_floor(judged: Judged) -> None:
    report = judged[0]
    for event, (precision, recall) in FLOORS.items():
        score = report.events[event]
        assert score.precision >= precision, (event, score)
        assert score.recall >= recall, (event, score)
    assert report.overall.precision >= OVERALL[0]
    assert report.overall.recall >= OVERALL[1]


def test_hedge_fund_citadel_stories_raise_nothing(judged: Judged) -> None:
    # The target: no Citadel announcement from a story about the hedge fund.
    assert judged[1] == []


def test_dates_and_certainty(judged: Judged) -> None:
    report = judged[0]
    assert report.date_accuracy >= 0.86  # 0.894 (0.902 and 0.908 at the stops before)
    assert report.certainty_agreement >= 0.92
    # Reported or speculative news shown as official: the target is none. 26 of 2,977 items
    # (27 at the stop before).
    assert report.overstated <= 30
    matrix = report.certainty_matrix
    assert matrix.get(("official", "official"), 0) >= 0.95 * sum(
        n for (labelled, _), n in matrix.items() if labelled == "official"
    )
