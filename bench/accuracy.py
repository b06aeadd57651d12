"""Recognition accuracy on labelled real news.

    python bench/accuracy.py --split test --quiet    # the frozen test split (the README figure;
                                                     # --quiet: no test items on screen)
    python bench/accuracy.py --split test --quiet --upto n5847   # the split at that size
    python bench/accuracy.py FILE.jsonl [--predictions OUT.jsonl] [--json RESULTS.json]
        [--quiet]

Prints precision, recall and F1 per event and overall (announcement level: show + event +
season), show attribution, exact-date accuracy, certainty agreement and its confusion
matrix, the mean time per entry, how many negatives (items without labels) got any
prediction, the Citadel negatives that did (hedge-fund stories must get none), and the
misses and false alarms.

Input: one JSON object per line, `{"title", "summary", "published": "YYYY-MM-DD"|null,
"labels": [{"show", "event", "season", "date", "window", "certainty"}]}`; other fields are
ignored (`outlet` and `url` are passed on to the entry when present).

With FILE, items that are in the project's own corpus (tests/data/news/items.jsonl, by URL
or by identical title and summary) are left out of the scores: the model was trained on
some of them. They still get a line in `--predictions`, which has one line per input item:
`{"id", "title", "predictions": [label shape + "certainty", "network", "evidence"]}`.

Matching (training/scoring.py): a prediction matches a label of the same entry when the
event is equal, the show is equal by `name_key`, and the season is equal when the label
has one; each label and prediction is paired at most once.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.models import Announcement
from bot.shows.catalogue import Catalogue
from training.corpus import NEWS_CORPUS, items_of, read_items
from training.scoring import (
    CERTAINTIES,
    Label,
    Report,
    citadel_negative_alarms,
    evaluate,
    negatives_with_alarms,
    read_corpus,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?", help="labelled JSONL file")
    parser.add_argument("--split", choices=("train", "test"), help="a split of the news corpus")
    parser.add_argument("--predictions", type=Path, help="write predictions as JSONL here")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--quiet", action="store_true", help="scores only, no item lists")
    parser.add_argument(
        "--upto",
        metavar="ID",
        help="with --split: only items up to this id (the split at an earlier size, e.g. n5847)",
    )
    args = parser.parse_args(argv)
    if (args.corpus is None) == (args.split is None):
        parser.error("give a corpus FILE or --split, not both")

    if args.upto and not args.split:
        parser.error("--upto goes with --split")
    if args.split:
        items = items_of(args.split)
        if args.upto:
            last = _id_number(args.upto)
            items = [item for item in items if _id_number(item["id"]) <= last]
        judged = [True] * len(items)
        print(
            f"{NEWS_CORPUS.name}, {args.split} split" + (f" up to {args.upto}" if args.upto else "")
        )
    else:
        items = read_corpus(args.corpus.read_text(encoding="utf-8").splitlines())
        judged = _not_in_project_corpus(items)
        left_out = judged.count(False)
        if left_out:
            print(f"left out of the scores: {left_out} items found in the project's corpus")
    catalogue = Catalogue.default()
    started = time.perf_counter()
    kept = [item for item, keep in zip(items, judged, strict=True) if keep]
    report, kept_predictions = evaluate(kept, catalogue)
    elapsed = time.perf_counter() - started
    predictions = _all_predictions(items, judged, kept_predictions, catalogue)

    print_report(report, len(kept), elapsed)
    alarmed, negatives = negatives_with_alarms(kept, kept_predictions)
    citadel = citadel_negative_alarms(kept, kept_predictions)
    print(f"negatives with any prediction  {alarmed} of {negatives}")
    print(f"Citadel negatives with a prediction  {len(citadel)} {citadel or ''}")
    if not args.quiet:
        print_items(report, kept)
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for item, predicted in zip(items, predictions, strict=True):
                line = {"id": item.get("id"), "title": item.get("title"), "predictions": [
                    {**Label.from_announcement(a).to_json(), "network": a.network,
                     "evidence": a.evidence}
                    for a in predicted
                ]}  # fmt: skip
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    if args.json:
        result = report.to_json() | {
            "entries": len(kept),
            "left_out": judged.count(False),
            "negatives": negatives,
            "negatives_with_predictions": alarmed,
            "citadel_negative_alarms": citadel,
            "mean_us_per_entry": round(elapsed / max(len(kept), 1) * 1e6, 1),
        }
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


def _id_number(ident: str) -> int:
    return int(ident.lstrip("n"))


def _not_in_project_corpus(items: list[dict[str, Any]]) -> list[bool]:
    if not NEWS_CORPUS.exists():
        return [True] * len(items)
    ours = read_items()
    urls = {item["url"] for item in ours}
    texts = {_text(item) for item in ours}
    return [item.get("url") not in urls and _text(item) not in texts for item in items]


def _text(item: dict[str, Any]) -> str:
    return " ".join(f"{item.get('title') or ''} {item.get('summary') or ''}".lower().split())


def _all_predictions(
    items: list[dict[str, Any]],
    judged: list[bool],
    kept: list[list[Announcement]],
    catalogue: Catalogue,
) -> list[list[Announcement]]:
    left = [item for item, keep in zip(items, judged, strict=True) if not keep]
    _, others = evaluate(left, catalogue) if left else (None, [])
    kept_iter, other_iter = iter(kept), iter(others)
    return [next(kept_iter) if keep else next(other_iter) for keep in judged]


def print_report(report: Report, count: int, elapsed: float) -> None:
    print(f"{count} entries, {elapsed / max(count, 1) * 1e6:.0f} µs per entry\n")
    print(f"{'event':<17}{'precision':>10}{'recall':>8}{'f1':>8}{'tp':>6}{'fp':>5}{'fn':>5}")
    rows = [*report.events.items(), ("overall", report.overall)]
    for event, score in rows:
        name = event if isinstance(event, str) else event.value
        print(
            f"{name:<17}{score.precision:>10.3f}{score.recall:>8.3f}{score.f1:>8.3f}"
            f"{score.true_positives:>6}{score.false_positives:>5}{score.false_negatives:>5}"
        )
    print(f"\nshow attribution     {report.show_attribution:.3f}")
    print(f"exact-date accuracy  {report.date_accuracy:.3f}")
    print(f"certainty agreement  {report.certainty_agreement:.3f}")
    print("certainty (rows: label, columns: predicted)")
    print(f"  {'':<13}" + "".join(f"{c:>13}" for c in CERTAINTIES))
    matrix = report.certainty_matrix
    for labelled in CERTAINTIES:
        row = "".join(f"{matrix.get((labelled, p), 0):>13}" for p in CERTAINTIES)
        print(f"  {labelled:<13}{row}")
    print(f"shown as official but labelled reported or speculation  {report.overstated}")
    added, seasonless = report.seasons_added
    print(f"a season given where the label has none  {added} of {seasonless} (not scored)")


def print_items(report: Report, items: list[dict[str, Any]]) -> None:
    titles = {str(item.get("id", i)): str(item.get("title", "")) for i, item in enumerate(items)}
    misses = [(r.item_id, label) for r in report.items for label in r.misses]
    alarms = [(r.item_id, p) for r in report.items for p in r.false_alarms]
    print(f"\nmisses ({len(misses)}):")
    for item_id, label in misses:
        print(f"  {item_id}: {_describe(label)}  <- {titles[item_id][:90]}")
    print(f"\nfalse alarms ({len(alarms)}):")
    for item_id, label in alarms:
        print(f"  {item_id}: {_describe(label)}  <- {titles[item_id][:90]}")
    wrong_dates = [
        (r.item_id, label, p)
        for r in report.items
        for label, p in r.pairs
        if label.date and label.date != p.date
    ]
    if wrong_dates:
        print(f"\nwrong dates ({len(wrong_dates)}):")
        for item_id, label, p in wrong_dates:
            print(f"  {item_id}: {label.show} expected {label.date}, got {p.date}")


def _describe(label: Label) -> str:
    value = label.date.isoformat() if label.date else (label.window or "")
    season = "" if label.season is None else f" s{label.season}"
    certainty = f" ({label.certainty})" if label.certainty else ""
    return f"{label.show}{season} {label.event.value} {value}{certainty}".strip()


if __name__ == "__main__":
    raise SystemExit(main())
