"""The real news corpus (`tests/data/news/items.jsonl`) and its frozen train/test split.

Every item goes to `test` or `train` by a hash of its URL alone, so an item's side never
changes as the corpus grows, and nobody can move an item by editing it. About a quarter of
the items are test items: rules, features and model weights are tuned on train only.

    python -m training.corpus            # counts per split, event and certainty
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
NEWS_CORPUS = ROOT / "tests" / "data" / "news" / "items.jsonl"
TEST_PERCENT = 25

Split = Literal["train", "test"]


def split_of(url: str) -> Split:
    """`test` for about TEST_PERCENT % of URLs, chosen by SHA-256 of the URL as written."""
    digest = hashlib.sha256(url.strip().encode("utf-8")).hexdigest()
    return "test" if int(digest[:8], 16) % 100 < TEST_PERCENT else "train"


def read_items(path: Path = NEWS_CORPUS) -> list[dict[str, Any]]:
    """Every item of a JSONL corpus file (blank lines skipped)."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def items_of(split: Split, items: Iterable[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The items of one side of the split (of the news corpus unless `items` is given)."""
    pool = read_items() if items is None else items
    return [item for item in pool if split_of(str(item["url"])) == split]


def _counts(items: list[dict[str, Any]]) -> Iterator[str]:
    events = Counter(label["event"] for item in items for label in item["labels"])
    certainty = Counter(label["certainty"] for item in items for label in item["labels"])
    negatives = sum(not item["labels"] for item in items)
    outlets = len({item["outlet"] for item in items})
    yield f"  items {len(items)}, negatives {negatives}, outlets {outlets}"
    yield "  events " + ", ".join(f"{k} {v}" for k, v in sorted(events.items()))
    yield "  certainty " + ", ".join(f"{k} {v}" for k, v in sorted(certainty.items()))


def main() -> int:
    items = read_items()
    print(f"{NEWS_CORPUS.relative_to(ROOT)}")
    for line in _counts(items):
        print(line)
    for split in ("train", "test"):
        print(split)
        for line in _counts(items_of(split, items)):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
