"""How sure an announcement is: "official" must lead a report or a guess by the trained
margin (`official_margin` in model.json, chosen out of fold within train)."""

from __future__ import annotations

from bot.recognition._model import shipped_model
from bot.recognition._reader import certainty_of
from training.train import _official_margin


def test_official_needs_its_margin() -> None:
    scores = {"official": 1.2, "reported": 0.5, "speculation": -3.0}
    assert certainty_of(scores, 0.0) == "official"
    assert certainty_of(scores, 1.0) == "reported"
    assert certainty_of({"official": -1.0, "reported": -2.0, "speculation": 0.5}, 0.0) == (
        "speculation"
    )


def test_the_margin_cuts_overstatement_while_agreement_holds() -> None:
    plain = [("official", {"official": 3.0, "reported": 0.0, "speculation": 0.0})] * 97
    scoops = [("reported", {"official": 0.7, "reported": 0.0, "speculation": -1.0})] * 3
    assert _official_margin(plain + scoops) == 1.0  # the smallest that calls the scoops reports
    close = [("official", {"official": 0.6, "reported": 0.0, "speculation": 0.0})] * 10
    # Calling those ten official items reports would cost more agreement than allowed.
    assert _official_margin(plain[:87] + close + scoops) == 0.0


def test_the_shipped_model_has_a_margin() -> None:
    assert shipped_model().thresholds["official_margin"] >= 0.0
