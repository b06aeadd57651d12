"""What the entry as a whole says: whether it is news of an event at all, read from its
title's and lede's words and word pairs, apart from any one phrase.

The event model judges one phrase in its sentence; the item model judges the entry ("is
this a renewal story?"), one linear model per event letter, trained on every train item
with a proposal of that event (positive when a label has the event). Its log-odds are added
to each finding's, scaled by ITEM_WEIGHT: a plain renewal headline's phrase gains, a recap
or an explainer that mentions a renewal in passing loses. Word pairs ("not_renewed",
"season_2", "will_return") help here (out of fold, the item model without them reached
0.6749 at best), though in the event model they added nothing: its phrase, negation and
hedge features already say what they would of one sentence.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise

from bot.recognition._model import LinearModel, probability
from bot.recognition._sentences import _LEDE, Sentence

# How much the entry's view moves a finding's log-odds. Out of fold (three seeds, the
# folds' other models fixed, every word pair kept), 0.3 / 0.4 / 0.5 / 0.6 / 0.8 gave F0.75
# 0.6765 / 0.6774 / 0.6769 / 0.6764 / 0.6750, against 0.6735 without it.
ITEM_WEIGHT = 0.4
_PAIR_WORD = re.compile(r"[a-z0-9']+")


def item_features(sentences: list[Sentence], entry_features: list[str]) -> list[str]:
    """The features every event's item model reads of an entry (its proposals' count
    apart: `item_score` adds it): the title's words and word pairs, the lede's, and what
    kind of story the entry is."""
    found = {f"t={word}" for word in sentences[0].words}
    found.update(_pairs("tb", sentences[0]))
    for sentence in sentences[1 : _LEDE + 1]:
        found.update(f"l={word}" for word in sentence.words)
        found.update(_pairs("lb", sentence))
    found.update(entry_features)
    return sorted(found)


def _pairs(prefix: str, sentence: Sentence) -> list[str]:
    words = _PAIR_WORD.findall(sentence.lower)
    return [f"{prefix}={a}_{b}" for a, b in pairwise(words)]


def count_feature(count: int) -> str:
    """The feature that says how many proposals of its event an entry makes (4 or more as one)."""
    return f"count={min(count, 4)}"


def item_score(linear: LinearModel, features: list[str], count: int) -> float:
    """The item model's log-odds that the entry is news of its event, given the entry's
    `features` and how many proposals of the event it makes."""
    return linear.score(features) + linear.weights.get(count_feature(count), 0.0)


def with_item(chance: float, score: float) -> float:
    """A finding's `chance` moved by the entry's view (`item_score`'s log-odds)."""
    if score == 0.0:  # a model without an item model
        return chance
    if chance >= 1.0:
        return 1.0
    if chance <= 0.0:
        return 0.0
    return probability(math.log(chance / (1.0 - chance)) + ITEM_WEIGHT * score)
