"""Add gathered items (JSONL files written while searching stored news pages) to the news
corpus, checked and without duplicates.

    python -m training.merge_gathered DIR [DIR ...]

Each input line: {"title", "summary", "published", "outlet", "url", "notes", "doubt",
"labels"}. An item is refused (and said so) when a label breaks the format, and skipped
when its URL, or its title and summary together, are already in the corpus. New items get
the next free ids (n0001, n0002, ...), so existing ids never change.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot.models import Certainty, Event
from training.corpus import NEWS_CORPUS, read_items

KEYS = ("id", "title", "summary", "published", "outlet", "url", "notes", "doubt", "labels")
LABEL_KEYS = ("show", "event", "season", "date", "window", "certainty", "network")
_SPACE = re.compile(r"\s+")


def problems(item: dict[str, Any]) -> list[str]:
    """What is wrong with one gathered item (empty when it is fine)."""
    found: list[str] = []
    if not str(item.get("url") or "").startswith(("http://", "https://")):
        found.append("no http(s) url")
    if not (item.get("title") or item.get("summary")):
        found.append("no text")
    if item.get("published"):
        try:
            date.fromisoformat(item["published"])
        except ValueError:
            found.append(f"bad published {item['published']!r}")
    keys = [
        (str(label.get("show") or "").casefold(), label.get("event"), label.get("season"))
        for label in item.get("labels") or []
    ]
    if len(set(keys)) < len(keys):
        found.append("two labels of one show, event and season")
    for label in item.get("labels") or []:
        if not str(label.get("show") or "").strip():
            found.append("label without show")
        if label.get("event") not in {e.value for e in Event}:
            found.append(f"bad event {label.get('event')!r}")
        if label.get("certainty") not in {c.value for c in Certainty}:
            found.append(f"bad certainty {label.get('certainty')!r}")
        season = label.get("season")
        if season is not None and not isinstance(season, int):
            found.append(f"bad season {season!r}")
        if label.get("date"):
            try:
                date.fromisoformat(label["date"])
            except ValueError:
                found.append(f"bad date {label['date']!r}")
        if label.get("event") == "premiere_window" and not label.get("window"):
            found.append("window label without window")
    return found


def _text_key(item: dict[str, Any]) -> str:
    text = f"{item.get('title') or ''} {item.get('summary') or ''}".lower()
    return _SPACE.sub(" ", text).strip()


def _clean(item: dict[str, Any], ident: str) -> dict[str, Any]:
    labels = [{key: label.get(key) for key in LABEL_KEYS} for label in item.get("labels") or []]
    for label in labels:
        if label["event"] != "premiere_date":
            label["date"] = None
        if label["event"] != "premiere_window":
            label["window"] = None
    cleaned = {key: item.get(key) for key in KEYS} | {"id": ident, "labels": labels}
    cleaned["doubt"] = bool(item.get("doubt"))
    cleaned["title"] = cleaned["title"] or ""
    cleaned["summary"] = cleaned["summary"] or ""
    return cleaned


def main(argv: list[str] | None = None) -> int:
    folders = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    corpus = read_items() if NEWS_CORPUS.exists() else []
    urls = {item["url"] for item in corpus}
    texts = {_text_key(item) for item in corpus}
    next_id = 1 + max((int(item["id"][1:]) for item in corpus), default=0)
    added = refused = duplicate = 0
    for folder in folders:
        for path in sorted(folder.glob("*.jsonl")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as error:
                    print(f"{path.name}:{number}: not JSON ({error})")
                    refused += 1
                    continue
                wrong = problems(item)
                if wrong:
                    print(f"{path.name}:{number}: refused: {'; '.join(wrong)}")
                    refused += 1
                    continue
                if item["url"] in urls or _text_key(item) in texts:
                    duplicate += 1
                    continue
                corpus.append(_clean(item, f"n{next_id:04d}"))
                urls.add(item["url"])
                texts.add(_text_key(item))
                next_id += 1
                added += 1
    NEWS_CORPUS.parent.mkdir(parents=True, exist_ok=True)
    with NEWS_CORPUS.open("w", encoding="utf-8") as out:
        for item in corpus:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"added {added}, duplicates skipped {duplicate}, refused {refused}; {len(corpus)} items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
