"""Event phrases: the words that may carry news of a renewal, a cancellation, an ending or a
premiere. They only *propose*: a phrase is a candidate, and the learned model decides from
its context whether the sentence really announces anything. So the lexicon is deliberately
broad ("order", "set", "back", "date"), and a phrase names every event it could stand for.

Events are one letter each: R renewed, C cancelled, E ending, P premiere (a date or a
window, decided by which value the sentence holds)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress, count

from bot.memo import Memo

# (name, events, pattern) in priority order: at one position the first that matches wins,
# so the longer, more specific phrases come before their parts ("not renewed" before
# "renewed", "returns for" before "returns").
_LEXICON: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "not_renew",
        "C",
        (
            r"(?:not|\w*n't|never|decline[sd]?\s+to|opt(?:s|ed)?\s+not\s+to|(?:decided?\s+)?against)"
            r"\s+(?:to\s+)?(?:be\s+|get\s+|been\s+)?(?:renew\w*|bring(?:ing)?\s+back"
            r"|pick(?:ing|ed)?\s+(?:it\s+|them\s+)?up|reviv\w*|continu(?:e|ing))",
        ),
    ),
    (
        "not_return",
        "C",
        (
            r"(?:will\s+not|not|\w*n't|never)\s+(?:be\s+)?(?:return\w*|com(?:e|ing)\s+back|be\s+back|back)",
        ),
    ),
    (
        "not_forward",
        "C",
        (
            r"not\s+(?:be\s+)?(?:moving|going|go|move)\s+forward",
            r"won't\s+(?:be\s+)?mov\w+\s+forward",
        ),
    ),
    ("no_more", "C", (r"no\s+(?:more|season|series|further)\b",)),
    ("plug", "C", (r"pull(?:s|ed|ing)?\s+the\s+plug",)),
    ("cancel", "C", (r"cancel(?:s|ed|led|ing|ling|lation|lations)?", r"un-?cancel\w*")),
    ("axe", "C", (r"ax(?:e|es|ed|ing)?",)),
    (
        "scrap",
        "C",
        (
            r"scrap(?:s|ped|ping)?",
            r"shelve[sd]?",
            r"ditch(?:es|ed)?",
            r"dump(?:s|ed)?",
            r"binn?(?:s|ed)",
        ),
    ),
    (
        "chop",
        "C",
        (
            r"chop(?:ped|ping)?",
            r"cull(?:s|ed)?",
            r"canned",
            r"kill(?:s|ed)?",
            r"boot(?:ed)?",
            r"nix(?:es|ed)?",
            r"k[ia]bosh",
        ),
    ),
    ("reverse", "C", (r"revers(?:e|es|ed|ing|al)", r"u-?turn")),
    ("drop", "CP", (r"drop(?:s|ped|ping)?",)),
    (
        "over",
        "CE",
        (
            r"is\s+over",
            r"(?:come|comes|came|coming)\s+to\s+an?\s+(?:end|close)",
            r"end\s+of\s+the\s+road",
        ),
    ),
    ("final", "E", (r"final", r"farewell", r"swan\s+song")),
    ("last", "E", (r"last",)),
    (
        "end",
        "EC",
        (
            r"end(?:s|ed|ing)?",
            r"conclu(?:de|des|ded|ding|sion)",
            r"wrap(?:s|ped|ping)?(?:\s+up)?",
            r"sign(?:s|ing)?\s+off",
            r"bow(?:s|ing)?\s+out",
        ),
    ),
    ("renew", "R", (r"renew(?:s|ed|ing|al|als)?", r"re-?up(?:s|ped)?")),
    ("pickup", "R", (r"pick(?:s|ed|ing)?\s+(?:it\s+|them\s+)?up", r"pick-?ups?")),
    ("greenlight", "R", (r"green-?\s?l(?:ight|it)\w*", r"greenlit", r"greenlights?")),
    ("order", "R", (r"order(?:s|ed|ing)?",)),
    ("commission", "R", (r"(?:re-?)?commission(?:s|ed|ing)?",)),
    (
        "revive",
        "R",
        (
            r"reviv(?:e|es|ed|al|ing)",
            r"rescue[sd]?",
            r"sav(?:e|es|ed|ing)",
            r"resurrect\w*",
            r"bring(?:s|ing)?\s+back",
            r"brought\s+back",
        ),
    ),
    (
        "move",
        "R",
        (
            r"mov(?:e|es|ed|ing)\s+(?:over\s+)?to",
            r"heads?\s+to",
            r"jump(?:s|ed)?\s+to",
            r"shift(?:s|ed)?\s+to",
            r"new\s+home",
        ),
    ),
    (
        "return_for",
        "R",
        (r"(?:return(?:s|ing)?|back|coming\s+back|come\s+back|comes\s+back)\s+for",),
    ),
    (
        "gets",
        "R",
        (
            r"gets?",
            r"got",
            r"getting",
            r"lands?",
            r"landed",
            r"earns?",
            r"earned",
            r"scores?",
            r"scored",
            r"secures?",
            r"secured",
            r"nabs?",
            r"nabbed",
            r"receives?",
            r"received",
            r"given",
            r"handed",
            r"grants?",
            r"granted",
        ),
    ),
    (
        "confirm",
        "RP",
        (
            r"confirm(?:s|ed|ing|ation)?",
            r"official(?:ly)?",
            r"announce[sd]?",
            r"announcing",
            r"reveal(?:s|ed)?",
            r"unveil(?:s|ed)?",
        ),
    ),
    ("happening", "R", (r"happening", r"on\s+the\s+way", r"in\s+the\s+works", r"in\s+development")),
    ("premiere", "P", (r"premi[eè]r(?:e|es|ed|ing)",)),
    ("debut", "P", (r"debut(?:s|ed|ing)?",)),
    (
        "return",
        "PR",
        (
            r"return(?:s|ed|ing)?",
            r"comeback",
            r"com(?:e|es|ing)\s+back",
            r"came\s+back",
        ),
    ),
    ("release", "P", (r"release(?:s|d)?", r"date[sd]?")),
    ("arrive", "P", (r"arriv(?:e|es|ed|ing|al)",)),
    ("launch", "P", (r"launch(?:es|ed|ing)?", r"roll(?:s|ed)?\s+out")),
    ("air", "P", (r"air(?:s|ed|ing)?", r"broadcast\w*", r"transmi\w+")),
    ("stream", "P", (r"stream(?:s|ed|ing)?",)),
    (
        "coming",
        "RP",
        (
            r"coming",
            r"back",
            r"hit(?:s|ting)?",
            r"bows?",
            r"kick(?:s|ing)?\s+off",
            r"begin\w*",
            r"start\w*",
            r"open(?:s|ing)?",
        ),
    ),
    ("wait", "P", (r"wait(?:s|ed|ing)?", r"wait\s+until", r"hold\s+out")),
    (
        "slated",
        "P",
        (
            r"sets?",
            r"slated",
            r"scheduled",
            r"due",
            r"expected",
            r"poised",
            r"tipped",
            r"pencil+ed",
            r"planned",
        ),
    ),
)


def _lexicon_pattern(first: str | None = None) -> re.Pattern[str]:
    """The lexicon as one alternation, in priority order; with `first`, only the words that
    may start with that character (`_may_begin`). At a position where `first` stands the
    two find the same match: the words left out cannot match there."""
    groups = [
        (name, [word for word in words if first is None or _may_begin(word, first)])
        for name, _, words in _LEXICON
    ]
    return re.compile(
        # Not inside a word ("o'clock"), but a quoted word counts ("has been 'axed'").
        r"(?<![\w-])(?<!\w')(?:"
        + "|".join(f"(?P<{name}>{'|'.join(words)})" for name, words in groups if words)
        + r")(?![\w-])"
    )


def _may_begin(word: str, first: str) -> bool:
    """Whether the lexicon's pattern `word` may match a text that starts with `first`: not
    if it starts with another letter that no quantifier makes optional ("cancel(?:s|ed)"
    starts with "c"); a word that starts otherwise ("(?:not|never)") may start anyhow."""
    lead = word[0]
    if not lead.isalpha() or word[1:2] in ("?", "*", "{", "+"):
        return True
    return lead == first


_PATTERN = _lexicon_pattern()
# Per first character, the alternation of the words that may start with it: a dozen or so
# instead of 120, tried at each word that may start a phrase.
_BY_FIRST: dict[str, re.Pattern[str]] = {}
_WORD = re.compile(r"[^\W_](?:[\w'&+.\-]*[\w+])?")
_MATCHED = re.Match.group  # a match's whole text, as a function `map` calls in C
# A renewal phrase may also carry a premiere ("will return for more episodes next year",
# "picks up a second season to air in 2025"): where its sentence holds a date or a window,
# it proposes one, and the model decides.
_EVENTS = {name: events + "P" if events == "R" else events for name, events, _ in _LEXICON}
PHRASE_NAMES = tuple(name for name, _, _ in _LEXICON)


@dataclass(frozen=True, slots=True)
class Phrase:
    """An event phrase in a sentence: its lexicon name, the events it may stand for, and
    where it is (offsets in the lower-cased sentence, which match the sentence's)."""

    name: str
    events: str
    start: int
    end: int
    text: str


# A phrase starts at a word: either one of the single-word alternatives, or the first word
# of a longer one. Testing each word (cached) and matching only where one may start is many
# times cheaper than scanning the whole alternation at every character.
_SINGLE = re.compile(
    "|".join(word for _, _, words in _LEXICON for word in words if "\\s" not in word)
)
_MULTI_FIRST = re.compile(
    r"not|never|declined?|declines|opts?|opted|\w*n't|will|no|against|decided?|pull(?:s|ed|ing)?|is|come|comes"
    r"|came|coming|end|swan|wrap(?:s|ped|ping)?|sign(?:s|ing)?|bow(?:s|ing)?|pick(?:s|ed|ing)?"
    r"|green[\w-]*|bring(?:s|ing)?|brought|mov(?:e|es|ed|ing)|heads?|jump(?:s|ed)?|shift(?:s|ed)?"
    r"|new|return(?:s|ing)?|back|on|in|roll(?:s|ed)?|kick(?:s|ing)?|wait|hold"
)


def _starts_phrase(word: str) -> bool:
    return bool(_SINGLE.fullmatch(word) or _MULTI_FIRST.fullmatch(word))


# Whether a phrase may start at a word, per word (a dict look-up in C: `Memo`).
_MAY_START = Memo(_starts_phrase, 65536)


def find_phrases(
    lower: str, matches: list[re.Match[str]] | None = None, words: list[str] | None = None
) -> list[Phrase]:
    """Event phrases in a lower-cased sentence, left to right, without overlaps. `matches`
    are its words' matches and `words` their text, when the caller has them."""
    if matches is None:
        matches = list(_WORD.finditer(lower))
    if words is None:
        words = list(map(_MATCHED, matches))
    found: list[Phrase] = []
    end = 0
    # The words a phrase may start at, picked out in C (most words are not one).
    for at in compress(count(), map(_MAY_START.__getitem__, words)):
        offset = matches[at].start()
        if offset < end:
            continue
        first = lower[offset]
        pattern = _BY_FIRST.get(first)
        if pattern is None:
            pattern = _lexicon_pattern(first)
            if len(_BY_FIRST) < 256:  # letters and digits: a word may start with any
                _BY_FIRST[first] = pattern
        match = pattern.match(lower, offset)
        if match is None:
            continue
        name = match.lastgroup
        assert name is not None
        found.append(Phrase(name, _EVENTS[name], match.start(), match.end(), match.group()))
        end = match.end()
    return found
