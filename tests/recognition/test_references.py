"""A sentence that refers to its show without naming it ("the network canceled the drama")
ties its event phrase to the names the title gives."""

from __future__ import annotations

from bot.models import Entry
from bot.recognition._candidates import read_candidates
from bot.shows.catalogue import Catalogue


def _options(title: str, summary: str, catalogue: Catalogue) -> dict[tuple[int, str], list[str]]:
    entry = Entry(key="x", title=title, summary=summary, link=None, published=None)
    reading = read_candidates(entry, catalogue)
    proposal = next(p for p in reading.proposals if p.event == "C" and p.sentence.index == 1)
    return {(o.sentence, o.span.name): o.extra for o in proposal.shows}


def test_a_reference_ties_the_phrase_to_the_titles_only_name(catalogue: Catalogue) -> None:
    options = _options(
        "It is goodbye for Harbor Lights",
        "The network has canceled the seaside drama after three seasons.",
        catalogue,
    )
    extra = options[(0, "Harbor Lights")]
    assert {"from_title|ref", "from_title|ref=drama", "from_title|ref_near"} <= set(extra)
    assert "from_title|none_local" in extra
    assert "from_title|whole=1" in extra


def test_words_inside_a_description_only_describe(catalogue: Catalogue) -> None:
    options = _options(
        "It is goodbye for Harbor Lights",
        "The network has canceled the Jane Doe-produced drama after three seasons.",
        catalogue,
    )
    assert "describing" in options[(1, "Jane Doe-produced")]
    assert "from_title|none_local" in options[(0, "Harbor Lights")]


def test_a_kind_word_before_a_name_is_no_reference(catalogue: Catalogue) -> None:
    options = _options(
        "It is goodbye for Harbor Lights",
        "The network has canceled the drama Silver Cove after three seasons.",
        catalogue,
    )
    extra = options[(0, "Harbor Lights")]
    assert "from_title|ref=drama" not in extra
    assert "from_title|none_local" not in extra
