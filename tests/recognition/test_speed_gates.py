"""The cheap substring gates in front of costly patterns must never hide a match: each gated
pattern must answer as the plain union of its parts on every text of the corpora."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.recognition import _traps
from bot.recognition._text import normalise, split_sentences
from bot.recognition.scoring import read_corpus

_DATA = Path(__file__).resolve().parents[1] / "data"
_EXTRA = (
    "'The Bear' S3E4 Recap: Tomorrow",
    "'Severance' Season 2, Episode 7 Review",
    "Will 'Tracker' Return? Everything We Know About Season 3",
    "Is 'Ghosts' Renewed or Cancelled?",
    "'The Boys' Season 5: Release Date, Cast, Plot and What to Expect",
    "When Will 'Silo' Season 3 Premiere? Here's What We Know",
    "Hopes for a Fourth Season, Explained",
)


def _texts() -> list[str]:
    texts = list(_EXTRA)
    for name in ("announcements", "reference_headlines", "recognition_dev"):
        lines = (_DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        for item in read_corpus(lines):
            texts.append(normalise(str(item.get("title") or "")))
            texts.extend(split_sentences(normalise(str(item.get("summary") or ""))))
    return [text.lower() for text in texts]


@pytest.mark.parametrize("gates", [_traps._RECAP_TITLE, _traps._EXPLAINER_TITLE])
def test_title_gates_hide_no_match(
    gates: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...],
) -> None:
    union = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in gates))
    hits = 0
    for text in _texts():
        expected = union.search(text) is not None
        assert _traps._any_gate(gates, text) is expected, text
        hits += expected
    assert hits > 0
