"""The name search's one statement (`ShowRepo.search`, bot/shows/stored.py), by shape.

A search asks for a few parts (see `NameSearch`); each is an index range, a few bounded
probes of the name index (db/schema/catalogue.py: `show_aliases.loose`, `show_words` in (word,
mirror_key) order) or, where the counts of the words say it is cheaper (`NameSearch.meet`),
the intersection of a few ranges of postings (for typos, possibly of the rarest groups only,
`NameSearch.met`, the shows met on then probed for the others). What varies between
searches of one shape (which parts, how many words) is only bound values, so the statement
is built and its cache key made once per shape (`_statement`), not per keystroke: building
it was most of an autocomplete's Python time. A typo search tested per show is also one SQL
text whatever the lengths of its groups (each one bound array) and with its arms padded to
a power of two, so each engine prepares and plans it once: about 110 texts over the bench's 4,000
queries at 100,000 shows, where there were about 180. A running bot meets the typo
groups in memory (bot/shows/mirror_postings.py) and asks only for the shows it chose.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    exists,
    func,
    intersect,
    literal_column,
    or_,
    select,
    union,
    union_all,
)

from bot.records import NameSearch
from bot.shows.names import PREFIX_END
from db.schema.catalogue import show_aliases, show_words, shows

MIRRORED = "tvmaze"  # the origin of the shows only TVmaze knows of (db/tvmaze_sync.py)
_SORT_KEY = "sort_key"  # the name key's label where postings are intersected


def search_statement(probe: NameSearch, dialect: str) -> tuple[Select[Any] | None, dict[str, Any]]:
    """The statement answering `probe` on `dialect` ("sqlite", "postgresql") and its bound
    values (None when it asks nothing): rows of (part, show id, name, name key, network,
    alias or NULL)."""
    params: dict[str, Any] = {}
    exact = bool(probe.key or probe.loose)
    if exact:
        params.update(key=probe.key, loose=probe.loose)
    starting = bool(probe.starting and probe.loose)
    if starting:
        params.update(start_lo=probe.loose, start_hi=probe.loose + PREFIX_END)
        params["starting"] = probe.starting
    whole = -1  # no words part
    if probe.words and probe.prefix:
        whole = len(probe.whole)
        params.update(prefix_lo=probe.prefix, prefix_hi=probe.prefix + PREFIX_END)
        params.update({f"whole_{i}": word for i, word in enumerate(probe.whole)})
        params.update(words=probe.words, prefix_rows=probe.words * 8)
    driver, groups, alone, met_groups, met = 0, 0, False, False, 0
    # Meeting postings is a way to read the words part with whole words, or the typos part
    # of several groups: a shape of its own only where it changes the statement.
    meet = probe.meet and (whole > 0 or len(probe.groups) > 1)
    # Meeting only the rarest postings is PostgreSQL's: there, each show tested is an index
    # probe of its own costing ~6 posting reads; SQLite tests them in-process, no dearer
    # than meeting (autocomplete's "legacy & hu": 1.5 ms met against 7-9 tested on
    # PostgreSQL; on SQLite no gain was seen).
    partial = dialect == "postgresql"
    meet_prefix = partial and probe.meet_prefix and not meet and whole > 1
    if probe.typos and probe.groups:
        rarest = list(dict.fromkeys(probe.groups[0]))
        groups = len(probe.groups) - 1
        met_groups = meet and groups > 0
        # The first few groups met, the others tested per show met on: as a full meet for
        # the groups met (bound lists), as the driver's tests for the others (one value).
        met = probe.met if partial and not met_groups and 2 <= probe.met <= groups else 0
        # A group tested per show is one bound value (an array; JSON on SQLite), not one
        # per word: the statement's text is then the same whatever the groups' lengths, so
        # each engine prepares and plans it once, not once per combination of lengths.
        # Groups whose postings are met stay lists of bound words: a side of one word is
        # then read in key order, where an array's side must be sorted (a met search cost
        # SQLite 1.4x).
        listed = list if met_groups else _listed(dialect)
        if met_groups or met:  # every group met a bound list; no statement shape per word
            params["group_0"] = rarest
        else:
            # An arm per word, their number rounded up to a power of two: the arms past
            # the words look for a word no show uses ("": names have no empty word) and
            # read nothing, and the statement has a few shapes, not one per word count.
            driver = 1 << (len(rarest) - 1).bit_length()
            rarest += [""] * (driver - len(rarest))
            params.update({f"typo_{i}": word for i, word in enumerate(rarest)})
        params.update(
            {
                f"group_{i}": list(g) if i < met else listed(g)
                for i, g in enumerate(probe.groups[1:], 1)
            }
        )
        params["typos"] = probe.typos
        alone = probe.alone and groups > 0
    chosen = bool(probe.chosen)
    if chosen:
        params["chosen"] = _listed(dialect)(probe.chosen)
    if not (exact or starting or whole >= 0 or driver or met_groups or met or chosen):
        return None, {}
    shape = (exact, starting, whole, meet, driver, groups, alone, met, meet_prefix, chosen)
    return _statement(dialect, *shape), params


def _listed(dialect: str) -> Any:
    if dialect == "postgresql":
        return list
    return lambda words: json.dumps(list(words), ensure_ascii=False)


@lru_cache(maxsize=512)
def _statement(
    dialect: str,
    exact: bool,
    starting: bool,
    whole: int,
    meet: bool,
    driver: int,
    groups: int,
    alone: bool,
    met: int = 0,
    meet_prefix: bool = False,
    chosen: bool = False,
) -> Select[Any]:
    parts: list[tuple[str, Any]] = []
    mirror_only = shows.c.origin == MIRRORED
    if exact:
        query = (
            select(shows.c.id)
            .join(show_aliases, show_aliases.c.show_id == shows.c.id)
            .where(
                or_(
                    show_aliases.c.key == bindparam("key", type_=Text),
                    show_aliases.c.loose == bindparam("loose", type_=Text),
                ),
                mirror_only,
            )
        )
        parts.append(("exact", query.subquery()))
    if starting:
        query = (
            select(shows.c.id)
            .join(show_aliases, show_aliases.c.show_id == shows.c.id)
            .where(show_aliases.c.loose >= bindparam("start_lo", type_=Text))
            .where(show_aliases.c.loose < bindparam("start_hi", type_=Text), mirror_only)
            .order_by(show_aliases.c.loose, show_aliases.c.show_id)  # the index's order
            .limit(_limit("starting"))
        )
        parts.append(("starting", query.subquery()))
    if whole > 0 and meet:
        words_met = [
            _postings(show_words.c.word == bindparam(f"whole_{i}", type_=Text))
            for i in range(whole)
        ]
        words_met.append(
            _postings(
                show_words.c.word >= bindparam("prefix_lo", type_=Text),
                show_words.c.word < bindparam("prefix_hi", type_=Text),
            )
        )
        parts.append(("words", _met_by_key(words_met, "words")))
    elif meet_prefix:
        # The rarest whole word's postings met with the prefix's, the shows met on tested
        # for the other words (typically common: "and", "of").
        sides = [
            _postings(show_words.c.word == bindparam("whole_0", type_=Text)),
            _postings(
                show_words.c.word >= bindparam("prefix_lo", type_=Text),
                show_words.c.word < bindparam("prefix_hi", type_=Text),
            ),
        ]
        tests = [_uses_word(f"whole_{i}") for i in range(1, whole)]
        parts.append(("words", _met_by_key(sides, "words", tests)))
    elif whole > 0:
        # Driven by the first whole word (the caller puts the rarest first), in name key
        # order: the first rows that pass are the answer.
        tests = [_uses_word(f"whole_{i}") for i in range(1, whole)]
        tests.append(_uses_prefix())
        parts.append(("words", _first_by_key(["whole_0"], "words", tests)))
    elif whole == 0:
        first = (
            select(shows.c.id, shows.c.key)
            .join(show_words, show_words.c.show_id == shows.c.id)
            .where(show_words.c.word >= bindparam("prefix_lo", type_=Text))
            .where(show_words.c.word < bindparam("prefix_hi", type_=Text), mirror_only)
            .order_by(show_words.c.word, show_words.c.show_id)
            .limit(_limit("prefix_rows"))
            .subquery()
        )
        query = select(first.c.id).order_by(first.c.key).limit(_limit("words"))
        parts.append(("words", query.subquery()))
    if driver or (meet and groups) or met:
        words = [f"typo_{i}" for i in range(driver)]
        if driver:
            tests = [_uses_one_of(f"group_{i}", dialect) for i in range(1, groups + 1)]
            found = _first_by_key(words, "typos", tests)
        else:
            groups_met = [_postings(_in_list(f"group_{i}")) for i in range(met or groups + 1)]
            # With `met`, the groups past the first few are tested per show met on.
            tests = [_uses_one_of(f"group_{i}", dialect) for i in range(met, groups + 1) if met]
            found = _met_by_key(groups_met, "typos", tests)
        if alone:
            # The rarest group alone when the groups never meet, in the same statement (a
            # trip of its own cost as much): the shows they meet on are read once.
            met_once = select(found.c.id).cte("met").prefix_with("MATERIALIZED")
            never_met = ~exists(select(met_once.c.id))
            # Tested where the postings are read, so that no posting is read when they meet.
            if driver:
                rarest = _first_by_key(words, "typos", [lambda _: never_met])
            else:  # its postings were all read to meet the others: sorted, as they were
                rarest = (
                    _postings(_in_list("group_0"), never_met)
                    .order_by(literal_column(_SORT_KEY))
                    .limit(_limit("typos"))
                    .subquery()
                )
            found = union_all(select(met_once.c.id), select(rarest.c.id)).subquery()
        parts.append(("typos", found))
    if chosen:
        # One bound value whatever the number of shows (an array; JSON on SQLite), so one
        # statement text.
        if dialect == "postgresql":
            listed = shows.c.id == any_(bindparam("chosen", type_=ARRAY(Integer)))
        else:
            values = func.json_each(bindparam("chosen", type_=Text)).table_valued("value")
            listed = shows.c.id.in_(select(values.c.value))
        parts.append(("typos", select(shows.c.id).where(listed).subquery()))
    arms = [
        select(sub.c.id, literal_column(f"'{part}'", Text).label("part")).select_from(sub)
        for part, sub in parts
    ]
    found = union_all(*arms).subquery() if len(arms) > 1 else arms[0].subquery()
    return (
        select(
            found.c.part,
            shows.c.id,
            shows.c.name,
            shows.c.key,
            shows.c.network,
            show_aliases.c.alias,
        )
        .select_from(found)
        .join(shows, shows.c.id == found.c.id)
        .outerjoin(
            show_aliases,
            and_(show_aliases.c.show_id == shows.c.id, show_aliases.c.key != shows.c.key),
        )
    )


def _limit(name: str) -> Any:
    return bindparam(name, type_=Integer)


def _first_by_key(words: list[str], limit: str, tests: list[Any]) -> Any:
    """The ids of the first TVmaze shows by name key (at most the bound `limit`) that use
    one of the bound `words` and pass every test: per word, its TVmaze postings read in
    (word, mirror_key) order until enough pass (a word's first shows by key are the only
    ones of it that can be among the first overall), then merged."""
    arms = []
    for word in words:
        postings = show_words.alias("postings")
        arm = (
            select(postings.c.show_id.label("id"), postings.c.mirror_key.label("key"))
            .where(
                postings.c.word == bindparam(word, type_=Text),
                postings.c.mirror_key.is_not(None),
            )
            .where(*(test(postings.c.show_id) for test in tests))
            .order_by(postings.c.mirror_key)
            .limit(_limit(limit))
        )
        arms.append(select(*arm.subquery().c))
    merged = union(*arms).subquery() if len(arms) > 1 else arms[0].subquery()
    return select(merged.c.id).order_by(merged.c.key).limit(_limit(limit)).subquery()


def _met_by_key(sides: list[Any], limit: str, tests: list[Any] | None = None) -> Any:
    """The ids of the first TVmaze shows by name key (at most the bound `limit`) found by
    every one of `sides` (`_postings`): each read whole, in one index range or a few, and
    intersected. Both engines intersect a few thousand postings several times faster than
    they probe a show's words per posting (SQLite 0.44 ms against 2.2 ms for 1,535 and
    1,130 postings, PostgreSQL 1.4 against 5.7 ms), and the shows a probe would test are
    usually all read: those passing rarely reach the limit. Ordered and limited in the
    compound itself, SQLite merges the sides in key order (the first side read in index
    order) instead of filling a temporary B-tree with one of them (4x the cost). With
    `tests` (of a show id), only the shows met on that pass them all are kept."""
    ordered = intersect(*sides).order_by(literal_column(_SORT_KEY))
    if not tests:
        return select(ordered.limit(_limit(limit)).subquery().c.id).subquery()
    met = ordered.subquery()
    kept = select(met.c.id).where(*(test(met.c.id) for test in tests))
    return kept.order_by(met.c[_SORT_KEY]).limit(_limit(limit)).subquery()


def _postings(*conditions: Any) -> Any:
    """(show id, name key) of the TVmaze shows' postings meeting `conditions`."""
    return select(show_words.c.show_id.label("id"), show_words.c.mirror_key.label(_SORT_KEY)).where(
        *conditions, show_words.c.mirror_key.is_not(None)
    )


def _in_list(words: str) -> Any:
    """A posting's word is one of the bound list `words` (a parameter per word)."""
    return show_words.c.word.in_(bindparam(words, expanding=True))


def _one_of(words: str, dialect: str, column: Any) -> Any:
    """`column` (a show's word) is one of the bound list `words`: an array on PostgreSQL,
    a JSON array on SQLite (see `search_statement`)."""
    if dialect == "postgresql":
        return column == any_(bindparam(words, type_=ARRAY(Text)))
    values = func.json_each(bindparam(words, type_=Text)).table_valued("value")
    return column.in_(select(values.c.value))


def _uses_word(word: str) -> Any:
    """A test of a show id: the show uses the bound `word` (an index probe per show)."""

    def test(show_id: Any) -> Any:
        other = show_words.alias("other")
        return _probe(other.c.show_id == show_id, other.c.word == bindparam(word))

    return test


def _uses_prefix() -> Any:
    """A test of a show id: the show uses a word starting with the bound prefix (a range
    of its own words in the (show_id, word) index)."""

    def test(show_id: Any) -> Any:
        other = show_words.alias("other")
        return _probe(
            other.c.show_id == show_id,
            other.c.word >= bindparam("prefix_lo", type_=Text),
            other.c.word < bindparam("prefix_hi", type_=Text),
        )

    return test


def _uses_one_of(words: str, dialect: str) -> Any:
    """A test of a show id: the show uses one of the bound list `words` (its few words in
    the (show_id, word) index, probed per word: reading every show of a typo group into a
    list, per posting read, cost SQLite ten times more)."""

    def test(show_id: Any) -> Any:
        other = show_words.alias("other")
        return _probe(other.c.show_id == show_id, _one_of(words, dialect, other.c.word))

    return test


def _probe(*conditions: Any) -> Any:
    """EXISTS over `show_words` rows meeting `conditions`, kept a per-row probe: the OFFSET
    stops PostgreSQL from pulling it up into a semi-join, whose join orders it would
    otherwise search at every execution (~17 ms of planning for a six-word query)."""
    return select(literal_column("1")).where(*conditions).offset(0).exists()
