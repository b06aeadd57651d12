"""Train recognition's models on the train split and write `bot/recognition/model.json`.

    python -m training.train [--check]

Deterministic: the same corpus and code give the same file, byte for byte (a fixed seed,
a fixed order, weights rounded). `--check` trains and compares with the committed file
instead of writing it, exiting 1 on a difference.

Examples (how labels reach the candidates) come from `training/examples.py`; the models
are fitted by `training/fit.py`, the four folds' models and the final one at once in worker
processes (`CLIFFHANGER_TRAIN_WORKERS`, default the CPU count; the same file at any count).
`--seed N` (repeatable) prints the out-of-fold figures at each seed and their mean, fitting
only the folds' models.
Decision thresholds are chosen on out-of-fold predictions within train (4 folds; items
about one show share a fold, so each fold's model meets shows it never saw), for the
best F-beta with precision weighed 1/BETA times recall.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import replace

from bot.recognition import _reader
from bot.recognition._certainty import certainty_features, certainty_of, hedged
from bot.recognition._findings import Finding, combined, kept_of, one_per_show, threshold_name
from bot.recognition._model import MODEL_PATH, RecognitionModel
from bot.shows.catalogue import Catalogue
from bot.shows.names import name_key
from training.corpus import items_of
from training.examples import (
    LETTER,
    Read,
    read_items,
)
from training.fit import Assemble, Fitter
from training.gazetteer import read_train_items
from training.generated import write_or_check
from training.scoring import Label, Report, match_item

SEED = 20261205
FOLDS = 4
BETA = 0.75  # F-beta for choosing thresholds: precision weighs 1 / BETA times recall
THRESHOLDS = (*(round(0.1 + 0.05 * i, 2) for i in range(18)), 0.97, 0.99)  # 0.1 .. 0.99
# How much likelier than a report or a guess the text must make "official": the largest
# cut in reports and guesses shown as official that keeps certainty agreement (out of fold)
# at AGREEMENT_FLOOR or more. Not lower: official news read as a report costs too, since a
# report does not move a date an official source set. In quarter steps: a half step
# between two margins can halve what one of them leaves shown as official, or keep the
# agreement the next one up loses (`python -m training.train` prints both).
OFFICIAL_MARGINS = tuple(0.25 * step for step in range(13))  # 0.0 .. 3.0
AGREEMENT_FLOOR = 0.945

SHOW_THRESHOLDS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
# How likely a second or third show of one sentence must be on its own ("renews A, B and
# C"; the names of a list the text marks as titles join without it).
ALSO_SHOW_THRESHOLDS = (0.4, 0.5, 0.6, 0.65, 0.7, 0.8)
ROUNDS = 4  # at most, of choosing the show thresholds and the events' in turn
# Thresholds that keep every finding: the folds' models are judged at each trial's own.
_LOOSE = dict.fromkeys("RCEP", 0.0) | {"show": 0.0}


def _fold(read: Read) -> int:
    """Items about one show share a fold, so thresholds are chosen on shows the fold's
    model never saw, as the bot meets new shows in the news."""
    shows = sorted(name_key(label.show) for label in read.labels)
    key = shows[0] if shows else str(read.item["url"])
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % FOLDS


def choose_thresholds(
    reads: list[Read], models: dict[int, RecognitionModel]
) -> tuple[dict[str, float], dict[str, float]]:
    """Per-event thresholds from out-of-fold predictions within train (`models[fold]`
    trained without that fold); also returns the out-of-fold F-beta each reached, and over
    every event the F-beta, precision and recall."""
    order = sorted(reads, key=_fold)

    def decide() -> dict[float, list[list[Finding]]]:
        """Each item's findings at each "also_show" threshold (by its fold's model)."""
        found: dict[float, list[list[Finding]]] = {also: [] for also in ALSO_SHOW_THRESHOLDS}
        for read in order:
            model = models[_fold(read)]
            per_also: list[list[Finding]] = [[] for _ in ALSO_SHOW_THRESHOLDS]
            for proposal in read.reading.proposals:
                at = _reader.decide_at(proposal, model, ALSO_SHOW_THRESHOLDS)
                for findings, more in zip(per_also, at, strict=True):
                    findings += more
            for also, findings in zip(ALSO_SHOW_THRESHOLDS, per_also, strict=True):
                found[also].append(findings)
        return found

    # What an item's findings come to depends only on which of them pass the show
    # threshold (`combined`) and on which of those combined pass their event's threshold
    # (`kept_of`): each item's outcome (the letters of its pairs, false alarms and misses)
    # is kept by those, and the grids, which move one threshold at a time, meet most of
    # them again. Keyed by the findings' list too (one per `also`).
    # With each outcome, its (pairs, false alarms, misses) of the events judged together.
    outcomes: dict[tuple[object, ...], tuple[str, str, str, dict[str, Tally]]] = {}
    # Per findings' list, item and how many of its findings pass the show threshold (which
    # says which pass): the findings combined, with the threshold name and the chance of
    # each leading one.
    combinations: dict[tuple[int, int, int], Combination] = {}
    # Per findings' list and show threshold: the combination of each item with a passing
    # finding; the items with none come to their labels, all missed.
    passes: dict[tuple[int, float], tuple[list[Combination], str]] = {}

    def passing_of(
        found_by_item: list[list[Finding]], named: float
    ) -> tuple[list[Combination], str]:
        key = (id(found_by_item), named)
        if key not in passes:
            some: list[Combination] = []
            missed = []
            for at, (read, found) in enumerate(zip(order, found_by_item, strict=True)):
                count = sum(f.show_chance >= named for f in found)
                if not count:
                    missed += [LETTER[label.event] for label in read.labels]
                    continue
                held = (id(found_by_item), at, count)
                if held not in combinations:
                    findings = combined(found, named)
                    cues = [(threshold_name(f.event), f.probability) for f in findings if f.leads]
                    combinations[held] = (held, findings, cues)
                some.append(combinations[held])
            passes[key] = some, "".join(missed)
        return passes[key]

    def counts(
        trial: dict[str, float], letters: str, found_by_item: list[list[Finding]]
    ) -> tuple[int, int, int]:
        some, missed = passing_of(found_by_item, trial.get("show", 0.5))
        tp = fp = 0
        fn = sum(map(letters.__contains__, missed))
        for held, findings, cues in some:
            key = (held, *(chance >= trial.get(name, 0.5) for name, chance in cues))
            outcome = outcomes.get(key)
            if outcome is None:
                predictions = [_label(f) for f in kept_of(findings, trial)]
                result = match_item("", order[held[1]].labels, predictions)
                outcome = outcomes[key] = (
                    "".join(LETTER[lab.event] for lab, _ in result.pairs),
                    "".join(LETTER[p.event] for p in result.false_alarms),
                    "".join(LETTER[lab.event] for lab in result.misses),
                    {},
                )
            tally = outcome[3].get(letters)
            if tally is None:
                tally = outcome[3][letters] = (
                    sum(map(letters.__contains__, outcome[0])),
                    sum(map(letters.__contains__, outcome[1])),
                    sum(map(letters.__contains__, outcome[2])),
                )
            tp += tally[0]
            fp += tally[1]
            fn += tally[2]
        return tp, fp, fn

    # How sure the shows must be (all events together), then each event's threshold, and
    # again with the events' thresholds in place of the middle ones, until neither moves:
    # each choice was made for the other's starting point, not for the other's choice.
    decided = decide()
    events = dict.fromkeys("RCEP", 0.5)
    chosen: dict[str, float] = {}
    scores: dict[str, float] = {}
    for _ in range(ROUNDS):
        best_shows = (-1.0, ALSO_SHOW_THRESHOLDS[0], SHOW_THRESHOLDS[0])
        for also, found_by_item in decided.items():
            for show in SHOW_THRESHOLDS:
                score = _f_beta(*counts({**events, "show": show}, "RCEP", found_by_item))
                if score > best_shows[0] + 1e-9:
                    best_shows = (score, also, show)
        _, also, show = best_shows
        found_by_item = decided[also]
        for letter in "RCEP":
            grid = [
                _f_beta(*counts({**_LOOSE, "show": show, letter: t}, letter, found_by_item))
                for t in THRESHOLDS
            ]
            # Judged with its neighbours on the grid: a lone peak is as often noise, and
            # a threshold on a plateau moves less when the corpus grows.
            smooth = [
                sum(grid[max(0, i - 1) : i + 2]) / len(grid[max(0, i - 1) : i + 2])
                for i in range(len(grid))
            ]
            best = max(range(len(grid)), key=lambda i: (smooth[i], -i))
            scores[letter], events[letter] = grid[best], THRESHOLDS[best]
        previous, chosen = chosen, {"show": show, "also_show": also, **events}
        if chosen == previous:
            break
    tp, fp, fn = counts(chosen, "RCEP", found_by_item)
    scores |= {"all": _f_beta(tp, fp, fn), "precision": tp / (tp + fp), "recall": tp / (tp + fn)}
    pairs: list[tuple[str | None, dict[str, float], bool]] = []
    results = []
    for read, found in zip(order, found_by_item, strict=True):
        kept = one_per_show(found, chosen)
        predictions = [_label(f) for f in kept]
        certainty = models[_fold(read)].certainty
        results.append(result := match_item("", read.labels, predictions))
        for label, prediction in result.pairs:
            finding = kept[predictions.index(prediction)]
            features = certainty_features(finding)
            by_name = {k: m.score(features) for k, m in certainty.items()}
            pairs.append((label.certainty, by_name, hedged(finding)))
    # The exact-date figure and the unscored seasons `bench/accuracy.py` prints, out of fold.
    report = Report.build(results)
    scores["dates"] = report.date_accuracy
    scores["seasons added"] = report.seasons_added[0]
    chosen["official_margin"] = margin = _official_margin(pairs)
    scores["certainty"], scores["overstated"] = _certainty_agreement(pairs, margin)
    return chosen, scores


Tally = tuple[int, int, int]  # true positives, false alarms, misses
# An item's findings combined (`combined`) under one findings' list and show threshold:
# its key (the list's id, the item's place, how many findings pass), the combined
# findings, and the threshold name and chance of each one that leads.
Combination = tuple[tuple[int, int, int], list[Finding], list[tuple[str, float]]]
Certainties = Sequence[tuple[str | None, dict[str, float], bool]]


def _official_margin(pairs: Certainties) -> float:
    """The margin (see OFFICIAL_MARGINS) from labelled certainties, the scores the
    certainty models gave them out of fold, and whether the text hedged them."""
    best = (0, 0.0)
    for margin in OFFICIAL_MARGINS:
        agree, overstated = _certainty_agreement(pairs, margin)
        if agree >= AGREEMENT_FLOOR and (margin == 0.0 or overstated < best[0]):
            best = (overstated, margin)
    return best[1]


def _certainty_agreement(pairs: Certainties, margin: float) -> tuple[float, int]:
    """How often the certainty said with `margin` is the labelled one, and how many reports
    and guesses it calls official."""
    agree = overstated = 0
    for truth, scores, hedges in pairs:
        said = certainty_of(scores, margin, hedges)
        agree += said == truth
        overstated += said == "official" and truth in ("reported", "speculation")
    return (agree / len(pairs) if pairs else 1.0), overstated


def _label(found: Finding) -> Label:
    return Label(
        show=found.show,
        event=found.event,
        season=found.season,
        date=found.value_date,
        window=found.value_window.text if found.value_window else None,
    )


def _f_beta(tp: int, fp: int, fn: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    beta2 = BETA * BETA
    total = beta2 * precision + recall
    return (1 + beta2) * precision * recall / total if total else 0.0


def train(
    catalogue: Catalogue | None = None, seed: int = SEED, *, final: bool = True
) -> tuple[RecognitionModel | None, dict[str, float]]:
    """The model trained on the whole train split (None without `final`), and the
    out-of-fold scores. Without a `catalogue`, each item is read knowing the shows other
    news named (see training/gazetteer.py), as the shipped catalogue knows them. The
    folds' models and the final one are fitted at once (`training/fit.py`)."""
    items = items_of("train")
    reads = read_items(items, catalogue) if catalogue is not None else read_train_items(items)
    with Fitter(reads, [_fold(read) for read in reads]) as fitter:
        waiting = _start_folds(fitter, seed)
        whole = fitter.start(range(FOLDS), seed, split=True) if final else None
        thresholds, scores = choose_thresholds(
            reads, {fold: wait(_LOOSE) for fold, wait in waiting.items()}
        )
        return (whole(thresholds) if whole else None), scores


def _start_folds(fitter: Fitter, seed: int) -> dict[int, Assemble]:
    """Begin fitting each fold's model, on the other folds' reads."""
    return {
        fold: fitter.start([f for f in range(FOLDS) if f != fold], seed) for fold in range(FOLDS)
    }


def out_of_fold(seed: int = SEED) -> tuple[list[Read], list[RecognitionModel]]:
    """The train split's reads, each with the model of its fold (trained without it), at
    the thresholds chosen out of fold: how the design does on shows it never saw, the
    picture of train that the shipped model, which learned from every item, cannot give."""
    reads = read_train_items(items_of("train"))
    with Fitter(reads, [_fold(read) for read in reads]) as fitter:
        models = {fold: wait(_LOOSE) for fold, wait in _start_folds(fitter, seed).items()}
    thresholds, _ = choose_thresholds(reads, models)
    judged = {fold: replace(model, thresholds=thresholds) for fold, model in models.items()}
    return reads, [judged[_fold(read)] for read in reads]


def serialise(model: RecognitionModel) -> str:
    """The model file's text."""
    return json.dumps(model.to_json(), indent=0, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument(
        "--seed",
        type=int,
        action="append",
        help="judge at this seed instead (repeatable; prints each and the mean, writes nothing)",
    )
    args = parser.parse_args(argv)
    if args.seed:
        return _judge_seeds(args.seed)
    model, scores = train()
    assert model is not None
    text = serialise(model)
    certainty, overstated = scores.pop("certainty"), scores.pop("overstated")
    added = scores.pop("seasons added")
    print(f"out-of-fold F{BETA} on train: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()))
    print(f"out-of-fold certainty: agreement {certainty:.3f}, {overstated:.0f} shown as official")
    print(f"out-of-fold seasons given where the label has none (not scored): {added:.0f}")
    print("thresholds: " + ", ".join(f"{k} {v}" for k, v in sorted(model.thresholds.items())))
    written = f"wrote {MODEL_PATH} ({len(text) // 1024} KiB)"
    return write_or_check(MODEL_PATH, text, check=args.check, written=written)


def _judge_seeds(seeds: list[int]) -> int:
    """Out-of-fold figures at each seed and their mean: one seed's F-beta moves by more
    than most single changes do (0.677-0.683 for one code), so a change is judged on a mean.
    Only the folds' models are trained: the final one has no out-of-fold figure."""
    runs = []
    for seed in seeds:
        _, scores = train(seed=seed, final=False)
        runs.append(scores)
        shown = ", ".join(f"{k} {v:.3f}" for k, v in scores.items())
        print(f"seed {seed}: {shown}", flush=True)
    mean = {k: sum(r[k] for r in runs) / len(runs) for k in runs[0]}
    print(f"mean of {len(runs)}: " + ", ".join(f"{k} {v:.4f}" for k, v in mean.items()))
    return 0


def report_on(split: str) -> Report:
    """Score the shipped model on one split (used by the tests and the README figures)."""
    from training.scoring import evaluate

    report, _ = evaluate(items_of(split), Catalogue.default())  # type: ignore[arg-type]
    return report


if __name__ == "__main__":
    sys.exit(main())
