"""What the reading of an entry skips: work that cannot change what it recognises."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Entry
from bot.recognition._candidates import read_candidates
from bot.recognition._model import shipped_model
from bot.recognition._reader import _worth
from bot.shows.catalogue import Catalogue

_PUBLISHED = datetime(2025, 3, 1, tzinfo=UTC)


def _entry(title: str, summary: str = "") -> Entry:
    return Entry(key="k", title=title, summary=summary, published=_PUBLISHED)


def test_a_premiere_phrase_without_a_date_or_window_is_not_analysed(
    catalogue: Catalogue,
) -> None:
    # "premieres" stands for a premiere only: with no date or window there is nothing to
    # propose, so the sentence is neither described nor given a proposal.
    entry = _entry("The Quiet Orchard premieres to strong ratings")
    for worth in (None, _worth(shipped_model())):
        reading = read_candidates(entry, catalogue, worth)
        assert reading.proposals == []
        assert not reading.sentences[0].described


def test_a_premiere_phrase_with_a_date_is_proposed(catalogue: Catalogue) -> None:
    entry = _entry("The Quiet Orchard premieres March 9 on Netflix")
    reading = read_candidates(entry, catalogue)
    assert [p.event for p in reading.proposals] == ["P"]
    sentence = reading.sentences[0]
    assert sentence.described
    assert [d.value.isoformat() for d in sentence.dates] == ["2025-03-09"]
