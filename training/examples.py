"""Training examples from the corpus: each item read once into candidates, and the
examples of every model drawn from them (`training/train.py` learns from these).

How labels reach the candidates (`bot/recognition/_candidates.py` makes them):
- A proposal (an event phrase read as one event) is positive when a label of its entry has
  that event and is about a show among the proposal's options, and the proposal's sentence
  names that show, or is the title, or states the label's season, date or window, or names
  no show while the next sentence names that one.
- For a positive proposal, the option naming the label's show, the option with its season
  (none for a label without one) and the option with its date or window are the positives
  of the show, season and value models; the label's certainty is the certainty model's, read
  from every sentence that says the label (as a finding's certainty is decided).
- A negative premiere proposal's dates and windows are all negatives of the value model.
- Each item gives the item model of each event it proposes one example: positive when a
  label has that event (`bot/recognition/_item.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.models import Event
from bot.recognition._candidates import Proposal, read_candidates, reference_of
from bot.recognition._item import count_feature, item_features
from bot.recognition._options import ShowOption
from bot.recognition._season_for_show import season_for_show
from bot.recognition._sentences import EntryReading
from bot.recognition._value_options import titles_of, value_for_show
from bot.recognition._windows import WindowRef, find_windows
from bot.shows.catalogue import Catalogue
from bot.shows.names import name_key
from training.scoring import Label, entry_from_item, labels_of

LETTER = {
    Event.RENEWED: "R",
    Event.CANCELLED: "C",
    Event.ENDING: "E",
    Event.PREMIERE_DATE: "P",
    Event.PREMIERE_WINDOW: "P",
}
CERTAINTIES = ("official", "reported", "speculation")

Example = tuple[list[str], int]


@dataclass(slots=True)
class Examples:
    """Training examples for every model, from a set of items."""

    event: list[Example] = field(default_factory=list)
    show: list[Example] = field(default_factory=list)
    season: list[Example] = field(default_factory=list)
    value: list[Example] = field(default_factory=list)
    certainty: list[tuple[list[str], str]] = field(default_factory=list)
    # Per event letter, the item model's: one per item that proposes the event.
    item: dict[str, list[Example]] = field(default_factory=lambda: {e: [] for e in "RCEP"})

    def extend(self, other: Examples) -> None:
        """Append `other`'s examples to each model's, in order."""
        self.event += other.event
        self.show += other.show
        self.season += other.season
        self.value += other.value
        self.certainty += other.certainty
        for letter, rows in other.item.items():
            self.item[letter] += rows


@dataclass(frozen=True, slots=True)
class Read:
    """One corpus item, read once."""

    item: dict[str, Any]
    reading: EntryReading
    labels: list[Label]


def read_items(items: Sequence[dict[str, Any]], catalogue: Catalogue) -> list[Read]:
    """Read every item into candidates (the slow part, done once)."""
    return [
        Read(
            item,
            read_candidates(entry_from_item(item), catalogue),
            labels_of(item, catalogue),
        )
        for item in items
    ]


def _option_keys(option: ShowOption) -> set[str]:
    keys = {name_key(option.span.name)}
    if option.span.known:
        keys.add(name_key(option.span.known))
    return keys


def _window_matches(window: WindowRef, label: str | None, reference: date) -> bool:
    """True when a found window is the labelled one: the same words, or the label's words
    read as a window overlapping the found one (both read against the entry's `reference`)."""
    if not label:
        return False
    a, b = " ".join(window.text.lower().split()), " ".join(label.lower().split())
    if a in b or b in a:
        return True
    return any(
        ref.start_date <= window.end_date and window.start_date <= ref.end_date
        for ref in find_windows(label, reference)
    )


def _targets(
    proposal: Proposal, labels: list[Label], published: date | None, reference: date
) -> list[Label]:
    """The labels a proposal stands for (see the module docstring)."""
    found: list[Label] = []
    for label in labels:
        if LETTER[label.event] != proposal.event:
            continue
        key = name_key(label.show)
        matching = [o for o in proposal.shows if key in _option_keys(o)]
        if not matching:
            continue
        index = proposal.sentence.index
        local = any(o.sentence == index or (index and o.sentence == index + 1) for o in matching)
        states_value = (
            (label.season is not None and any(s.value == label.season for s in proposal.seasons))
            or (
                label.date is not None
                and any(_same_day(v.date, label.date, published) for v in proposal.values)
            )
            or any(
                v.window and _window_matches(v.window, label.window, reference)
                for v in proposal.values
            )
        )
        if local or proposal.sentence.index == 0 or states_value:
            found.append(label)
    return found


def build_examples(reads: Iterable[Read]) -> Examples:
    """The examples of every model from already read items."""
    out = Examples()
    for read in reads:
        # Each label's certainty is read from every sentence that says it, as it is decided.
        witnessed: dict[int, set[str]] = {}
        published, reference = read.reading.published, reference_of(read.reading)
        for proposal in read.reading.proposals:
            targets = _targets(proposal, read.labels, published, reference)
            out.event.append((proposal.features, int(bool(targets))))
            if not targets:
                if proposal.event == "P":
                    out.value += _unlabelled_value_examples(proposal)
                continue
            label = targets[0]
            keys = {name_key(t.show) for t in targets}
            out.show += [(o.features, int(bool(keys & _option_keys(o)))) for o in proposal.shows]
            for target in targets:
                key = name_key(target.show)
                shows = [o for o in proposal.shows if key in _option_keys(o)]
                show = min(shows, key=lambda o: o.sentence != proposal.sentence.index)
                described = season_for_show(proposal.seasons, show, read.reading.sentences)
                out.season += [
                    (features, int(option.value == target.season))
                    for option, features in zip(proposal.seasons, described, strict=True)
                ]
                if proposal.event == "P":
                    out.value += _value_examples(proposal, show, target, published, reference)
            if label.certainty in CERTAINTIES:
                witnessed.setdefault(id(label), set()).update(proposal.certainty_features)
        for label in read.labels:
            if id(label) in witnessed:
                out.certainty.append((sorted(witnessed[id(label)]), str(label.certainty)))
        _item_examples(read, out)
    return out


def _item_examples(read: Read, out: Examples) -> None:
    """The item model's examples of one read: for each event it proposes, whether a label
    has that event."""
    proposals = read.reading.proposals
    if not proposals:
        return
    context = proposals[0].context
    features = item_features(read.reading.sentences, context.entry_features)
    labelled = {LETTER[label.event] for label in read.labels}
    for letter in sorted({p.event for p in proposals}):
        count = count_feature(context.counts.get(letter, 0))
        out.item[letter].append(([*features, count], int(letter in labelled)))


def _same_day(found: date | None, label: date | None, published: date | None) -> bool:
    """Whether a found date is the labelled one. An undated entry's "returns March 9" is
    read against the year its text names, or a fixed one (`undated_reference`), so there
    the day and month decide: else the date beside a roundup's name would be taught as the
    wrong one."""
    if found is None or label is None:
        return False
    if found == label:
        return True
    return published is None and (found.month, found.day) == (label.month, label.day)


def _value_examples(
    proposal: Proposal, show: ShowOption, label: Label, published: date | None, reference: date
) -> list[Example]:
    """The value model's examples for one labelled show of a premiere proposal."""
    titles = titles_of(proposal.shows, proposal.sentence.index)
    placed = value_for_show(proposal.values, show, proposal.sentence, titles)
    out: list[Example] = []
    for option, features in zip(proposal.values, placed, strict=True):
        if label.event is Event.PREMIERE_DATE:
            hit = _same_day(option.date, label.date, published)
        else:
            hit = option.window is not None and _window_matches(
                option.window, label.window, reference
            )
        out.append((features, int(hit)))
    return out


def _unlabelled_value_examples(proposal: Proposal) -> list[Example]:
    """The value model's negatives from a premiere proposal no label stands for: its
    dates and windows time something else (a finale, filming, a past premiere) or
    nothing announced. Without them the value model meets only the sentences that do
    announce a premiere, and cannot tell a finale's month from a premiere's. Read for the
    show nearest the phrase, as a decision reads them for the show it chose."""
    local = [o for o in proposal.shows if o.sentence == proposal.sentence.index]
    if not local:
        return []
    at = proposal.phrase.start
    show = min(local, key=lambda o: min(abs(o.span.end - at), abs(o.span.start - at)))
    titles = titles_of(proposal.shows, proposal.sentence.index)
    return [
        (features, 0)
        for features in value_for_show(proposal.values, show, proposal.sentence, titles)
    ]
