"""Fitting recognition's linear models: AdaGrad logistic regression, and every model of a
`RecognitionModel` fitted on some folds' examples, the independent fits run at once in
worker processes (`training/train.py` uses this).

Workers: `CLIFFHANGER_TRAIN_WORKERS` in the environment (a count; 1 fits in this process,
without a pool), else `os.cpu_count()`. Each read item's examples are drawn once, before
the worker processes are forked (they inherit them instead of being sent them), and a
fit on some folds joins those folds' examples: drawing them again for every fit cost as
much CPU as fitting the smaller models. Each fit seeds its own random generator, so the
result is the same byte for byte at any worker count. Under pytest-xdist each test worker
that retrains starts its own pool: on the project's 2-core machines that is 3 busy
processes at most (the training test and another test), which the OS shares out; set the
variable to 1 to keep a run to one core.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

from bot.recognition._model import LinearModel, RecognitionModel
from training.examples import CERTAINTIES, Example, Examples, Read, build_examples

# Out of fold (three seeds' mean), 15 / 10 / 8 / 6 epochs gave F0.75 0.6687 / 0.6697 /
# 0.6697 / 0.6698: the weights are averaged over the epochs, so fewer lose nothing; 8
# keeps a margin, and each epoch costs as much as the first.
EPOCHS = 8
RATE = 0.05  # out of fold, 0.025 / 0.05 / 0.1 / 0.2 gave F0.75 0.663 / 0.665 / 0.659 / 0.637
L2 = 3e-3  # with doubtful items at half, out of fold: 2e-3 gave 0.6737 against 0.6735
# What an example of an item whose labeller marked a doubt (`doubt: true`: an arguable
# event, window, season or certainty; see tests/data/README.md) weighs in the event, show,
# season and value models' loss: such a label teaches less surely. Out of fold, three
# seeds: 1.0 / 0.7 / 0.5 / 0.25 gave F0.75 0.6697 / 0.6723 / 0.6735 / 0.6729 (0.5: every
# seed +0.004).
# The certainty models keep every example at 1: their rare classes are mostly doubtful
# items (on train, 426 of 638 reported labels, 133 of 181 guesses).
DOUBT_WEIGHT = 0.5
ITEM_PARTS = tuple(f"item:{letter}" for letter in "RCEP")
# The item models leave out the words and word pairs that fewer of their examples hold:
# the rare pairs are most of the names and little of the signal. Out of fold (three
# seeds), at least 3 / 5 gave F0.75 0.6770 / 0.6765 (0.6774 with every pair, at about
# seven times the weights: 330,000 against 48,000 in a fold's model).
ITEM_MIN_COUNT = 3
DOUBT_WEIGHED = ("event", "show", "season", "value", *ITEM_PARTS)
# The models of a `RecognitionModel`, each fitted on its own (one per certainty class, and
# one item model per event letter).
PARTS = (
    "event", "show", "season", "value",
    *(f"certainty:{name}" for name in CERTAINTIES),
    *ITEM_PARTS,
)  # fmt: skip
WORKERS_VARIABLE = "CLIFFHANGER_TRAIN_WORKERS"
# Waits for a model's fits and assembles it with the given thresholds.
Assemble = Callable[[dict[str, float]], RecognitionModel]


def train_binary(
    examples: Sequence[Example],
    seed: int,
    positive_weight: float = 1.0,
    weights_of: Sequence[float] | None = None,
) -> LinearModel:
    """Logistic regression by AdaGrad SGD with L2 on the active features; deterministic:
    shuffled by its own generator seeded with `seed`. `positive_weight` scales the
    positives' loss (for a rare class); `weights_of`, each example's loss."""
    index: dict[str, int] = {}
    rows: list[tuple[list[int], int]] = []
    for features, target in examples:
        ids = [index.setdefault(f, len(index)) for f in dict.fromkeys(features)]
        rows.append((ids, target))
    weights = [0.0] * len(index)
    squares = [0.0] * len(index)
    bias = bias_square = 0.0
    order = list(range(len(rows)))
    rng = random.Random(seed)
    sqrt, exp, weight_of = math.sqrt, math.exp, weights.__getitem__
    rate, l2 = RATE, L2  # read as locals in the loop: faster, the same arithmetic
    # The average of the weights after each epoch, not the last: steadier, and it
    # generalises better than the end point of a noisy descent.
    total = [0.0] * len(index)
    total_bias = 0.0
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for row in order:
            ids, target = rows[row]
            z = bias + sum(map(weight_of, ids))
            z = max(-30.0, min(30.0, z))
            error = 1.0 / (1.0 + exp(-z)) - target
            if target:
                error *= positive_weight
            if weights_of is not None:
                error *= weights_of[row]
            for i in ids:
                grad = error + l2 * weights[i]
                square = squares[i] + grad * grad
                squares[i] = square
                weights[i] -= rate * grad / (sqrt(square) + 1e-8)
            bias_square += error * error
            bias -= rate * error / (sqrt(bias_square) + 1e-8)
        total = [t + w for t, w in zip(total, weights, strict=True)]
        total_bias += bias
    names = list(index)
    # Weights this small change no decision; leaving them out keeps the model file small.
    kept = {names[i]: round(t / EPOCHS, 3) for i, t in enumerate(total) if abs(t / EPOCHS) >= 0.01}
    return LinearModel(round(total_bias / EPOCHS, 4), kept)


def train_part(
    examples: Examples, part: str, seed: int, weights_of: Sequence[float] | None = None
) -> LinearModel:
    """One model of `PARTS` from its examples (`weights_of`: each example's loss)."""
    if part.startswith("certainty:"):
        # Reports and guesses are rare next to official news: weigh each class as a whole
        # equally, or the rare ones would never win.
        name = part.removeprefix("certainty:")
        total = len(examples.certainty)
        count = sum(c == name for _, c in examples.certainty)
        weight = total / (len(CERTAINTIES) * count) if count else 1.0
        rows = [(f, int(c == name)) for f, c in examples.certainty]
        return train_binary(rows, seed, positive_weight=max(1.0, weight))
    rows = _rows(examples, part)
    if part in ITEM_PARTS:
        rows = _common_only(rows, ITEM_MIN_COUNT)
    return train_binary(rows, seed, weights_of=weights_of)


def _common_only(rows: Sequence[Example], least: int) -> list[Example]:
    """`rows` with only the features that `least` of them or more hold."""
    seen = Counter(name for features, _ in rows for name in features)
    return [([name for name in features if seen[name] >= least], label) for features, label in rows]


def _rows(examples: Examples, part: str) -> list[Example]:
    """The examples of one of the binary `PARTS` (the certainty classes apart)."""
    if part.startswith("item:"):
        return examples.item[part.removeprefix("item:")]
    rows: list[Example] = getattr(examples, part)
    return rows


def assemble(parts: dict[str, LinearModel], thresholds: dict[str, float]) -> RecognitionModel:
    """A `RecognitionModel` from its fitted `PARTS`."""
    return RecognitionModel(
        event=parts["event"],
        show=parts["show"],
        season=parts["season"],
        value=parts["value"],
        certainty={name: parts[f"certainty:{name}"] for name in CERTAINTIES},
        thresholds=thresholds,
        item={part.removeprefix("item:"): parts[part] for part in ITEM_PARTS},
    )


def workers() -> int:
    """How many processes fit at once (see the module's doc)."""
    configured = os.environ.get(WORKERS_VARIABLE, "").strip()
    return max(1, int(configured)) if configured else (os.cpu_count() or 1)


# In a worker process: each read's examples and their weight, inherited (see `Fitter`).
_INHERITED: list[tuple[Sequence[Examples], Sequence[float]]] = []


def _inherit(examples: Sequence[Examples], weights: Sequence[float]) -> None:
    _INHERITED[:] = [(examples, weights)]


def _fit(
    keep: tuple[int, ...], folds: Sequence[int], parts: Sequence[str], seed: int
) -> dict[str, LinearModel]:
    """`parts` fitted on the inherited examples of the reads whose fold is in `keep`, in
    the reads' order (as `build_examples` draws them from those reads), each weighed as its
    read is (for the `DOUBT_WEIGHED` parts among them)."""
    examples = Examples()
    weights_of: dict[str, list[float]] = {part: [] for part in parts if part in DOUBT_WEIGHED}
    every, weights = _INHERITED[0]
    for own, weight, fold in zip(every, weights, folds, strict=True):
        if fold in keep:
            examples.extend(own)
            for part, kept in weights_of.items():
                kept += [weight] * len(_rows(own, part))
    return {part: train_part(examples, part, seed, weights_of.get(part)) for part in parts}


@dataclass(slots=True)
class Fitter:
    """Fits models on subsets of `reads` (by fold, `folds[i]` being `reads[i]`'s) in worker
    processes; a context manager that ends its pool on exit."""

    reads: Sequence[Read]
    folds: Sequence[int]
    pool: Executor | None = None
    examples: Sequence[Examples] = ()
    weights: Sequence[float] = ()

    def __enter__(self) -> Fitter:
        self.examples = [build_examples([read]) for read in self.reads]
        self.weights = [DOUBT_WEIGHT if read.item.get("doubt") else 1.0 for read in self.reads]
        if workers() > 1:
            # Forked, so the workers inherit the examples (fork pickles no `initargs`).
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(
                workers(),
                mp_context=context,
                initializer=_inherit,
                initargs=(self.examples, self.weights),
            )
        return self

    def __exit__(self, *_: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def start(self, keep: Iterable[int], seed: int, *, split: bool = False) -> Assemble:
        """Begin fitting every model on the reads of the folds in `keep`; returns a function
        that waits for them and assembles the model with the given thresholds. One job fits
        them all (their examples are built once); with `split`, the show model, the
        largest, is a job apart, for a model that is waited for alone."""
        key = tuple(sorted(set(keep)))
        groups = [("show",), tuple(p for p in PARTS if p != "show")] if split else [PARTS]
        if self.pool is None:
            _inherit(self.examples, self.weights)
            parts = _fit(key, self.folds, PARTS, seed)
            return lambda thresholds: assemble(parts, thresholds)
        futures = [self.pool.submit(_fit, key, self.folds, group, seed) for group in groups]

        def wait(thresholds: dict[str, float]) -> RecognitionModel:
            parts = {p: m for future in futures for p, m in future.result().items()}
            return assemble(parts, thresholds)

        return wait
