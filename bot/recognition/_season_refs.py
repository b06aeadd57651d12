"""Season references as outlets write them: "season 2", "season two", "second season", "S2",
"fifth and final season", "final sixth season", "seasons 4 & 5", "after two seasons"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.case_blind import in_lower, lower_reads_alike
from bot.recognition._number_words import parse_number
from bot.recognition._season_patterns import SEASON_PATTERNS, SEASON_WORDS, SeasonForm

MAX_SEASON = 60  # larger numbers are years or counts of something else


@dataclass(frozen=True, slots=True)
class SeasonRef:
    """A season named in a text."""

    values: tuple[int, ...]  # empty when unnumbered; two or more for "seasons 4 & 5"
    start: int
    end: int
    form: SeasonForm
    final: bool = False  # "final season", "fifth and final season"
    preceded_by_after: bool = False  # "after season 5", "after its second season"
    negated: bool = False  # "no season 15", "there won't be a season 3"
    deictic: bool = False  # "this season", "the current season": the one just named
    aired: bool = False  # "its second season", "the show's third season": one already made
    # How a looser wording named it ("" for the usual ones): "run", "year" ... for the noun
    # ("a second run", "a fifth year"), "word" for a word between ("a second anime season",
    # "after three exciting seasons"). Either may be no season at all ("for the third year
    # in a row", "3 new series"), so the season model weighs them apart.
    loose: str = ""

    @property
    def value(self) -> int | None:
        """The first season number, if any."""
        return self.values[0] if self.values else None


_AFTER = re.compile(
    r"\b(?:after|following)\s+(?:its\s+|their\s+|the\s+|just\s+|only\s+|an?\s+)?"
    r"(?:upcoming\s+|current\s+|already-completed\s+|shortened\s+)?$",
    re.IGNORECASE,
)
_AIRED = re.compile(
    r"\b(?:response\s+to|reception\s+(?:of|to)|ratings\s+(?:of|for)|after|during|since"
    r"|following)\s+(?:its|their|the\s+show's|the\s+series')\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_FRESHMAN_SHOW = re.compile(
    r"(?:freshman|sophomore)\s+(?:series|drama|comedy|show|sitcom|thriller|procedural|dramas"
    r"|comedies|shows)",
    re.IGNORECASE,
)
# "Given how long season 2 took": a season spoken of in the past tense has aired.
_PAST_AFTER = re.compile(
    r"(?:'s)?\s+(?:took|aired|ran|was|were|premiered|debuted|ended|wrapped|finished|had|drew"
    r"|got|earned|averaged)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(?:no|(?:won't|will\s+not|wont)\s+be\s+an?|not\s+getting\s+an?|rather\s+than\s+an?)\s+$",
    re.IGNORECASE,
)
_FINAL_FIRST = re.compile(r"(?:final|last)\b", re.IGNORECASE)
_EPISODE = re.compile(r"\s*(?:,\s*)?(?:episode|ep\b|ep\.|e\d)", re.IGNORECASE)


def find_seasons(text: str) -> list[SeasonRef]:
    """Season references in `text`, left to right, without overlaps (earlier patterns in
    the table win a tie on position, so "seasons 4 & 5" is one reference)."""
    found: list[SeasonRef] = []
    taken: list[tuple[int, int]] = []
    lower = text.lower()
    occurrences: dict[str, list[int]] = {}
    for word in SEASON_WORDS.finditer(lower):
        occurrences.setdefault(word.group(), []).append(word.start())
    if not occurrences:
        return []
    stretches, steps = _plan(frozenset(occurrences))
    # Each pattern runs only around an occurrence of its word, not over the whole text
    # (most sentences have no season word at all); the last stretch is the whole text.
    windows = [_windows_around(len(lower), *s, occurrences) for s in stretches]
    windows.append([(0, len(text))])
    # The patterns read the lower-case text where that is exact.
    fast = lower_reads_alike(text, lower)
    for pattern, sighted, form, stretch in steps:
        searched = text
        if fast and sighted is not None:
            pattern, searched = sighted, lower
        for low, high in windows[stretch]:
            # `finditer`'s matches (none is empty), without its iterator: most windows
            # hold no match, found in one call.
            match = pattern.search(searched, low, high)
            while match is not None:
                start, end = match.span()
                if not any(start < t_end and t_start < end for t_start, t_end in taken):
                    ref = _season_ref(text, match, form)
                    if ref is not None:
                        found.append(ref)
                        taken.append((start, end))
                match = pattern.search(searched, end, high)
    found.sort(key=lambda r: r.start)
    return found


def _keyed(keys: str) -> tuple[tuple[str, ...], int, int] | None:
    """The words of a `SEASON_PATTERNS` key and how far its stretch reaches before and
    after each: a leading "<" says the phrase ends at the word, ">" that it starts there
    (give or take a prefix such as "final"), so the stretch need only reach one way; "*"
    that it runs over the whole text (None)."""
    if keys[:1] == "*":
        return None
    before, after = {"<": (48, 2), ">": (14, 44)}.get(keys[:1], (48, 44))
    return tuple(keys.lstrip("<>").split("|")), before, after


# Parsed once: the table is walked for every sentence.
_Stretch = tuple[tuple[str, ...], int, int]  # key words, and reach before and after each
_KEYED_PATTERNS = tuple(
    (pattern, in_lower(pattern), form, frozenset(keys.lstrip("<>*").split("|")), _keyed(keys))
    for pattern, form, keys in SEASON_PATTERNS
)


# The patterns that can match in a text holding some key words, in table order, each with
# its form for the lower-case text (None: it reads the text as written) and the index of the
# stretch it runs in: one of the plan's stretches (the key words present, and the reach
# around each), or one past them (the whole text).
_Step = tuple[re.Pattern[str], re.Pattern[str] | None, SeasonForm, int]
_Plan = tuple[tuple[_Stretch, ...], tuple[_Step, ...]]
_PLANS: dict[frozenset[str], _Plan] = {}


def _plan(present: frozenset[str]) -> _Plan:
    """The plan for a text holding these key words, made once per set of them (a few
    dozen occur). Patterns whose present key words and reach are the same share windows."""
    plan = _PLANS.get(present)
    if plan is not None:
        return plan
    stretches: dict[_Stretch, int] = {}
    steps: list[tuple[re.Pattern[str], re.Pattern[str] | None, SeasonForm, int | None]] = []
    for pattern, sighted, form, words, keyed in _KEYED_PATTERNS:
        if present.isdisjoint(words):
            continue
        at = None
        if keyed is not None:
            keys, before, after = keyed
            stretch = (tuple(key for key in keys if key in present), before, after)
            at = stretches.setdefault(stretch, len(stretches))
        steps.append((pattern, sighted, form, at))
    whole = len(stretches)
    placed = tuple((p, s, f, whole if at is None else at) for p, s, f, at in steps)
    plan = _PLANS[present] = (tuple(stretches), placed)
    return plan


def _windows_around(
    length: int,
    keys: tuple[str, ...],
    before: int,
    after: int,
    occurrences: dict[str, list[int]],
) -> list[tuple[int, int]]:
    """Stretches of text around each occurrence of `keys` (all present), wide enough for
    any season phrase that contains the word ("the twenty-first and final season"),
    merged."""
    spans = [
        (max(0, index - before), min(length, index + len(key) + after))
        for key in keys
        for index in occurrences[key]
    ]
    if len(spans) <= 1:
        return spans
    spans.sort()
    merged: list[tuple[int, int]] = []
    for low, high in spans:
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _season_ref(text: str, match: re.Match[str], form: SeasonForm) -> SeasonRef | None:
    groups = match.groupdict()
    values: list[int] = []
    for name in ("a", "b", "c", "d"):
        raw = groups.get(name)
        if raw is None:
            continue
        number = parse_number(raw)
        if number is None or not 0 < number <= MAX_SEASON:
            return None
        values.append(number)
    if form is not SeasonForm.UNNUMBERED and not values:
        return None
    if len(values) == 2 and values[1] > values[0]:
        values = list(range(values[0], values[1] + 1))
    if _EPISODE.match(text, match.end()):
        return None
    final = any(groups.get(name) for name in ("fin", "fin1", "fin2", "fin3")) or bool(
        _FINAL_FIRST.match(match.group())
    )
    after = bool(_AFTER.search(text, max(0, match.start() - 40), match.start()))
    negated = bool(_NEGATED.search(text, max(0, match.start() - 30), match.start()))
    deictic = bool(groups.get("deixis"))
    aired = (
        bool(_AIRED.search(text, max(0, match.start() - 40), match.start()))
        or bool(_FRESHMAN_SHOW.match(match.group()))
        or bool(_PAST_AFTER.match(text, match.end()))
    ) and not final
    loose = groups.get("loose")
    if loose is not None:
        loose = loose.lower().rstrip("s") if loose.lower().rstrip("s") in _LOOSE_NOUNS else "word"
    return SeasonRef(
        tuple(values),
        match.start(),
        match.end(),
        form,
        final,
        after,
        negated,
        deictic,
        aired,
        loose or "",
    )


_LOOSE_NOUNS = frozenset(("run", "year", "edition", "cycle", "chapter"))
