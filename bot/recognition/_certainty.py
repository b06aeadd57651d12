"""How sure a finding's text is: the certainty model's features for it (every sentence
saying it), the certainty its scores say, and whether the text hedges the news itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.recognition._candidates import Proposal
from bot.recognition._certainty_scope import hearsay, hedges_phrase, hedges_value
from bot.recognition._findings import Finding
from bot.recognition._sentences import HEDGED_REPORT


def certainty_features(found: Finding) -> list[str]:
    """What the certainty model reads of a finding: every sentence that says it, since
    one may hedge ("reportedly") where the headline does not, or confirm where the
    headline asks a question."""
    if not found.witnesses:
        return found.proposal.certainty_features
    every = set(found.proposal.certainty_features)
    every.update(*(p.certainty_features for p in found.witnesses))
    return sorted(every)


def certainty_of(scores: Mapping[str, float], official_margin: float, hedged: bool = False) -> str:
    """The certainty the scores say, "official" only when it leads the others by
    `official_margin`: a report called official misleads more than the other way round.
    News the text itself hedges (`hedged`: "reportedly", "in talks") is at most a report,
    as the corpus labels it, however the rest of the story sounds."""
    others = [name for name in scores if name != "official"]
    best_other = max(others, key=lambda name: scores[name])
    if "official" in scores and scores["official"] - official_margin >= scores[best_other]:
        return "reported" if hedged else "official"
    return best_other


def hedged(found: Finding) -> bool:
    """Whether a sentence that says the finding hedges the news itself: anywhere in it
    ("reportedly", "in talks", hearsay), or in the words leading up to its event phrase
    ("is expected to premiere", "probably won't arrive") or to its date or window ("will
    return, but likely not until 2019")."""
    return any(
        HEDGED_REPORT in p.sentence.cues
        or hearsay(p.sentence.lower)
        or hedges_phrase(p.sentence.lower, p.phrases)
        or any(hedges_value(p.sentence.lower, start) for start in _value_starts(found, p))
        for p in (found.proposal, *found.witnesses)
    )


def _value_starts(found: Finding, proposal: Proposal) -> list[int]:
    """Where the proposal's sentence states the finding's date or window."""
    if found.value_date is None and found.value_window is None:
        return []
    text = found.value_window.text if found.value_window is not None else None
    return [
        option.start
        for option in proposal.values
        if (option.date is not None and option.date == found.value_date)
        or (option.window is not None and option.window.text == text)
    ]
