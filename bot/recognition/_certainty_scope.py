"""Whether a hedge bears on the news a phrase names. The sentence's cues (`Sentence.cues`)
say a hedge is somewhere in it; this reads one in the clause that leads up to the event
phrase: "the final season is expected to premiere in 2023", "Season 2 probably won't arrive
until 2024", "Rumours have been circulating that the seventh season will be its final".
The corpus labels such news a report or a guess however firmly the rest of the story puts
it (tests/data/README.md, rule 8), so a finding one of its sentences hedges so is at most a
report (`_certainty.certainty_of`). So is a premiere whose date or window is hedged so ("but
likely won't resurface until early 2019"), and news a sentence passes on as hearsay
(`hearsay`: an "alleged" leak, "insiders", "X understands that", a "...: Report" headline,
"according to X, the show is set to return").
An outlet named as the source ("Deadline reports", "according to Variety", "Variety has
learned", "Exclusive:") is not hearsay: the labels call a scoop stated flatly official."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.recognition._phrases import Phrase

# How far before a phrase a hedge still bears on it: about six words, within its clause.
_REACH = 48
# Words that open a clause of their own after a comma: a hedge before them bears on that
# clause's own verb, not on a phrase after them.
_CLAUSE = r"(?:and|but|while|whereas|given|since|because|as|though|although|which|who|when)"
# Hedges that bear on what follows them. Not "could" / "would" or "set to": on train they
# lead official news as often as reports ("will return, and could be the last", "is set to
# return this autumn"); nor a rumour named as past ("after rumors, Showtime announced") or
# "can't seem to".
_GOVERNING = re.compile(
    r"(?:"
    r"\b(?:is|are|was|were|be|being)\s+(?:still\s+|now\s+|widely\s+|also\s+)?expected\s+to\b"
    r"|\b(?:likely|unlikely|probably|possibly|reportedly|allegedly|apparently)\b"
    r"|\b(?:tipped|primed|rumou?red|believed|thought|understood|said)\s+to\b"
    r"|(?<!n't\s)(?<!not\s)\b(?:appears?|seems?)\s+(?:to|like|set|as\s+if)\b|\bwould\s+appear\b"
    r"|\bin\s+(?:early\s+|final\s+|advanced\s+)?talks\b|\bin\s+the\s+works\b"
    r"|\bnear(?:s|ing)?\s+(?:a\s+)?deal\b"
    r"|\b(?:it'?s|it\s+is|it\s+has\s+been|was|is|are|been)\s+rumou?red\b"
    r"|\brumou?rs?\s+(?:have|has|are|is|suggest\w*|say|claim\w*|that|the)\b|\bif\s+rumou?rs\b"
    r"|\bword\s+(?:has\s+it|is)\b"
    # The writer's own guess ("we tend to think", "so expect", "don't expect"); scoped, as
    # a guess at a date may share its sentence with news stated as done.
    r"|\b(?:we|i)\s+(?:tend\s+to\s+)?(?:think|suspect|reckon|imagine|expect|predict|guess|bet)\b"
    r"|\b(?:don'?t|so)\s+expect\b"
    r")"
    # Up to the phrase: no clause break, no aside ("the third - and possibly final -
    # season will premiere"), no clause of its own joined on ("spin-offs are in the
    # works, and we've got official confirmation of a season 2"; "this probably comes as
    # no shock, given that ...") and no confirmation ("rumours have now been confirmed").
    r"(?:(?!confirm|announc|official|\s[-\u2013\u2014]\s|[()]|,\s+" + _CLAUSE + r"\b)[^.;:!?])*$"
)


# News passed on rather than stated, wherever it stands in the sentence: the labels call it
# a report however firmly the sentence puts it. Not "it seems" (on train it mostly leads
# official news, a network's yearly renewals told with a shrug), nor "exclusive" or "has
# learned" (an outlet's own scoop, labelled official).
_HEARSAY = re.compile(
    r"\balleged\b|\binsiders?\b"
    r"|\bunderstands\s+that\b|\bit(?:'s|\s+is)\s+(?:now\s+)?understood\b"
    r"|\baccording\s+to\s+(?:\w+\s+){0,4}?(?:reports|sources|insiders)\b"
    r"|\bper\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?report\b|\breports?\s+(?:reveal|claim)"
    r"|\bit\s+would\s+appear\b|^(?:now,?\s+)?it\s+appears\b"
    # A headline that calls itself a report: "Show renewed for season 4: Report".
    r"|^report:|[:|\u2013\u2014-]\s*report[.!]?$|\(report\)[.!]?$"
    # What is "set to" happen, on someone else's word: a relayed plan, not a statement
    # ("According to a tabloid, the show is set to return").
    r"|\baccording\s+to\b[^.]*\b(?:set|poised|slated|due)\s+to\b"
    r"|\b(?:set|poised|slated|due)\s+to\b[^.]*\baccording\s+to\b"
)


# A word each of `_HEARSAY`'s forms holds: most sentences hold none, and finding that out
# with `in` costs a tenth of the search.
_HEARSAY_WORDS = ("alleged", "insider", "underst", "according", "report", "appear")


def hearsay(lower: str) -> bool:
    """Whether the lower-cased sentence passes its news on as hearsay (`_HEARSAY`)."""
    return any(word in lower for word in _HEARSAY_WORDS) and _HEARSAY.search(lower) is not None


# A word each of `_GOVERNING`'s hedges holds: most stretches before a phrase hold none, and
# finding that out with `in` costs a tenth of the search (which tries every hedge at every
# position).
_GOVERNING_WORDS = (
    "expect", "likely", "probabl", "possibl", "reportedly", "allegedly", "apparently",
    "tipped", "primed", "rumo", "believed", "thought", "understood", "said", "appear", "seem",
    "talks", "works", "deal", "word", "think", "suspect", "reckon", "imagine", "predict",
    "guess", "bet",
)  # fmt: skip


def _governs(lower: str, low: int, high: int) -> re.Match[str] | None:
    """`_GOVERNING.search(lower, low, high)`, not run where no hedge's word is."""
    if not any(map(lower[low:high].__contains__, _GOVERNING_WORDS)):
        return None
    return _GOVERNING.search(lower, low, high)


def hedges_value(lower: str, start: int) -> bool:
    """Whether the lower-cased sentence hedges the date or window that starts at `start`,
    in the words just before it, as `hedges_phrase` reads a phrase."""
    return _governs(lower, max(0, start - _REACH), start) is not None


def hedges_phrase(lower: str, phrases: Sequence[Phrase]) -> bool:
    """Whether the lower-cased sentence `lower` hedges the news one of its event
    `phrases` names, in the words just before it (read through the phrase, so that a
    phrase opening a clause of its own, "given that", is seen as one)."""
    for phrase in phrases:
        found = _governs(lower, max(0, phrase.start - _REACH), phrase.end)
        if found is not None and found.start() < phrase.start:  # not the phrase itself
            return True
    return False
