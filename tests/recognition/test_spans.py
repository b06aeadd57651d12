"""Show-name spans: every candidate once, in order of offsets, with its tokens."""

from __future__ import annotations

import pytest

from bot.recognition._spans import Span, find_spans, tokenize
from bot.shows.catalogue import Catalogue


def _spans(text: str, catalogue: Catalogue, *, headline: bool) -> list[Span]:
    mentions = catalogue.find_mentions(text, include_doubtful=True)
    return find_spans(text, tokenize(text), mentions, headline=headline)


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Quiet Orchard Renewed For Season 2 At Netflix", True),
        ("Netflix renews 'The Quiet Orchard' and Stranger Things for a fifth season", False),
        ('HBO orders "Silver Harbor" after "Iron Crown" ends', False),
        ("Nothing capitalised here at all", False),
    ],
)
def test_spans_are_in_order_of_offsets_and_each_once(
    text: str, headline: bool, catalogue: Catalogue
) -> None:
    spans = _spans(text, catalogue, headline=headline)
    offsets = [(s.start, s.end) for s in spans]
    assert offsets == sorted(set(offsets))


def test_quoted_and_known_spans_cover_their_tokens(catalogue: Catalogue) -> None:
    text = "Netflix renews 'The Quiet Orchard' and Stranger Things for a fifth season"
    tokens = tokenize(text)
    spans = _spans(text, catalogue, headline=False)
    quoted = next(s for s in spans if s.quoted)
    known = next(s for s in spans if s.known)
    assert quoted.name == "The Quiet Orchard"
    assert known.known == "Stranger Things"
    for span in (quoted, known):
        words = [t.text for t in tokens[span.first : span.last + 1]]
        assert " ".join(words) == text[span.start : span.end].strip("'")
