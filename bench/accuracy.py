"""Recognition accuracy on a labelled JSONL corpus.

    python bench/accuracy.py tests/data/announcements.jsonl [--predictions OUT.jsonl]
        [--json RESULTS.json] [--quiet]

Prints precision, recall and F1 per event, show attribution, exact-date accuracy,
certainty agreement, the mean time per entry, how many negatives (items without labels) got
any prediction, the Citadel negatives that did (hedge-fund stories must get none), and the
list of misses and false alarms.

Input: one JSON object per line, `{"title", "summary", "published": "YYYY-MM-DD"|null,
"labels": [{"show", "event", "season", "date", "window"}]}`; other fields are ignored
(`categories`, `outlet` and `url` are passed on to the entry when present).

Matching (see bot/recognition/scoring.py): a prediction matches a label of the same entry
when the event is equal, the show is equal by `name_key`, and the season is equal when the
label has one; each label and prediction is paired at most once. Unpaired labels are
misses, unpaired predictions false alarms. Speculative windows count as premiere_window
predictions like any other.

`--predictions` writes one line per input item: `{"id", "title", "predictions": [label
shape + "certainty", "network", "evidence"]}`. `--json` writes the scores, misses and
false alarms as one JSON document.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.recognition.scoring import (
    Label,
    Report,
    citadel_negative_alarms,
    evaluate,
    negatives_with_alarms,
    read_corpus,
)
from bot.shows.catalogue import Catalogue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="labelled JSONL file")
    parser.add_argument("--predictions", type=Path, help="write predictions as JSONL here")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--quiet", action="store_true", help="scores only, no item lists")
    args = parser.parse_args(argv)

    items = read_corpus(args.corpus.read_text(encoding="utf-8").splitlines())
    catalogue = Catalogue.default()
    started = time.perf_counter()
    report, predictions = evaluate(items, catalogue)
    elapsed = time.perf_counter() - started

    print_report(report, len(items), elapsed)
    alarmed, negatives = negatives_with_alarms(items, predictions)
    citadel = citadel_negative_alarms(items, predictions)
    print(f"negatives with any prediction  {alarmed} of {negatives}")
    print(f"Citadel negatives with a prediction  {len(citadel)} {citadel or ''}")
    if not args.quiet:
        print_items(report, items)
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for item, predicted in zip(items, predictions, strict=True):
                rows = [
                    {
                        **Label.from_announcement(a).to_json(),
                        "network": a.network,
                        "evidence": a.evidence,
                    }
                    for a in predicted
                ]
                line = {"id": item.get("id"), "title": item.get("title"), "predictions": rows}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    if args.json:
        result = report.to_json() | {
            "entries": len(items),
            "negatives": negatives,
            "negatives_with_predictions": alarmed,
            "citadel_negative_alarms": citadel,
            "mean_us_per_entry": round(elapsed / max(len(items), 1) * 1e6, 1),
        }
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


def print_report(report: Report, count: int, elapsed: float) -> None:
    print(f"{count} entries, {elapsed / max(count, 1) * 1e6:.0f} µs per entry\n")
    print(f"{'event':<17}{'precision':>10}{'recall':>8}{'f1':>8}{'tp':>6}{'fp':>5}{'fn':>5}")
    for event, score in report.events.items():
        print(
            f"{event.value:<17}{score.precision:>10.3f}{score.recall:>8.3f}{score.f1:>8.3f}"
            f"{score.true_positives:>6}{score.false_positives:>5}{score.false_negatives:>5}"
        )
    print(f"\nshow attribution     {report.show_attribution:.3f}")
    print(f"exact-date accuracy  {report.date_accuracy:.3f}")
    print(f"certainty agreement  {report.certainty_agreement:.3f}")


def print_items(report: Report, items: list[dict[str, object]]) -> None:
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
        (r.item_id, label, p) for r in report.items for label, p in r.pairs if label.date != p.date
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
