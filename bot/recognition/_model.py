"""The learned part of recognition: linear models over named binary features, read from
`model.json` (written by `python -m training.train`, committed, retrained by a test).

Each model is a bias and a weight per feature name; a feature the model never saw weighs
nothing. Scores are log-odds; `probability` turns one into a probability. The certainty
model is one such linear model per class, and the class with the highest score wins.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
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
        return cls(float(str(raw["bias"])), {str(k): float(v) for k, v in weights.items()})


@dataclass(frozen=True, slots=True)
class RecognitionModel:
    """Every model recognition uses, and the decision thresholds chosen in training."""

    event: LinearModel  # does this phrase announce this event?
    show: LinearModel  # is this span the show the phrase is about?
    season: LinearModel  # is this the season the announcement is for?
    value: LinearModel  # is this date or window the premiere's?
    certainty: Mapping[str, LinearModel]  # one per certainty; the highest score wins
    thresholds: Mapping[str, float]  # per event letter, a probability
    # Per event letter: is the entry as a whole news of it? (`_item`; none in older files)
    item: Mapping[str, LinearModel] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The whole model as JSON data."""
        return {
            "event": self.event.to_json(),
            "show": self.show.to_json(),
            "season": self.season.to_json(),
            "value": self.value.to_json(),
            "certainty": {k: m.to_json() for k, m in sorted(self.certainty.items())},
            "item": {k: m.to_json() for k, m in sorted(self.item.items())},
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
        item = raw.get("item", {})
        assert isinstance(certainty, Mapping) and isinstance(thresholds, Mapping)
        assert isinstance(item, Mapping)
        return cls(
            event=linear("event"),
            show=linear("show"),
            season=linear("season"),
            value=linear("value"),
            certainty={str(k): LinearModel.from_json(v) for k, v in certainty.items()},
            thresholds={str(k): float(v) for k, v in thresholds.items()},
            item={str(k): LinearModel.from_json(v) for k, v in item.items()},
        )


def probability(score: float) -> float:
    """The logistic function, safe for large scores."""
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    odds = math.exp(score)
    return odds / (1.0 + odds)


_SHIPPED: list[RecognitionModel] = []
# Worker threads read news at once (bot/feeds/poller.py): the first reads of a bot must not
# each load the model (about 30 MiB apiece at its peak).
_LOADING = threading.Lock()


def shipped_model() -> RecognitionModel:
    """The committed model, read once per process. The feature names it weighs are kept
    once made (`weighed_by`)."""
    if not _SHIPPED:
        with _LOADING:
            if not _SHIPPED:
                _SHIPPED.append(_load(MODEL_PATH))
    return _SHIPPED[0]


def _load(path: Path) -> RecognitionModel:
    """The model in `path`, read with an eye on the process's peak memory: loading it is
    the largest thing a running bot does (at its first poll)."""
    # The weights are rounded (training/train.py): some 150,000 of them take fewer than
    # 2,000 values, so each value is made once and shared.
    values: dict[str, float] = {}

    def shared(text: str) -> float:
        value = values.get(text)
        if value is None:
            value = values[text] = float(text)
        return value

    # Read as Latin-1, one byte a character: as UTF-8, the few names in other scripts (CJK)
    # would make every character of the text take two bytes. The keys are mended after.
    text = path.read_bytes().decode("latin-1")
    decoder = json.JSONDecoder(parse_float=shared)
    raw = {key: _utf8_keys(value) for key, value in _members(text, decoder)}
    del text
    model = RecognitionModel.from_json(raw)
    weighed_by(model.event.weights, model.show.weights, model.season.weights)
    weighed_by(model.value.weights, *(linear.weights for linear in model.certainty.values()))
    return model


def _members(text: str, decoder: json.JSONDecoder) -> Iterator[tuple[str, object]]:
    """The members of the JSON object `text`, each decoded on its own: json keeps every key
    of what it decodes at once in a table, several MiB for the whole model."""
    at = _after_space(text, 0)
    if text[at : at + 1] != "{":
        raise ValueError("not a JSON object")
    at = _after_space(text, at + 1)
    while text[at : at + 1] != "}":
        key, at = decoder.raw_decode(text, at)
        at = _after_space(text, at)
        if text[at : at + 1] != ":":
            raise ValueError(f"no ':' after {key!r}")
        value, at = decoder.raw_decode(text, _after_space(text, at + 1))
        yield key, value
        at = _after_space(text, at)
        if text[at : at + 1] == ",":
            at = _after_space(text, at + 1)


def _after_space(text: str, at: int) -> int:
    while text[at : at + 1] in (" ", "\t", "\n", "\r"):
        at += 1
    return at


def _utf8_keys(value: object) -> object:
    """`value` with the keys of its objects (nested too) read as UTF-8 again, where
    reading them as Latin-1 (`_load`) mangled them: the rare ones that are not ASCII."""
    if isinstance(value, dict):
        for key in [key for key in value if not key.isascii()]:
            value[key.encode("latin-1").decode("utf-8")] = value.pop(key)
        for item in value.values():
            _utf8_keys(item)
    return value
