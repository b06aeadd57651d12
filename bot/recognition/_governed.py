"""The season an event phrase governs: what it gives, ends or brings back ("has given The
Fall a third series", "ordered a second season of", "a second outing has been confirmed").
The event model reads it with the phrase's name (`_features`)."""

from __future__ import annotations

import re

from bot.recognition._phrases import Phrase
from bot.recognition._sentences import Sentence

# What ends the stretch a phrase governs: a clause's punctuation, or a dash set apart.
_CLAUSE_BREAK = re.compile(r"[.,;:!?\u2013\u2014]|\s-\s")
_OBJECT_REACH = 60  # characters between a phrase and the season it governs, at most


def governed(sentence: Sentence, phrase: Phrase) -> tuple[tuple[str, str], ...]:
    """The seasons a phrase governs, as (side, form): the nearest on each side within its
    clause with no other phrase between ("has given The Fall a third series", "ordered a
    second season of", "a second outing has been confirmed"). A season beside a phrase
    alone says little (tried); the phrase that takes it as its object says a season is
    what it gives, ends or brings back."""
    # Not kept per phrase on the sentence: a dict on every sentence cost the loaded bot
    # about 32 MiB of RSS (bench/memory.py); the sentence's seasons are read once.
    text, phrases = sentence.text, sentence.phrases
    before: tuple[str, str] | None = None
    after: tuple[str, str] | None = None
    for ref in sentence.season_refs:
        if ref.start >= phrase.end:
            low, high, side = phrase.end, ref.start, "after"
        elif ref.end <= phrase.start:
            low, high, side = ref.end, phrase.start, "before"
        else:
            continue
        if high - low > _OBJECT_REACH or _CLAUSE_BREAK.search(text, low, high):
            continue
        if any(low <= p.start and p.end <= high for p in phrases):
            continue
        key = (side, "final" if ref.final else ref.form.value)
        if side == "before":
            before = key  # the nearest: the last one before it
        elif after is None:
            after = key
    return tuple(key for key in (before, after) if key is not None)
