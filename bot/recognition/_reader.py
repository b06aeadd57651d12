"""Deciding: from an entry's proposals to its announcements, with the learned model.

For each proposal the event model says whether its phrase announces its event; if so, the
show, season and value models pick the best of its options, and the certainty model says
how sure the text is. A premiere is as likely as its phrase times its date or window. The
item model's view of the whole entry (`_item`) moves each finding's chance. The findings
become one announcement per (event, show) as `_findings` says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import itemgetter

from bot.models import Announcement, Certainty, Entry, Event, Source, Window
from bot.recognition._candidates import Proposal, Worth, read_candidates
from bot.recognition._certainty import certainty_features, certainty_of, hedged
from bot.recognition._features import STRUCTURAL, lexical_weights
from bot.recognition._findings import Finding, one_per_show
from bot.recognition._item import item_features, item_score, with_item
from bot.recognition._lists import as_written, listed_with
from bot.recognition._model import LinearModel, RecognitionModel, probability, shipped_model
from bot.recognition._options import ShowOption
from bot.recognition._season_for_show import season_extras
from bot.recognition._sentences import (
    _LEDE,
    EntryReading,
    Sentence,
    read_mentions,
    read_sentences,
)
from bot.recognition._value_options import titles_of, value_for_show
from bot.shows.catalogue import Catalogue

_EVENTS = {"R": Event.RENEWED, "C": Event.CANCELLED, "E": Event.ENDING}
_EVIDENCE_REACH = 70
# An announcement needs one sentence at least this likely to say it (it "leads"); the
# per-event thresholds (higher) decide on what the sentences of an entry say together.
CANDIDATE_FLOOR = 0.3
# Other sentences saying the same news join the leading one's evidence down to this: a
# body confirming what a question headline asks reads weaker than a plain headline, and
# is still a second witness.
WITNESS_FLOOR = 0.15
# The best show of a proposal is kept down to SHOW_FLOOR (the trained "show" threshold
# decides); a second or third show of one sentence must be likely on its own, by the
# trained "also_show" threshold (ALSO_SHOW for a model without one).
SHOW_FLOOR = 0.02
ALSO_SHOW = 0.5
_FLOOR_SCORE = math.log(WITNESS_FLOOR / (1 - WITNESS_FLOOR))
_WORTH: dict[int, tuple[RecognitionModel, Worth]] = {}
# Per show model: the weights of each shared head of relation features (`ShowOption.head`),
# by the list's id (kept with the list, so an id is never reused while it is here).
_HEADS: dict[int, tuple[LinearModel, dict[int, tuple[list[str], float]]]] = {}


def recognise_entry(
    entry: Entry, catalogue: Catalogue, model: RecognitionModel | None = None
) -> list[Announcement]:
    """The announcements an entry makes, in the order the entry makes them."""
    return read_entry_parts(entry, catalogue, model)[0]


def read_entry_parts(
    entry: Entry, catalogue: Catalogue, model: RecognitionModel | None = None
) -> tuple[list[Announcement], list[str]]:
    """Announcements and the catalogue shows mentioned, from one reading of the entry."""
    model = model or shipped_model()
    reading = read_candidates(entry, catalogue, _worth(model))
    found: list[Finding] = []
    for proposal, chance in _hopeful(reading, model):
        found += _decide(proposal, model, chance)
    chosen = one_per_show(found, model.thresholds)
    announcements = [_announcement(f, entry, reading.sentences, model) for f in chosen]
    return announcements, mentioned_show_names(entry, catalogue, reading)


def _worth(model: RecognitionModel) -> Worth:
    """The event model's lexical weights, and whether a proposal could reach
    WITNESS_FLOOR once its sentence's structure is read: its lexical score plus the most
    the structural features could add. Exact: it never turns down a proposal the full model
    would keep. Made once per model."""
    made = _WORTH.get(id(model))
    if made is not None and made[0] is model:
        return made[1]
    linear = model.event
    weights = linear.weights
    reach = {
        e: sum(max(0.0, weights.get(f"{e}|{name}", 0.0)) for name in STRUCTURAL) for e in "RCEP"
    }
    bias, floor = linear.bias, _FLOOR_SCORE

    def passes(event: str, part: float) -> bool:
        return bias + part + reach[event] >= floor

    worth = Worth(lexical_weights(weights), passes)
    _WORTH[id(model)] = (model, worth)
    return worth


def mentioned_show_names(
    entry: Entry, catalogue: Catalogue, reading: EntryReading | None = None
) -> list[str]:
    """Catalogue shows an entry names (title, summary, categories); ordinary-word titles
    count only where the text makes them a title, and never in finance stories. Reuses the
    catalogue matches of `reading` where it has them."""
    if reading is None:
        reading = read_sentences(entry)
    finance = reading.traits.finance
    names: list[str] = []
    for sentence in reading.sentences:
        if sentence.mentions_read:
            mentions = [m for m in sentence.mentions if m.confident]
        else:
            mentions = catalogue.find_mentions(sentence.text)
        for mention in mentions:
            if finance and mention.ordinary:
                continue
            if mention.show not in names:
                names.append(mention.show)
    for category in entry.categories:
        show = catalogue.get(category)
        if show is not None and show.name not in names and not finance:
            names.append(show.name)
    return names


def _hopeful(reading: EntryReading, model: RecognitionModel) -> list[tuple[Proposal, float]]:
    """The proposals worth deciding, with their chances: those of an event one of whose
    proposals could lead (CANDIDATE_FLOOR) and whose proposals could together pass its
    threshold. A finding is at most as likely as its proposal, and `one_per_show`
    combines one finding per sentence (noisy-or), so when even all of an event's
    proposals together fall short, none of its findings is kept (and the margin covers
    rounding). What deciding one would have read for `mentioned_show_names`, the names in
    the title and lede, is read all the same."""
    chances = [probability(_event_score(p, model)) for p in reading.proposals]
    missed: dict[str, float] = {}
    leading: set[str] = set()
    for proposal, chance in zip(reading.proposals, chances, strict=True):
        if chance >= WITNESS_FLOOR:
            # As likely as its findings can be: the entry's view moves them (`_findings`).
            most = with_item(chance, _item_score(proposal, model))
            missed[proposal.event] = missed.get(proposal.event, 1.0) * (1 - most)
        if chance >= CANDIDATE_FLOOR:
            leading.add(proposal.event)
    thresholds = model.thresholds
    hopeless = {
        e
        for e, miss in missed.items()
        if e not in leading or 1 - miss < thresholds.get(e, 0.5) - 1e-9
    }
    hopeful: list[tuple[Proposal, float]] = []
    for proposal, chance in zip(reading.proposals, chances, strict=True):
        if proposal.event not in hopeless and chance >= WITNESS_FLOOR:
            hopeful.append((proposal, chance))
        elif chance >= CANDIDATE_FLOOR:
            context = proposal.context
            for near in context.sentences[: _LEDE + 1]:
                read_mentions(near, context.catalogue)
    return hopeful


def _decide(
    proposal: Proposal, model: RecognitionModel, chance: float | None = None
) -> list[Finding]:
    """What one proposal announces: nothing, or one finding per show it names (a roundup's
    "renews A, B and C" names three). `chance`: its event's probability, when known."""
    if chance is None:
        chance = probability(_event_score(proposal, model))
    if chance < WITNESS_FLOOR:
        return []
    shows = _shows(proposal, model)
    return [f for f in _findings(proposal, model, chance, shows) if f is not None]


def decide_at(
    proposal: Proposal, model: RecognitionModel, alsos: Sequence[float]
) -> list[list[Finding]]:
    """`_decide` with each of `alsos` as the model's "also_show" threshold, in that order:
    the threshold search tries several, and only which shows are chosen differs, so each
    show's finding is made once."""
    chance = probability(_event_score(proposal, model))
    if chance < WITNESS_FLOOR:
        return [[] for _ in alsos]
    scored = _scored(proposal, model)
    # By option and chance: a list member may join with its list's chance (`listed_with`).
    made: dict[tuple[int, float], Finding | None] = {}
    out: list[list[Finding]] = []
    for also in alsos:
        shows = _chosen(proposal, scored, also)
        new = [show for show in shows if (id(show[0]), show[1]) not in made]
        if new:
            found = _findings(proposal, model, chance, new)
            made.update(zip([(id(o), c) for o, c in new], found, strict=True))
        out.append([f for o, c in shows if (f := made[id(o), c]) is not None])
    return out


def _findings(
    proposal: Proposal,
    model: RecognitionModel,
    chance: float,
    shows: list[tuple[ShowOption, float]],
) -> list[Finding | None]:
    """The finding of each of `shows` (their options and chances), None for a show the
    proposal cannot announce (a markets story's unquoted name, a premiere without a date
    or window)."""
    if not shows:
        return []
    leads = chance >= CANDIDATE_FLOOR
    sentences = proposal.context.sentences
    titles = titles_of(proposal.shows, proposal.sentence.index) if proposal.event == "P" else []
    entry_view = _item_score(proposal, model)
    found: list[Finding | None] = []
    season_model = model.season
    # Each season option's own features weigh the same for every show: summed once, and
    # each show's extra features added on (the sum `score` makes of them together).
    season_parts = [season_model.partial(o.features) for o in proposal.seasons]
    for show, show_chance in shows:
        if proposal.context.markets and not show.span.quoted:
            found.append(None)  # a fund's "return" or "renewed mandate" is no show's news
            continue
        value_date = None
        window = None
        event: Event
        likely = chance
        if proposal.event != "P":
            event = _EVENTS[proposal.event]
        else:
            # Each show its own date: a roundup gives several in one sentence.
            values = proposal.values
            placed = value_for_show(values, show, proposal.sentence, titles)
            value_scores = [model.value.score(features) for features in placed]
            best_value = max(range(len(values)), key=value_scores.__getitem__)
            value = values[best_value]
            # A premiere is announced with its date or window: as likely as the phrase
            # announcing one times this value being its own (a past year, a finale's
            # date, a window the date beside it refines are not).
            likely = chance * probability(value_scores[best_value])
            if value.date is not None:
                event, value_date = Event.PREMIERE_DATE, value.date
            elif value.window is not None:
                ref = value.window
                event, window = (
                    Event.PREMIERE_WINDOW,
                    Window(ref.start_date, ref.end_date, ref.text),
                )
            else:
                found.append(None)
                continue
        likely = with_item(likely, entry_view)
        extras = season_extras(proposal.seasons, show, sentences)
        best = max(
            range(len(extras)),
            key=lambda i: season_model.bias + season_model.partial(extras[i], season_parts[i]),
        )
        season = proposal.seasons[best].value
        span = as_written(show, proposal.shows)
        name = span.known or _canonical(span.name, proposal.context.catalogue)
        found.append(
            Finding(
                likely, event, name, span, season, proposal, value_date, window,
                show_chance, leads=leads,
            )
        )  # fmt: skip
    return found


def _event_score(proposal: Proposal, model: RecognitionModel) -> float:
    """`model.event.score(proposal.features)`, from the lexical part `worth` summed (with
    this model: `read_entry_parts` makes both) plus the structural weights, added in the
    same order."""
    part = proposal.lexical_part
    if part is None:
        return model.event.score(proposal.features)
    return model.event.bias + model.event.partial(proposal.structural, part)


def _item_score(proposal: Proposal, model: RecognitionModel) -> float:
    """What the entry as a whole says of the proposal's event (`_item`), read once per
    entry, model and event."""
    context = proposal.context
    key = (id(model), proposal.event)
    score = context.item_scores.get(key)
    if score is None:
        linear = model.item.get(proposal.event)
        if linear is None:
            score = 0.0
        else:
            if context.item_features is None:
                context.item_features = item_features(context.sentences, context.entry_features)
            count = context.counts.get(proposal.event, 0)
            score = item_score(linear, context.item_features, count)
        context.item_scores[key] = score
    return score


def _shows(proposal: Proposal, model: RecognitionModel) -> list[tuple[ShowOption, float]]:
    """The proposal's likely shows with their chances, best first (`_chosen`)."""
    also = model.thresholds.get("also_show", ALSO_SHOW)
    return _chosen(proposal, _scored(proposal, model), also)


def _scored(proposal: Proposal, model: RecognitionModel) -> list[tuple[float, int, ShowOption]]:
    """The proposal's show options with their scores, best first."""
    # A span's own features are scored once, whichever proposals consider it; so are the
    # shared heads of the relation features (summed on from, so in the same order).
    base = proposal.context.base_scores
    linear = model.show
    heads = _HEADS.get(id(linear))
    if heads is None or heads[0] is not linear:
        heads = _HEADS[id(linear)] = (linear, {})
    head_scores = heads[1]
    scored: list[tuple[float, int, ShowOption]] = []
    for i, option in enumerate(proposal.shows):
        key = (id(model), id(option.base))
        part = base.get(key)
        if part is None:
            part = base[key] = linear.partial(option.base)
        head = head_scores.get(id(option.head))
        if head is None or head[0] is not option.head:
            head = head_scores[id(option.head)] = (option.head, linear.partial(option.head))
        scored.append((linear.bias + part + linear.partial(option.extra, head[1]), i, option))
    # Best first; a tie keeps the options' order (a stable sort, reversed stably).
    scored.sort(key=itemgetter(0), reverse=True)
    return scored


def _chosen(
    proposal: Proposal, scored: list[tuple[float, int, ShowOption]], also: float
) -> list[tuple[ShowOption, float]]:
    """Of the `scored` options, no two overlapping in one sentence: the best one however
    unsure (the "show" threshold judges it later), and more only when each is `also`
    likely on its own (a roundup's "renews A, B and C")."""
    chosen: list[tuple[ShowOption, float]] = []
    own = proposal.sentence.index
    for score, _, option in scored:
        chance = probability(score)
        if chance < (also if chosen else SHOW_FLOOR):
            break
        # A second show stands in the phrase's own sentence or in the first show's: the
        # other names a headline's lede gives (or a lede's headline) are as often the
        # context of the news as more of it ("returning comedies Silicon Valley and Veep").
        if chosen and option.sentence not in (own, chosen[0][0].sentence):
            continue
        span = option.span
        if any(
            c.sentence == option.sentence and c.span.start < span.end and span.start < c.span.end
            for c, _ in chosen
        ):
            continue
        chosen.append((option, chance))
    return chosen + listed_with(proposal, chosen, [o for _, _, o in scored])


def _canonical(name: str, catalogue: Catalogue) -> str:
    """The catalogue's name for a span it did not find in the text itself (a show only
    the listings mirror knows, or a spelling variant), else the name as written."""
    known = catalogue.get(name)
    return known.name if known is not None else name


def _announcement(
    found: Finding, entry: Entry, sentences: list[Sentence], model: RecognitionModel
) -> Announcement:
    proposal = found.proposal
    features = certainty_features(found)
    scores = {name: linear.score(features) for name, linear in model.certainty.items()}
    certainty = certainty_of(scores, model.thresholds.get("official_margin", 0.0), hedged(found))
    return Announcement(
        show=found.show,
        event=found.event,
        certainty=Certainty(certainty),
        evidence=_evidence(proposal.sentence.text, proposal.phrase.start, proposal.phrase.end),
        source=Source(
            outlet=entry.outlet, link=entry.link, published=entry.published, title=entry.title
        ),
        season=found.season,
        date=found.value_date,
        window=found.value_window,
        network=_network(proposal.sentence, sentences, proposal.phrase.start),
        name_delimited=(
            found.span.quoted or found.span.known is not None or found.show != found.span.name
        ),
    )


def _network(sentence: Sentence, sentences: list[Sentence], position: int) -> str | None:
    if sentence.networks:
        nearest = min(sentence.networks, key=lambda ref: abs(ref.start - position))
        return nearest.name
    title = sentences[0]
    return title.networks[0].name if title.networks else None


def _evidence(text: str, start: int, end: int) -> str:
    low = max(0, start - _EVIDENCE_REACH)
    high = min(len(text), end + _EVIDENCE_REACH)
    snippet = text[low:high].strip()
    return ("…" if low else "") + snippet + ("…" if high < len(text) else "")
