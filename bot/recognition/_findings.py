"""An entry's findings, and how they become its announcements: one per (event, show),
the sentences saying it combined (noisy-or), taking a stated season over none. A name that
is part of a longer chosen name for the same event ("Chopra's Citadel" / "Citadel") is one
show; an exact date says more than a window; a show read as both renewed and cancelled is
what the likelier reading says."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.models import Event, Window
from bot.recognition._candidates import Proposal
from bot.recognition._spans import Span
from bot.shows.names import name_key

# A show's fate in one entry: when it reads as both, the likelier reading is the news.
_FATES = (Event.RENEWED, Event.CANCELLED)
# The key of each event's threshold in a model's thresholds; both premieres share "P".
_THRESHOLD_NAMES = {Event.RENEWED: "R", Event.CANCELLED: "C", Event.ENDING: "E"}


@dataclass(frozen=True, slots=True)
class Finding:
    """What one proposal says of one show: an event, its season and value, and how likely."""

    probability: float
    event: Event
    show: str
    span: Span
    season: int | None
    proposal: Proposal
    value_date: date | None = None
    value_window: Window | None = None
    show_chance: float = 1.0
    witnesses: tuple[Proposal, ...] = ()  # the other sentences that say it too
    # Whether a sentence saying it is sure enough to announce it on its own evidence
    # (`_reader.CANDIDATE_FLOOR`); weaker ones only add to one that is. One sentence reads
    # as one proposal per event, so it leads or not for every show it names.
    leads: bool = True


def one_per_show(found: list[Finding], thresholds: Mapping[str, float]) -> list[Finding]:
    """One finding per (event, show), kept when the sentences saying it together are sure
    enough and one of them leads: each is independent evidence, so their chances combine
    (noisy-or)."""
    return kept_of(combined(found, thresholds.get("show", 0.5)), thresholds)


def combined(found: list[Finding], named: float) -> list[Finding]:
    """The findings whose show is at least `named` likely, one per (event, show), with the
    chances of the sentences saying it combined; likeliest first. What the events'
    thresholds keep of them is `kept_of`'s (training's threshold search asks it again and
    again of one combination)."""
    best: dict[tuple[Event, str], Finding] = {}
    for item in sorted(found, key=lambda f: -f.probability):
        if item.show_chance < named:
            continue
        key = (item.event, name_key(item.show))
        held = best.get(key)
        if held is None:
            best[key] = item
            continue
        sentence = item.proposal.sentence
        if held.proposal.sentence is sentence or any(
            w.sentence is sentence for w in held.witnesses
        ):
            continue  # the same sentence is not a second witness
        season = item.season if held.season is None else held.season
        # A stated season is worth more than a likelier reading that states none.
        chance = 1 - (1 - held.probability) * (1 - item.probability)
        best[key] = Finding(
            chance, held.event, held.show, held.span, season,
            held.proposal, held.value_date, held.value_window, held.show_chance,
            (*held.witnesses, item.proposal), held.leads or item.leads,
        )  # fmt: skip
    return sorted(best.values(), key=lambda f: -f.probability)


def threshold_name(event: Event) -> str:
    """The key of `event`'s threshold in a model's thresholds (both premieres share one)."""
    return _THRESHOLD_NAMES.get(event, "P")


def kept_of(combination: list[Finding], thresholds: Mapping[str, float]) -> list[Finding]:
    """What the events' thresholds keep of a `combined` list, in the text's order: a
    finding one of whose sentences leads, at least as likely as its event's threshold,
    unless a longer name, an exact date or the likelier fate says more."""
    best = [
        f
        for f in combination
        if f.leads and f.probability >= thresholds.get(threshold_name(f.event), 0.5)
    ]
    dated = {name_key(f.show) for f in best if f.event is Event.PREMIERE_DATE}
    kept: list[Finding] = []
    for item in best:
        show_key = name_key(item.show)
        if any(
            other.event is item.event and _contains(name_key(other.show), show_key)
            for other in kept
        ):
            continue
        if item.event is Event.PREMIERE_WINDOW and show_key in dated:
            continue  # an exact date says more than a window for the same premiere
        if item.event in _FATES and any(
            other.event in _FATES and name_key(other.show) == show_key for other in kept
        ):
            continue  # renewed and cancelled at once: a revival's story tells of both
        kept.append(item)
    return sorted(kept, key=lambda f: (f.proposal.sentence.index, f.proposal.phrase.start))


def _contains(a: str, b: str) -> bool:
    """True when one name is the other with words around it."""
    if a == b:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return f" {short} " in f" {long} "
