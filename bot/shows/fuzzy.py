"""Fuzzy matching of loose keys for `ShowIndex` (lookup.py): the measure (`score`, and
`score_all` in bulk) and the shortlist of an index's keys worth scoring with it."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from rapidfuzz import fuzz, process

_SHORTLIST = 64  # keys kept from the edit-distance pass
_NEAR_WORD = 80.0  # a query word this close to a catalogue word counts as that word
_MAX_PREFIX_WORDS = 32  # catalogue words taken for one query-word prefix
_COMMON_WORD = 200  # words on more keys than this say too little to shortlist by
_ALIKE_WORD = 67.0  # a typed word this close to a word of the name may be its misspelling
_ALIKE_KEY = 80.0  # or the whole text this close to the whole name ("gameofthrones")


def shortlist(
    key: str,
    choices: list[str],
    postings: dict[str, list[int]],
    vocab: dict[int, list[str]],
    vocab_sorted: list[str],
) -> set[int]:
    """Choices worth scoring in full: the nearest by plain edit ratio, and those
    sharing a word, a near-miss word or a word prefix with the query."""
    near = process.extract(key, choices, scorer=fuzz.ratio, limit=_SHORTLIST, score_cutoff=40)
    chosen = {index for _, _, index in near}
    for token in set(key.split()):
        words = {token} if token in postings else set()
        if len(token) >= 4:
            for length in _near_lengths(len(token)):
                similar = process.extract(
                    token,
                    vocab.get(length, ()),
                    scorer=fuzz.ratio,
                    score_cutoff=_NEAR_WORD,
                    limit=None,
                )
                words.update(word for word, _, _ in similar)
        if len(token) >= 3:
            at = bisect.bisect_left(vocab_sorted, token)
            for word in vocab_sorted[at : at + _MAX_PREFIX_WORDS]:
                if not word.startswith(token):
                    break
                words.add(word)
        for word in words:
            posting = postings.get(word, [])
            if len(posting) <= _COMMON_WORD:
                chosen.update(posting)
    return chosen


def score_all(key: str, keys: list[str]) -> list[float]:
    """`score` of `key` against each of `keys`, in bulk."""
    scores = [0.0] * len(keys)
    halves = ((fuzz.WRatio, 0.5), (fuzz.ratio, 0.5))
    for scorer, weight in halves:
        for _, value, position in process.extract(key, keys, scorer=scorer, limit=None):
            scores[position] += weight * value
    for _, value, position in process.extract(key, keys, scorer=fuzz.token_sort_ratio, limit=None):
        scores[position] = max(scores[position], value)
    return scores


def nearest(key: str, spellings: list[list[str]], count: int) -> list[int]:
    """The positions of the `count` entries of `spellings` (each a show's loose keys) that
    come nearest to `key` by plain or word-order edit ratio, nearest first (ties by
    position): the cheap part of `score`, to pick the few worth scoring in full. WRatio,
    the costly part, mostly adds the same credit to every name that contains the query,
    so the full score's best shows are nearly always among these."""
    if len(spellings) <= count:
        return list(range(len(spellings)))
    keys = [spelling for keys in spellings for spelling in keys]
    owners = [at for at, keys in enumerate(spellings) for _ in keys]
    best = [0.0] * len(spellings)
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        for _, value, position in process.extract(key, keys, scorer=scorer, limit=None):
            best[owners[position]] = max(best[owners[position]], value)
    return sorted(range(len(spellings)), key=lambda at: -best[at])[:count]


def score(query: str, key: str) -> float:
    """How well `query` matches one key (both loose keys), 0-100: the mean of WRatio
    (credits a query that is part of a longer name, e.g. a spin-off) and plain ratio (how
    much of the whole name it covers, so "citadle" prefers Citadel to Citadel: Diana), or
    the token-sort ratio when higher (word order never matters). `score_all` computes the
    same in bulk, as `ShowIndex` does."""
    halves = (fuzz.WRatio(query, key) + fuzz.ratio(query, key)) / 2
    return max(halves, fuzz.token_sort_ratio(query, key))


def _near_lengths(length: int) -> range:
    """The lengths of the words that can be `_NEAR_WORD` (80) close by edit ratio to a
    word of `length`: the ratio is 2·LCS / (a + b) ≤ 2·min / (min + max), so it needs
    3·min ≥ 2·max; the others are not compared at all."""
    return range(-(-2 * length // 3), 3 * length // 2 + 1)


def spelled_alike(key: str, spellings: Iterable[str], ignore: frozenset[str]) -> bool:
    """Whether `key` reads as one of a show's `spellings` (loose keys) typed with slips:
    each word of it that says something (not in `ignore`, not a number) is near a word of
    that spelling, or the whole is near the whole. `score` alone rates another title that
    shares a word just as high ("iron witness" / "silent witness")."""
    words = [w for w in key.split() if w not in ignore and not w.isdigit()]
    for spelling in spellings:
        theirs = spelling.split()
        if fuzz.ratio(key, spelling) >= _ALIKE_KEY or all(
            any(fuzz.ratio(word, their) >= _ALIKE_WORD for their in theirs) for word in words
        ):
            return True
    return False
