"""Find the show a user means from what they typed: `/when citadle`, autocomplete.

Matching works on name keys (see `bot.shows.names.name_key`), so case, accents,
punctuation and a leading article never matter. A second, "loose" key also ignores the
subtitle colon, so "citadel diana" is exactly "Citadel: Diana".

`ShowIndex.lookup` answers in tiers, first hit wins:

1. the name key of a show's name, then of an alias owned by exactly one show;
2. the same with loose keys;
3. fuzzy matching (rapidfuzz, see `score` in fuzzy.py): the best show is taken only when
   it scores at least `CONFIDENT`, beats the next show by `MARGIN` and reads as the text
   typed with slips (`spelled_alike`: "Iron Witness" is another title, not a misspelling of
   "Silent Witness"); otherwise the close shows are returned as did-you-mean candidates,
   never a guess.

Fuzzy matching first shortlists keys cheaply (plain edit-distance ratio over every key, and
the keys sharing a word, a near-miss word or a word prefix with the query), then scores
only the shortlist: WRatio over 10,000+ shows would take ~10 ms a query.

A `ShowIndex` may stand in front of a `CompactIndex` (`more`): the big, lean index of the
shows only TVmaze knows of (see compact.py). Each tier then asks both, this index first,
and fuzzy scores from both are ranked together, so a mirror show is found as any other.

Results are deterministic for a given index: ties are broken by name key, then name. The
fuzzy results of the last few query keys are remembered until the index changes (/when
usually follows autocomplete of the same text), and what only prefix and fuzzy matching
read may wait for the first query needing it (`words=False`).
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.models import Show
from bot.shows.compact import CompactIndex
from bot.shows.fuzzy import spelled_alike
from bot.shows.name_words import NameWords
from bot.shows.names import loose_key, loose_of_key, name_key

__all__ = ["CONFIDENT", "MARGIN", "LookupResult", "ShowIndex", "loose_key"]

CONFIDENT = 75.0  # a fuzzy score this high may be taken as the answer...
MARGIN = 5.0  # ...when the next show scores at least this much less
_CANDIDATE_CUTOFF = 60.0  # did-you-mean suggestions score at least this
_SUGGEST_CUTOFF = 55.0  # autocomplete is more forgiving: the user is still typing
_MAX_CANDIDATES = 5
_FUZZY_SUGGEST_FROM = 3  # characters typed before autocomplete tries fuzzy matches
_RECENT_QUERIES = 256  # query keys whose fuzzy results are kept
_RECENT_PREFIXES = 16  # prefix scans kept (one keystroke asks for a few, each two or three times)


# Words that name no show on their own: a query of only these is never a confident match
# ("the" must not find "Luther").
_FILLER_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "show", "series", "tv"})


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What a user's text names: `show` when one show is meant with confidence, else
    `candidates` to offer ("did you mean"), best first; both empty when nothing is close."""

    show: Show | None = None
    candidates: tuple[Show, ...] = ()


class ShowIndex:
    """An in-memory index of show names and aliases for user lookups and autocomplete.

    Build it once from the catalogue and `add` shows as the bot learns them. A show is
    identified by the name key of its name: adding one with a known key replaces it.
    """

    def __init__(
        self,
        shows: Iterable[Show] = (),
        *,
        more: CompactIndex | None = None,
        words: bool = True,
    ) -> None:
        """`words=False` leaves out what only prefix and fuzzy matching read (word
        postings, suffixes) until the first query that needs them, or `prepare`: a command
        that answers one exact name (`python -m bot when citadel`) never pays for them."""
        self._more = more
        self._words_ready = words
        self._index(list(shows))

    def _index(self, shows: list[Show]) -> None:
        """Index `shows` afresh, as one batch (appended, then sorted once: faster than
        inserting each in place)."""
        self._shows: list[Show] = []
        self._slot: dict[str, int] = {}  # name key of the name -> position in _shows
        self._order_keys: list[tuple[str, str]] = []  # tie-break order of each slot
        self._name_keys: list[tuple[str, str]] = []  # name key and loose key of each name
        self._exact: dict[str, list[int]] = {}  # name key of name/alias -> slots
        self._loose: dict[str, list[int]] = {}  # loose key of name/alias -> slots
        self._alphabetical: list[int] | None = None
        # Fuzzy results of recent query keys, with the cutoff they were computed at (a
        # user's /when follows autocomplete of the same text); emptied by any change.
        self._recent: OrderedDict[str, tuple[float, list[tuple[int, float]]]] = OrderedDict()
        # Prefix scans of the last few keys: an autocomplete asks for each in `filled`,
        # `prepare_suggest` and `suggest` (twice when typos are searched); emptied by any
        # change, as `_recent` is.
        self._prefixes: dict[tuple[str, bool, int], list[int]] = {}
        self._clear_words()
        for show in shows:
            self._store(show)
        if self._words_ready:
            self._words.finish()

    def _clear_words(self) -> None:
        self._words = NameWords()

    def prepare(self) -> None:
        """Build what prefix and fuzzy matching read, if `words=False` left it out; the
        same structures, in the same order, as building with the words."""
        if self._words_ready:
            return
        self._words_ready = True
        self._clear_words()
        for slot, show in enumerate(self._shows):
            self._words.add(slot, _loose_spellings(show), insort=False)
        self._words.finish()

    def __len__(self) -> int:
        return len(self._shows)

    def replace(self, before: Show, after: Show) -> None:
        """Put `after` where `before` was (a show renamed upstream); `add` when absent."""
        slot = self._slot.get(name_key(before.name))
        if slot is None:
            self.add(after)
            return
        shows = list(self._shows)
        shows[slot] = after
        self._index(shows)

    @property
    def shows(self) -> tuple[Show, ...]:
        """Every indexed show, in the order added."""
        return tuple(self._shows)

    def add(self, show: Show) -> None:
        """Index a new show, or replace the show with the same name key."""
        slot = self._slot.get(name_key(show.name))
        if slot is None:
            self._store(show, insort=True)
            return
        if self._shows[slot] == show:
            return
        # Replacing is rare (a renamed alias list); rebuilding keeps removal out of the
        # hot structures.
        shows = list(self._shows)
        shows[slot] = show
        self._index(shows)

    def _store(self, show: Show, *, insort: bool = False) -> None:
        slot = len(self._shows)
        own = name_key(show.name)
        self._shows.append(show)
        self._slot[own] = slot
        self._order_keys.append((own, show.name))
        self._name_keys.append((own, loose_of_key(own)))
        self._alphabetical = None
        self._recent.clear()
        self._prefixes.clear()
        looses: dict[str, None] = {}  # distinct loose keys of its spellings, in order
        for index, spelling in enumerate((show.name, *show.aliases)):
            key = own if index == 0 else name_key(spelling)
            if not key:
                continue
            _append_once(self._exact.setdefault(key, []), slot)
            loose = loose_of_key(key)
            _append_once(self._loose.setdefault(loose, []), slot)
            looses[loose] = None
        if self._words_ready:
            self._words.add(slot, looses, insort=insort)

    def get(self, name: str) -> Show | None:
        """The show whose name, or single owner's alias, has the name key of `name`."""
        winner, _ = self._exact_match(name, loose=False)
        return None if winner is None else self._shows[winner]

    def _exact_match(self, text: str, *, loose: bool = True) -> tuple[int | None, list[int]]:
        """The slots whose name or alias has the key of `text` (then its loose key): the
        one meant, if any (a name beats another show's alias; an alias must have one
        owner), and all of them."""
        tiers = [(self._exact, name_key(text), 0)]
        if loose:
            tiers.append((self._loose, loose_key(text), 1))
        for table, probe, kind in tiers:
            slots = table.get(probe) if probe else None
            if not slots:
                continue
            named = [slot for slot in slots if self._name_keys[slot][kind] == probe]
            if named:
                return named[0], slots
            return (slots[0] if len(slots) == 1 else None), slots
        return None, []

    def named(self, text: str) -> Show | None:
        """The show `text` names exactly in this index (the first tier of `lookup`)."""
        winner, _ = self._exact_match(text)
        return None if winner is None else self._shows[winner]

    def prepare_lookup(self, text: str) -> None:
        """Score now, in memory, what `lookup(text)` would (remembered with the recent
        results), e.g. while the store is searched for the same text; nothing when an exact
        name of this index answers it."""
        _, slots = self._exact_match(text)
        key = loose_key(text)
        if key and not slots:
            self._fuzzy(key, _CANDIDATE_CUTOFF)

    def prepare_suggest(self, text: str, limit: int, behind: int) -> None:
        """Score now, in memory, what `suggest(text, limit)` would score (remembered with
        the recent results), e.g. while the store is searched for the same text: only when
        its fuzzy tier is sure to be reached, the closer tiers of this index and at most
        `behind` shows from the index behind it falling short of `limit`."""
        key = loose_key(text)
        if len(key) < _FUZZY_SUGGEST_FROM or behind >= limit:
            return
        if self._closer(text, key, limit)[-1] + behind < limit:
            self._fuzzy(key, _SUGGEST_CUTOFF)

    def filled(self, text: str, limit: int) -> int:
        """How many of `suggest`'s tiers that ask the index behind this one for more than
        exact names this index makes needless on its own, filling `limit` before them: 2
        (names starting with the text, and names using its words), 1 (the latter) or 0."""
        key = loose_key(text)
        if not key:
            return 0
        _, named, worded = self._closer(text, key, limit)
        return 2 if named >= limit else 1 if worded >= limit else 0

    def _closer(self, text: str, key: str, limit: int) -> tuple[int, int, int]:
        """How many shows of this index `suggest` finds before its fuzzy tier: named
        exactly, then also by names starting with `key`, then also using its words."""
        winner, exact = self._exact_match(text)
        closer = {*exact, *([winner] if winner is not None else [])}
        counts = [len(closer)]
        for whole in (True, False):
            closer.update(self._prefixed(key, whole=whole, cap=limit * 4))
            counts.append(len(closer))
        return counts[0], counts[1], counts[2]

    def lookup(self, text: str, *, more: CompactIndex | None = None) -> LookupResult:
        """The show `text` names, or did-you-mean candidates (see the module docstring).
        `more` stands in for the index behind this one for this call."""
        behind = more if more is not None else self._more
        winner, slots = self._exact_match(text)
        if winner is not None:
            return LookupResult(show=self._shows[winner])
        more_match = behind.exact(text) if behind is not None else None
        if more_match is not None and more_match.show is not None:
            return LookupResult(show=more_match.show)
        if slots or (more_match is not None and more_match.shows):
            shared = [*self._ordered(slots), *(more_match.shows if more_match is not None else ())]
            return LookupResult(candidates=tuple(shared))
        key = loose_key(text)
        ranked = self._ranked(key, _CANDIDATE_CUTOFF, behind) if key else []
        if not ranked:
            return LookupResult()
        best_show, best = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        meaningful = len(key) >= 3 and not set(key.split()) <= _FILLER_WORDS
        if (
            meaningful
            and best >= CONFIDENT
            and best - runner_up >= MARGIN
            and spelled_alike(key, _loose_spellings(best_show), _FILLER_WORDS)
        ):
            return LookupResult(show=best_show)
        return LookupResult(candidates=tuple(show for show, _ in ranked[:_MAX_CANDIDATES]))

    def _ranked(
        self, key: str, cutoff: float, more: CompactIndex | None
    ) -> list[tuple[Show, float]]:
        """Fuzzy matches from this index and the one behind it, ranked together: each
        comes ranked (by score, then name key, then name), so they are merged."""
        ranked = self._fuzzy(key, cutoff)
        behind = more.ranked_fuzzy(key, cutoff) if more is not None else []
        if not behind:
            return [(self._shows[slot], value) for slot, value in ranked]
        own = [(-value, self._order(slot), self._shows[slot]) for slot, value in ranked]
        merged = heapq.merge(own, behind, key=lambda item: (item[0], item[1]))
        return [(show, -negated) for negated, _, show in merged]

    def suggest(
        self,
        text: str,
        limit: int = 25,
        *,
        preferred: Iterable[Show] = (),
        more: CompactIndex | None = None,
    ) -> list[Show]:
        """Up to `limit` shows for autocomplete (Discord shows at most 25), best first:
        exact matches, names starting with the text, names with a word starting with it,
        then fuzzy matches (each tier from this index, then the one behind it). Empty text
        gives the `preferred` shows (e.g. the ones the channel watches), then this index's
        shows in alphabetical order."""
        if limit <= 0:
            return []
        picked: dict[tuple[int | None, str], Show] = {}

        def take(shows: Iterable[Show]) -> bool:
            for show in shows:
                picked.setdefault((show.id, show.name), show)
                if len(picked) >= limit:
                    return True
            return False

        def slots(found: Iterable[int]) -> Iterator[Show]:
            return (self._shows[slot] for slot in found)

        more = more if more is not None else self._more
        key = loose_key(text)
        if not key:
            wanted = (self._slot.get(name_key(show.name)) for show in preferred)
            take(slots(slot for slot in wanted if slot is not None))
            take(slots(self._alphabetical_slots()))
            return list(picked.values())
        winner, exact = self._exact_match(text)
        if (
            take(slots([winner] if winner is not None else []))
            or take(slots(self._ordered_slots(exact)))
            or (more is not None and take(more.exact(text).shows))
            or take(slots(self._prefixed(key, whole=True, cap=limit * 4)))
            or (more is not None and take(more.starting_with(key, limit - len(picked))))
            or take(slots(self._prefixed(key, whole=False, cap=limit * 4)))
            or (more is not None and take(more.with_words(key, limit - len(picked))))
        ):
            return list(picked.values())
        if len(key) >= _FUZZY_SUGGEST_FROM:  # a letter or two is a prefix, not a typo
            take(show for show, _ in self._ranked(key, _SUGGEST_CUTOFF, more))
        return list(picked.values())

    def _prefixed(self, key: str, *, whole: bool, cap: int) -> list[int]:
        """`NameWords.prefixed` (the list is shared: callers only read it)."""
        self.prepare()
        scan = (key, whole, cap)
        found = self._prefixes.get(scan)
        if found is None:
            if len(self._prefixes) >= _RECENT_PREFIXES:
                self._prefixes.clear()
            found = self._prefixes[scan] = self._words.prefixed(key, whole=whole, cap=cap)
        return found

    def _alphabetical_slots(self) -> list[int]:
        if self._alphabetical is None:
            self._alphabetical = self._ordered_slots(range(len(self._shows)))
        return self._alphabetical

    def _order(self, slot: int) -> tuple[str, str]:
        return self._order_keys[slot]

    def _ordered_slots(self, slots: Iterable[int]) -> list[int]:
        return sorted(set(slots), key=self._order)

    def _ordered(self, slots: Iterable[int]) -> tuple[Show, ...]:
        return tuple(self._shows[slot] for slot in self._ordered_slots(slots))

    def _fuzzy(self, key: str, cutoff: float) -> list[tuple[int, float]]:
        """(slot, best score over its keys) for shows scoring at least `cutoff`, best first,
        ties by name key then name. See fuzzy.py's `score` for the measure."""
        recent = self._recent.get(key)
        if recent is not None and recent[0] <= cutoff:
            self._recent.move_to_end(key)
            return [item for item in recent[1] if item[1] >= cutoff]
        found = self._scored(key, cutoff)
        self._recent[key] = (cutoff, found)
        if len(self._recent) > _RECENT_QUERIES:
            self._recent.popitem(last=False)
        return list(found)

    def _scored(self, key: str, cutoff: float) -> list[tuple[int, float]]:
        self.prepare()
        best = self._words.scored(key, cutoff)
        return sorted(best.items(), key=lambda item: (-item[1], self._order(item[0])))


def _loose_spellings(show: Show) -> dict[str, None]:
    """The distinct loose keys of a show's name and aliases, in that order."""
    keys = (name_key(spelling) for spelling in (show.name, *show.aliases))
    return {loose_of_key(key): None for key in keys if key}


def _append_once(slots: list[int], slot: int) -> None:
    if slot not in slots:
        slots.append(slot)
