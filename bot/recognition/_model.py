"""The learned part of recognition: linear models over named binary features, read from
`model.json` (written by `python -m training.train`, committed, retrained by a test).

Each model is a bias and a weight per feature name; a feature the model never saw weighs
nothing. Scores are log-odds; `probability` turns one into a probability. The certainty
model is one such linear model per class, and the class with the highest score wins.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
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
        """A model from `to_json` data. Weights that are already a dict of names and floats
        are kept as they are: a copy would double the model's size while it loads."""
        weights = raw["weights"]
        assert isinstance(weights, Mapping)
        bias = float(str(raw["bias"]))
        if type(weights) is dict and all(
            type(name) is str and type(weight) is float for name, weight in weights.items()
        ):
            return cls(bias, weights)
        return cls(bias, {str(k): float(v) for k, v in weights.items()})


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
    the largest thing a running bot does (at its first poll). Read a block of lines at a
    time, never the whole text, and the parsed weights are the model's, not copied."""
    # The weights are rounded (training/train.py): some 150,000 of them take fewer than
    # 2,000 values, so each value is made once and shared.
    values: dict[str, float] = {}

    def shared(text: str) -> float:
        value = values.get(text)
        if value is None:
            value = values[text] = float(text)
        return value

    decoder = json.JSONDecoder(parse_float=shared)
    with path.open("rb") as file:
        first = file.readline()
        if first.strip() != b"{":  # not the layout training writes: read it whole
            return RecognitionModel.from_json(decoder.decode((first + file.read()).decode()))
        lines = _MemberLines(decoder)
        rest = b""
        for block in iter(partial(file.read, _BLOCK), b""):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            lines.feed(block[:cut].decode("utf-8"))
        lines.feed(rest.decode("utf-8"))
    model = RecognitionModel.from_json(lines.root)
    weighed_by(model.event.weights, model.show.weights, model.season.weights)
    weighed_by(model.value.weights, *(linear.weights for linear in model.certainty.values()))
    return model


_BLOCK = 1 << 16  # bytes read at a time: each block's passing objects stay small
# A line that opens an object (`"name": {`) or closes one (`}` or `},`); every other line
# is one member (`"name": value,`). That is the layout json.dumps(indent=0) writes.
_BRACE_LINE = re.compile(r"^[ \t]*(?:(.*?)[ \t]*\{|\},?)[ \t]*\r?$", re.MULTILINE)


class _MemberLines:
    """A JSON object laid out one member a line, read from blocks of whole lines: each run
    of members between two brace lines is decoded at once (json's C decoder), so nothing
    but a block's text is held beside what has been read."""

    def __init__(self, decoder: json.JSONDecoder) -> None:
        self.root: dict[str, object] = {}
        self._open: list[dict[str, object]] = [self.root]
        self._decoder = decoder
        # The certainty and item models, several to one member, weigh mostly the same
        # names: each name is made once for all of them, as json does within one decode.
        self._names: dict[str, str] = {}

    def feed(self, text: str) -> None:
        """Read a block of whole lines."""
        at = 0
        for brace in _BRACE_LINE.finditer(text):
            self._members(text[at : brace.start()])
            at = brace.end()
            if brace[1] is None:
                self._open.pop()
                if len(self._open) == 1:
                    self._names.clear()
            else:
                inner: dict[str, object] = {}
                self._open[-1][
                    self._decoder.decode(brace[1].rstrip().removesuffix(":").rstrip())
                ] = inner
                self._open.append(inner)
        self._members(text[at:])

    def _members(self, text: str) -> None:
        text = text.strip().rstrip(",")
        if not text:
            return
        members = self._decoder.decode("{" + text + "}")
        if len(self._open) > 3:  # root, certainty or item, one model, its weights
            members = {self._names.setdefault(name, name): value for name, value in members.items()}
        self._open[-1].update(members)
