"""The store's name index answers as the in-memory compact index of every show did.

A catalogue of TVmaze-only shows lives in a real store (SQLite, and PostgreSQL with
pg_trgm when TEST_DATABASE_URL is set); `KnownShows.lookup` and `suggest` must give, for
every kind of query a user types, exactly what `ShowIndex` over the same shows in memory
with a `CompactIndex` of all of them behind it gives.
"""

from __future__ import annotations

import functools
import random
from typing import Any

import pytest

import bot.shows.stored as stored_module
import db.name_search
import db.shows
from bot.models import Entry, Show
from bot.records import NameSearch
from bot.shows.compact import CompactIndex
from bot.shows.fuzzy import nearest
from bot.shows.known import KnownShows
from bot.shows.lookup import ShowIndex
from bot.shows.mirror_postings import MirrorPostings
from bot.shows.mirror_words import MirrorWords
from bot.shows.names import loose_key, name_key
from bot.shows.stored import (
    candidates_for_lookup,
    candidates_for_suggest,
    warming_probes,
)
from db.schema.catalogue import shows as shows_table
from db.shows import ShowRepo
from db.store import Store

FIRST = [
    "Dark",
    "Silent",
    "Broken",
    "Golden",
    "Lost",
    "Hidden",
    "Wild",
    "Crimson",
    "Hollow",
    "Sacred",
    "Velvet",
    "Iron",
]
SECOND = [
    "Kingdom",
    "Harbor",
    "River",
    "Station",
    "Frontier",
    "Legacy",
    "Witness",
    "Hunters",
    "Sisters",
    "Agency",
]
PLACES = [
    "Chicago",
    "Boston",
    "Miami",
    "Brooklyn",
    "Texas",
    "Alaska",
    "London",
    "Paris",
    "Tokyo",
    "Dublin",
]
OWN = [Show("Citadel", network="Prime Video"), Show("Citadel: Diana"), Show("Hidden Harbor")]


def catalogue(rng: random.Random) -> list[Show]:
    shows: dict[str, Show] = {}
    for first in FIRST:
        for second in SECOND:
            if rng.random() < 0.6:
                name = f"The {first} {second}" if rng.random() < 0.3 else f"{first} {second}"
                aliases = (f"{first[0]}{second[0]}X",) if rng.random() < 0.2 else ()
                shows.setdefault(name_key(name), Show(name, aliases=aliases, network="NBC"))
    for second in SECOND:
        for place in PLACES:
            if rng.random() < 0.4:
                shows.setdefault(name_key(f"{second} of {place}"), Show(f"{second} of {place}"))
    bases = list(shows.values())
    for base in rng.sample(bases, 25):
        spin = Show(f"{base.name}: {rng.choice(PLACES)}")
        shows.setdefault(name_key(spin.name), spin)
    for name in ("Citadel Files", "Citadel (1998)", "Luther", "Severance"):
        shows.setdefault(name_key(name), Show(name))
    return list(shows.values())


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long:
        return text
    i = rng.choice(long)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    words[i] = rng.choice(
        [
            word[:at] + word[at + 1 :],
            word[:at] + word[at + 1] + word[at] + word[at + 2 :],
            word[:at] + "e" + word[at + 1 :],
            word[:at] + word[at] + word[at:],
        ]
    )
    return " ".join(words)


def queries(shows: list[Show], rng: random.Random) -> list[str]:
    typed = ["citadel", "citadle", "citadel diana", "luthr", "sevrance", "the", "zzzz qqq"]
    typed += ["hid", "harb", "river of", "of tok", "x", "lo", "kingdom dark", "ir"]
    for show in rng.sample(shows, 60):
        name = show.name.lower()
        typed += [name, typo(name, rng), name[: rng.randint(1, len(name))].rstrip()]
        typed.append(" ".join(reversed(name.replace(":", " ").split())))
        typed.extend(show.aliases)
    return list(dict.fromkeys(typed))


async def stored_with(
    store: Store, shows: list[Show], *, eager: bool = True
) -> tuple[KnownShows, ShowIndex]:
    """The store holding OWN and `shows` as TVmaze's, the bot's known shows over it (a
    running bot's when `eager`: typo candidates met in memory; else a command's: by the
    store), and the same catalogue held whole in memory, to compare answers with."""
    async with store.transaction() as tx:
        await tx.shows.ensure_many(OWN, origin="catalogue")
        await tx.shows.ensure_many(shows, origin="tvmaze")
        stored = await tx.shows.all()
    known = await KnownShows.load(store, seed=False, words=eager)
    own = [show for show in stored if known.catalogue.get_own(show.name) is not None]
    mirror = [show for show in stored if known.catalogue.get_own(show.name) is None]
    assert len(own) == len(OWN) and len(mirror) == len(shows)
    compact = CompactIndex.build(
        [(s.id or 0, s.name, name_key(s.name), s.network) for s in mirror],
        [(s.id or 0, alias) for s in mirror for alias in s.aliases],
    )
    return known, ShowIndex(own, more=compact)


async def build(store: Store, *, eager: bool = True) -> tuple[KnownShows, ShowIndex, list[str]]:
    rng = random.Random(15)
    shows = catalogue(rng)
    known, reference = await stored_with(store, shows, eager=eager)
    return known, reference, queries(shows, rng)


@pytest.mark.parametrize("eager", [True, False], ids=["typos-in-memory", "typos-in-store"])
async def test_lookups_answer_as_the_whole_catalogue_in_memory(store: Store, eager: bool) -> None:
    known, reference, typed = await build(store, eager=eager)
    answered = 0
    for text in typed:
        found = await known.lookup(text)
        assert found == reference.lookup(text), text
        answered += found.show is not None
    assert answered > len(typed) // 2  # most queries name a show: the test is not vacuous
    assert known._words is not None and (known._words.held is not None) == eager


async def test_the_in_memory_pass_runs_while_the_store_looks_for_typos(store: Store) -> None:
    known, _, _ = await build(store)
    calls: list[str] = []
    async with store.read() as tx:
        words = MirrorWords(await tx.shows.vocabulary())
        for text, searched in (("dark harbr", True), ("Dark Harbor", False), ("zz", False)):
            more = await candidates_for_lookup(
                tx, text, known._own, words, functools.partial(calls.append, text)
            )
            alone = await candidates_for_lookup(tx, text, known._own, words)
            assert calls.count(text) == int(searched), text
            assert list(more) == list(alone), text
    prepared = ShowIndex([*OWN, Show("Dark Harbour")])
    prepared.prepare_lookup("dark harbr")
    assert prepared.lookup("dark harbr") == ShowIndex(prepared.shows).lookup("dark harbr")


async def test_a_name_no_tvmaze_spelling_has_is_searched_in_one_statement(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    known, _, _ = await build(store)
    async with store.read() as tx:
        vocabulary = await tx.shows.vocabulary()
        spellings = await tx.shows.mirror_spellings()
        words, unsure = MirrorWords(vocabulary, spellings), MirrorWords(vocabulary)
        assert all(words.may_name(key) for key in spellings)  # never wrong about a name
        searches: list[object] = []
        search = tx.shows.search

        async def counted(probe: object) -> object:
            searches.append(probe)
            return await search(probe)  # type: ignore[arg-type]

        monkeypatch.setattr(tx.shows, "search", counted)
        text = "harbor dark"  # words TVmaze shows use, in an order none is named by
        assert unsure.may_name(loose_key(text)) and not words.may_name(loose_key(text))
        sure = await candidates_for_lookup(tx, text, known._own, words)
        assert len(searches) == 1  # the exact part went with the typo candidates
        assert list(sure) == list(await candidates_for_lookup(tx, text, known._own, unsure))
        assert len(searches) == 3 and len(sure) > 0
    words.add(Show("Harbor Dark", aliases=("Dark Harbor Again",)))
    assert words.may_name("harbor dark") and words.may_name("dark harbor again")


async def test_autocomplete_scores_in_memory_while_the_store_searches_when_it_must(
    store: Store,
) -> None:
    known, _, typed = await build(store)
    own = list(known.index.shows)
    early = 0
    async with store.read() as tx:
        words = MirrorWords(await tx.shows.vocabulary())
        for text in typed:
            key = loose_key(text)
            found = await candidates_for_suggest(tx, text, 25, known._own, words, typos=False)
            behind = words.shows_using(key, 25)
            assert min(len(found), 25) <= behind, text  # the counts bound what it finds
            prepared, after = ShowIndex(own), ShowIndex(own)
            prepared.prepare_suggest(text, 25, behind)
            after.suggest(text, 25, more=found)
            # Scored early only when autocomplete then scores too (its fuzzy tier).
            if key in prepared._recent:
                assert key in after._recent, text
                early += 1
    assert early > 10  # not vacuous


@pytest.mark.parametrize("eager", [True, False], ids=["typos-in-memory", "typos-in-store"])
async def test_autocomplete_offers_what_the_whole_catalogue_in_memory_offers(
    store: Store, eager: bool
) -> None:
    known, reference, typed = await build(store, eager=eager)
    for text in ["", " ", *typed]:
        for limit in (25, 5):
            assert await known.suggest(text, limit) == reference.suggest(text, limit), text


async def test_autocomplete_asks_the_store_only_what_memory_leaves_room_for(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    known, reference, _ = await build(store)
    assert [known.index.filled(t, 2) for t in ("cit", "citadel", "diana", "x", "")] == [
        2,
        2,
        0,
        0,
        0,
    ]
    assert known.index.filled("citadel d", 1) == 2 and known.index.filled("harbor", 1) == 1
    probes: list[NameSearch] = []
    search = ShowRepo.search

    async def spied(repo: ShowRepo, probe: NameSearch) -> list[tuple[str, Show, str]]:
        probes.append(probe)
        return await search(repo, probe)

    monkeypatch.setattr(ShowRepo, "search", spied)
    for text, limit, asked in (("cit", 2, (0, 0)), ("harbor", 1, (36, 0)), ("harb", 5, (52, 37))):
        assert await known.suggest(text, limit) == reference.suggest(text, limit), text
        assert (probes[0].starting, probes[0].words) == asked, text
        probes.clear()


async def test_a_show_in_the_news_leaves_the_store_tier(store: Store) -> None:
    known, _, _ = await build(store)
    harbor = (await known.lookup("Dark Harbor")).show or (await known.lookup("Lost River")).show
    assert harbor is not None and known.catalogue.get_own(harbor.name) is None
    async with store.transaction() as tx:
        await known.read_news_of(tx, harbor)
    assert known.index.named(harbor.name) == harbor  # in memory now, found in running text
    assert (await known.lookup(harbor.name.lower())).show == harbor
    assert [s for s in await known.suggest(harbor.name, 25) if s.id == harbor.id] == [harbor]


@pytest.mark.parametrize("title", ["Netflix Renews 'Severence' for Season 4"])
async def test_recognition_asks_the_store_for_names_it_does_not_hold(
    store: Store, title: str
) -> None:
    known, _, _ = await build(store)
    entry = Entry(key="1", title="Netflix Renews 'Severance' for Season 4", outlet="Deadline")
    async with store.read() as tx:
        reading = await known.read_entry(tx, entry)
    (found,) = reading.announcements
    assert found.show == "Severance" and found.season == 4
    assert known.mirror.get("severance") is not None  # remembered: no second look-up
    async with store.read() as tx:
        unknown = await known.read_entry(tx, Entry(key="2", title=title, outlet="Deadline"))
    assert [a.show for a in unknown.announcements] == ["Severence"]  # no such show: as written


async def test_warming_runs_the_shapes_users_ask_and_finds_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    known, _, typed = await build(store)
    shapes: list[object] = []
    statement = db.name_search.search_statement

    def noted(probe: NameSearch, dialect: str) -> Any:
        query, params = statement(probe, dialect)
        shapes.append(query)  # one statement object per shape (`_statement` is cached)
        return query, params

    monkeypatch.setattr(db.shows, "search_statement", noted)
    found: list[object] = []
    search = ShowRepo.search

    async def kept(self: ShowRepo, probe: NameSearch) -> Any:
        rows = await search(self, probe)
        found.extend(rows)
        return rows

    monkeypatch.setattr(ShowRepo, "search", kept)
    partial = store.dialect == "postgresql"
    assert await known.warm() == len(warming_probes(partial=partial, held=True))
    assert not found
    warmed = {id(query) for query in shapes}
    assert len(warmed) == len(shapes)  # no probe repeats another's shape
    shapes.clear()
    for text in typed:
        await known.lookup(text)
        await known.suggest(text)
    asked = [id(query) for query in shapes]
    assert found and len(asked) > 100
    assert sum(shape in warmed for shape in asked) >= 0.95 * len(asked)


async def test_nothing_is_warmed_without_tvmaze_shows(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.shows.ensure_many(OWN, origin="catalogue")
    known = await KnownShows.load(store, seed=False)
    assert await known.warm() == 0
    assert await KnownShows(OWN).warm() == 0


async def test_the_vocabulary_counts_the_tvmaze_shows_using_each_word(store: Store) -> None:
    await build(store)
    async with store.read() as tx:
        stored = await tx.shows.all()
        mirrored = await tx.shows.mirrored([s.id for s in stored if s.id is not None])
        vocabulary = dict(await tx.shows.vocabulary())
    expected: dict[str, int] = {}
    for show in stored:
        if show.id in mirrored:
            for word in {w for s in (show.name, *show.aliases) for w in loose_key(s).split()}:
                expected[word] = expected.get(word, 0) + 1
    assert vocabulary == expected and "diana" not in vocabulary  # a word of OWN only


def test_words_meet_when_their_postings_are_few_beside_the_rarest_whole_word() -> None:
    words = MirrorWords([("dark", 10), ("harbor", 30), ("harvest", 25), ("hart", 40), ("the", 9)])
    assert words.postings("har", 1000) == 95 and words.postings("har", 50) == 50
    assert words.postings("zz", 10) == 0
    assert words.meet(["dark"], "harb")  # 10 + 30 postings against 10: 4x
    assert not words.meet(["dark"], "har")  # 10 + 95 against 10
    assert not words.meet([], "har") and not words.meet(["nope"], "har")
    assert words.meet(["the", "dark"], "harv")  # 9 + 10 + 25 against 9
    assert words.meet_groups([("the",), ("dark", "harbor")])  # 9 + 40 against 9
    assert not words.meet_groups([("dark",), ("harbor", "hart", "harvest")])
    assert not words.meet_groups([("dark",)])


async def test_a_command_looking_one_show_up_reads_only_what_may_answer(store: Store) -> None:
    """`load(named_first=True)` (`python -m bot when`) answers every query as a loaded
    index does: a show named exactly from the shows with that key, the rest after reading
    them all; also a name whose key another show's alias holds (a show renamed upstream)."""
    _, _, typed = await build(store)
    async with store.transaction() as tx:
        citadel, diana = await tx.shows.find("Citadel"), await tx.shows.find("Citadel: Diana")
        assert citadel is not None and diana is not None
        await db.shows.add_spellings(tx.connection, [(citadel.id or 0, "Diana: Renamed")])
        await tx.connection.execute(
            shows_table.update()
            .where(shows_table.c.id == diana.id)
            .values(name="Diana: Renamed", key=name_key("Diana: Renamed"))
        )
    loaded = await KnownShows.load(store, seed=False, words=False)
    read: list[int] = []
    for text in [*typed, "diana renamed", "Diana: Renamed", "citadel"]:
        lazy = await KnownShows.load(store, seed=False, words=False, named_first=True)
        assert await lazy.lookup(text) == await loaded.lookup(text), text
        read.append(lazy._deferred)
    for text in ("diana renamed", "Diana: Renamed"):  # its name, not Citadel's alias
        renamed = (await loaded.lookup(text)).show
        assert renamed is not None and renamed.id == diana.id
    assert any(read) and not all(read)  # some answered from the named shows alone


async def test_only_the_nearest_typo_candidates_are_scored_and_they_hold_the_best(
    store: Store,
) -> None:
    # 90 TVmaze shows share the word a typo stands for, more than are scored in full; the
    # nearest by name sort among the others, and a show ranked best only by its alias.
    fillers = [Show(f"Harbor {a}{b}ville Chronicles") for a in "abcdefghi" for b in "abcdefghij"]
    near = [Show("Harbor Ox"), Show("Harbor Mu"), Show("Ox Harbor"), Show("Harborne")]
    mirror = [*fillers, *near, Show("Harbor Qqqqqqqqqqqqqq", aliases=("Harbr",))]
    known, reference = await stored_with(store, mirror)
    async with store.read() as tx:
        words = MirrorWords(await tx.shows.vocabulary())
        scored = await candidates_for_lookup(tx, "harbro", known._own, words)
        offered = await candidates_for_suggest(tx, "harbro", 25, known._own, words, typos=True)
    assert len(scored) == stored_module._CLOSEST < len(mirror)
    assert len(offered) == 25 + stored_module._SLACK
    names = {show.name for show in scored}
    assert {"Harbor Ox", "Harbor Mu", "Ox Harbor", "Harbor Qqqqqqqqqqqqqq"} <= names
    for text in ("harbro", "harbr ox", "ox harbro"):
        assert await known.lookup(text) == reference.lookup(text), text
        assert await known.suggest(text) == reference.suggest(text), text


def test_nearest_picks_by_plain_and_word_order_ratio() -> None:
    spellings = [["harbor abcdefgh"], ["ox harbor"], ["harbor ox"], ["zz"], ["harbour", "hb"]]
    assert nearest("harbor ox", spellings, 2) == [1, 2]  # word order never matters
    assert nearest("harbor ox", spellings, 9) == [0, 1, 2, 3, 4]  # all: no scoring
    assert nearest("harbour", spellings, 1) == [4]
    assert nearest("hb", spellings, 1) == [4]  # a show is as near as its nearest spelling


def test_the_rarest_typo_groups_meet_as_far_as_their_postings_are_few() -> None:
    words = MirrorWords([("dark", 10), ("harbor", 30), ("harvest", 25), ("hart", 40), ("the", 9)])
    assert words.groups_to_meet([("the",), ("dark",), ("harbor",)]) == 3  # 49 against 54
    assert words.groups_to_meet([("the",), ("dark",), ("hart",)]) == 2  # 59: the last tested
    assert words.groups_to_meet([("the",), ("harbor", "hart")]) == 0  # 79: per show
    assert words.groups_to_meet([("the",)]) == 0 and words.groups_to_meet([]) == 0
    probes = [
        stored_module._typos(words, groups)
        for groups in ((("the",), ("dark",), ("hart",)), (("the",), ("dark",), ("harbor",)))
    ]
    assert [(probe.meet, probe.met) for probe in probes] == [(False, 2), (True, 0)]


def test_the_rarest_whole_word_meets_the_prefix_when_a_common_word_would_be_tested() -> None:
    words = MirrorWords([("and", 500), ("dark", 10), ("harbor", 30), ("hart", 40)])
    assert words.meet_prefix(["dark", "and"], "harb")  # 10 + 30 against 10, "and" tested
    assert not words.meet_prefix(["dark", "and"], "har")  # 10 + 70 against 10
    assert not words.meet_prefix(["dark"], "harb")  # one word: all met (`meet`)
    assert words.meet(["dark"], "harb") and not words.meet(["dark", "and"], "harb")


def test_postings_in_memory_meet_word_groups_as_the_compact_index_does() -> None:
    # Shows 10-40 in name-key order; 40 is kept in memory, so left out.
    words = [("dark", 10), ("dark", 30), ("harbor", 30), ("harbor", 40), ("river", 20)]
    postings = MirrorPostings([10, 20, 30, 40], leave_out={40})
    postings.take(words[:2])  # in pages
    postings.take(words[2:])
    postings.settle()
    assert postings.candidates([("dark",), ("harbor",)], 150) == [30]
    assert postings.candidates([("dark",), ("river",)], 150) == [20]  # smallest first; dark skipped
    assert postings.candidates([("harbor", "river")], 150) == [20, 30]
    assert postings.candidates([("dark",)], 1) == [10]
    assert postings.candidates([], 150) == []
    # Every whole word, and a word starting with the prefix (any word, a whole one too).
    assert postings.using(["dark"], "har", 150) == [30]
    assert postings.using(["dark"], "d", 1) == [10]
    assert postings.using(["dark", "river"], "d", 150) == []
    postings.add(5, ["dark", "tide"])  # mirrored since: after the ranked ones, for the caller
    assert postings.candidates([("dark",)], 1) == [10, 5]
    assert postings.using(["dark"], "ti", 1) == [5]
    postings.drop(30)  # renamed: its new words come next
    postings.add(30, ["harbour"])
    assert postings.candidates([("harbor",)], 150) == []
    assert postings.candidates([("harbour",)], 150) == [30]
    assert len(postings) == 4 and postings.count("dark") == 3


async def test_shows_mirrored_or_kept_in_memory_since_reach_the_postings(store: Store) -> None:
    known, _, _ = await build(store)
    await known.lookup("harbr dark")  # reads the vocabulary and the postings
    assert known._words is not None and known._words.held is not None
    async with store.transaction() as tx:
        mirrored = await tx.shows.ensure(Show("Quiet Lantern"), origin="tvmaze")
    assert (await known.lookup("quiet lantren")).show is None  # not taken in yet
    known.absorb([mirrored], [])
    assert (await known.lookup("quiet lantren")).show == mirrored
    known.promote(mirrored)  # its news read now: memory answers, the postings leave it out
    assert (await known.lookup("quiet lantren")).show == mirrored
    assert known._words.held.candidates([("lantern",)], 150) == []
