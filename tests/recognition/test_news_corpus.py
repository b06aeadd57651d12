"""The real news corpus and its frozen split: well formed, large and varied enough to learn
from and judge by, split by URL hash alone, and never quoted by the code."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from training.corpus import TEST_PERCENT, items_of, read_items, split_of
from training.merge_gathered import problems

ROOT = Path(__file__).resolve().parents[2]
ITEMS = read_items()


def test_every_item_is_well_formed_and_unique() -> None:
    assert [item["id"] for item in ITEMS if problems(item)] == []
    ids = [item["id"] for item in ITEMS]
    urls = [item["url"] for item in ITEMS]
    assert len(set(ids)) == len(ids) and len(set(urls)) == len(urls)
    for item in ITEMS:
        keys = Counter(
            (label["show"].casefold(), label["event"], label["season"]) for label in item["labels"]
        )
        assert max(keys.values(), default=1) == 1, item["id"]


def test_the_corpus_is_large_varied_and_a_third_negatives() -> None:
    assert len(ITEMS) >= 1500
    domains = {(urlsplit(item["url"]).hostname or "").removeprefix("www.") for item in ITEMS}
    assert len(domains) >= 300
    negatives = sum(not item["labels"] for item in ITEMS)
    assert negatives >= len(ITEMS) / 3
    events = Counter(label["event"] for item in ITEMS for label in item["labels"])
    assert min(events.values()) >= 150, events
    years = {(item["published"] or "")[:4] for item in ITEMS if item["published"]}
    assert min(years) <= "2010" and max(years) >= "2025"


def test_the_split_is_a_hash_of_the_url_and_about_a_quarter_test() -> None:
    assert split_of("https://example.org/a") == split_of(" https://example.org/a ")
    assert {split_of(f"https://example.org/{n}") for n in range(50)} == {"train", "test"}
    test = items_of("test", ITEMS)
    assert abs(len(test) / len(ITEMS) * 100 - TEST_PERCENT) < 3
    assert len(test) + len(items_of("train", ITEMS)) == len(ITEMS)


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower())


def test_no_code_or_comment_quotes_a_test_item() -> None:
    code = _fold(
        " ".join(
            path.read_text(encoding="utf-8")
            for folder in ("bot", "cogs", "db", "training", "bench", "tests")
            for path in (ROOT / folder).rglob("*.py")
        )
    )
    quoted = [
        item["id"]
        for item in items_of("test", ITEMS)
        for text in (item["title"], item["summary"][:80])
        if len(_fold(text).strip()) >= 30 and _fold(text).strip() in code
    ]
    assert quoted == []


def test_gathered_items_with_two_labels_for_one_show_event_and_season_are_refused() -> None:
    label = {"show": "Harbour Lights", "event": "renewed", "season": 2, "certainty": "official"}
    item = {"url": "https://example.org/a", "title": "Harbour Lights renewed", "labels": [label]}
    assert problems(item) == []
    assert problems(item | {"labels": [label, label | {"show": "harbour lights"}]}) == [
        "two labels of one show, event and season"
    ]
