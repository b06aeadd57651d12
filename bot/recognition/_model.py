"""The learned part of recognition: linear models over named binary features, read from
`model.json` (written by `python -m training.train`, committed, retrained by a test).

Each model is a bias and a weight per feature name; a feature the model never saw weighs
nothing. Scores are log-odds; `probability` turns one into a probability. The certainty
model is one such linear model per class, and the class with the highest score wins.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path

from bot.recognition._names import weighed_by

MODEL_PATH = Path(__file__).with_name("model.json")
# `dict.get`'s default for every feature, fed through `map` so a score is summed in C.
_ZEROS = repeat(0.0)


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A bias and sparse weights: score = bias + sum of the weights of present features."""

    bias: float
    weights: Mapping[str, float]

    def score(self, features: Iterable[str]) -> float:
        """The log-odds of the positive class."""
        return self.bias + sum(map(self.weights.get, features, _ZEROS))

    def partial(self, features: Iterable[str], start: float = 0.0) -> float:
        """The weights of `features` alone, without the bias: one part of a score that is
        summed from parts scored once each. Added to `start` one by one, so the parts of a
        feature list, each started from the sum before it, add up to exactly its sum."""
        return sum(map(self.weights.get, features, _ZEROS), start)

    def to_json(self) -> dict[str, object]:
        """The model as JSON data, weights sorted by name so the file diffs cleanly."""
        return {"bias": self.bias, "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> LinearModel:
        """A model from `to_json` data."""
        weights = raw["weights"]
        assert isinstance(weights, Mapping)
        return cls(
            float(str(raw["bias"])), {sys.intern(str(k)): float(v) for k, v in weights.items()}
        )


@dataclass(frozen=True, slots=True)
class RecognitionModel:
    """Every model recognition uses, and the decision thresholds chosen in training."""

    event: LinearModel  # does this phrase announce this event?
    show: LinearModel  # is this span the show the phrase is about?
    season: LinearModel  # is this the season the announcement is for?
    value: LinearModel  # is this date or window the premiere's?
    certainty: Mapping[str, LinearModel]  # one per certainty; the highest score wins
    thresholds: Mapping[str, float]  # per event letter, a probability

    def to_json(self) -> dict[str, object]:
        """The whole model as JSON data."""
        return {
            "event": self.event.to_json(),
            "show": self.show.to_json(),
            "season": self.season.to_json(),
            "value": self.value.to_json(),
            "certainty": {k: m.to_json() for k, m in sorted(self.certainty.items())},
            "thresholds": dict(sorted(self.thresholds.items())),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> RecognitionModel:
        """A model from `to_json` data."""

        def linear(key: str) -> LinearModel:
            part = raw[key]
            assert isinstance(part, Mapping)
            return LinearModel.from_json(part)

        certainty = raw["certainty"]
        thresholds = raw["thresholds"]
        assert isinstance(certainty, Mapping) and isinstance(thresholds, Mapping)
        return cls(
            event=linear("event"),
            show=linear("show"),
            season=linear("season"),
            value=linear("value"),
            certainty={str(k): LinearModel.from_json(v) for k, v in certainty.items()},
            thresholds={str(k): float(v) for k, v in thresholds.items()},
        )


def probability(score: float) -> float:
    """The logistic function, safe for large scores."""
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    odds = math.exp(score)
    return odds / (1.0 + odds)


@cache
def shipped_model() -> RecognitionModel:
    """The committed model, read once per process. The feature names it weighs are kept
    once made (`weighed_by`)."""
    model = RecognitionModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    weighed_by(model.event.weights, model.show.weights, model.season.weights)
    weighed_by(model.value.weights, *(linear.weights for linear in model.certainty.values()))
    return model
