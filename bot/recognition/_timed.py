"""The date or window an event phrase times: what stands beside it in its clause ("to
return in 2016", "returns on March 15", "renewed for a sixth season to air in 2020").

One sentence often says two things at once, and the labels keep both: a revival told as
"X to return in 2016" is a renewal and a window; "will return on March 15" is a premiere
of a season renewed long ago. Which one a phrase with a value beside it says depends on
the phrase and on the value's kind, so the event model reads them together (`_features`),
as it reads the season a phrase governs (`_governed`).
"""

from __future__ import annotations

import re

from bot.recognition._phrases import Phrase
from bot.recognition._sentences import Sentence

# What ends the stretch a phrase times: a clause's punctuation, or a dash set apart.
_CLAUSE_BREAK = re.compile(r"[.;:!?()\u2013\u2014]|\s-\s")
_VALUE_REACH = 40  # characters between a phrase and the value it times, at most


def timed(sentence: Sentence, phrase: Phrase) -> tuple[tuple[str, str], ...]:
    """The values a phrase times, as (side, kind): the nearest date or window on each side
    within its clause and reach, kind "date" or the window's kind ("year", "month",
    "specific"). The sentence's values must have been read against its reference day
    (`Sentence.gives_values`, as `read_candidates` does for every sentence with a phrase);
    without one, a phrase times nothing. An ending phrase times its value too: "the final
    season premieres on April 14" is an ending and a premiere date."""
    if sentence._reference is None:
        return ()
    text = sentence.text
    values = [(ref.start, ref.end, "date") for ref in sentence._read_dates()]
    values += [(w.start, w.end, w.kind.value) for w in sentence._read_windows()]
    nearest: dict[str, tuple[int, str]] = {}  # side: (distance, kind)
    for start, end, kind in values:
        if start >= phrase.end:
            low, high, side = phrase.end, start, "after"
        elif end <= phrase.start:
            low, high, side = end, phrase.start, "before"
        else:
            continue
        if high - low > _VALUE_REACH or _CLAUSE_BREAK.search(text, low, high):
            continue
        held = nearest.get(side)
        if held is None or high - low < held[0]:
            nearest[side] = (high - low, kind)
    return tuple((side, nearest[side][1]) for side in ("before", "after") if side in nearest)
