"""How sure a sentence is: the network said it (official), an outlet reports it without
confirmation (reported), or the writer guesses (speculation).

Reported cues are read across the whole sentence ("According to Deadline, ..."); hedges
are read only in the stretch that holds the announcement, so "Netflix confirmed the
renewal, and we imagine it returns in 2026" keeps the renewal official and makes the
window a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.models import Certainty

_OUTLETS = (
    r"(?:Deadline|Variety|The\s+Hollywood\s+Reporter|THR|TVLine|TV\s+Line|The\s+Wrap|TheWrap"
    r"|Vulture|Collider|Screen\s+Rant|ScreenRant|Entertainment\s+Weekly|EW|IndieWire"
    r"|What's\s+on\s+Netflix|Bloomberg|Puck|Matthew\s+Belloni|The\s+Ankler|Insider"
    r"|Business\s+Insider|Radio\s+Times|the\s+Sun|Daily\s+Mail|TV\s+Insider|Showbiz\s+411"
    r"|Giant\s+Freakin\s+Robot|We\s+Got\s+This\s+Covered|Illuminerdi|the\s+outlet|the\s+trade)"
)
_REPORTED = re.compile(
    (
        r"\breported(?:ly)?\b|\breports?\s+(?:say|said|indicate|suggest|claim)"
        r"|\bsources?\b[^.]{0,40}?\b(?:say|says|said|tell|told|indicate|claim|reveal|report)"
        r"|\b(?:according\s+to|per)\s+(?:multiple\s+|several\s+)?(?:sources?|insiders?|people"
        r"|a\s+(?:new\s+)?report|reports|individuals|those\s+familiar)"
        r"|\binsiders?\b|\bpoised\s+for\b|\bis\s+said\s+to\b|\bare\s+said\s+to\b|\brumou?r(?:s|ed)?\b"
        r"|\b(?:has|have)\s+learned\b|\bunderstands\b|\bexclusive(?:ly)?\b|\bin\s+talks\b"
        r"|\bnearing\s+a\b|\bpoised\s+to\b|\bbroke\s+the\s+news\b|\bunconfirmed\b|\bleak(?:s|ed)?\b"
        r"|\bnot\s+(?:yet\s+)?(?:been\s+)?(?:officially\s+)?(?:confirmed|announced)\b"
        r"|\bno\s+official\s+(?:word|announcement|confirmation)\b"
        r"|\b(?:won't|will\s+not|didn't|did\s+not)\s+(?:\w+\s+)?make\s+an\s+official"
        r"|\bhas\s+yet\s+to\s+(?:officially\s+)?(?:confirm|announce)"
        rf"|\b(?:according\s+to|per|via)\s+{_OUTLETS}|\b{_OUTLETS}\s+(?:reports|reported|has\s+"
        r"reported|says|said|learned|hears|heard|broke)\b"
        r"|\bpeople\s+(?:familiar|close)\s+(?:with|to)\b|\bfamiliar\s+with\s+the\s+(?:matter|plans)"
    ).lower()
)
SPECULATION = re.compile(
    r"\b(?:we|i)(?:'d|'re|'ll|\s+would|\s+tend\s+to|\s+have\s+to|\s+do|\s+still|\s+can\s+only"
    r"|\s+would\s+have\s+to|\s+are)?\s+(?:imagine|think|expect|suspect|guess|hope|bet|predict"
    r"|anticipate|reckon|believe|wager|figure|assume|say|speculate|feel|envision|foresee"
    r"|presume|estimate|wonder)\b"
    r"|\b(?:could|might|may|probably|likely|possibly|perhaps|maybe|hopefully|presumably"
    r"|potentially|conceivably|theoretically|plausibly|speculat\w*)\b"
    r"|\bmost\s+likely\b|\bchances\s+are\b|\bin\s+theory\b|\bour\s+(?:best\s+)?(?:guess|hope"
    r"|expectation|prediction|bet)\b|\bbest[- ]case\b|\bif\s+(?:all\s+goes|history|we\s+had"
    r"|the\s+pattern|things)\b|\bat\s+the\s+earliest\b|\bat\s+least\b|\bexpected\b|\bexpect\b"
    r"|\bwould\s+(?:be|mean|put|suggest|land|arrive|see)\b|\bshould\s+(?:arrive|premiere|return"
    r"|debut|be\s+back|land|come|drop|launch|hit)\b|\bseems?\s+(?:like|to|plausible|possible)\b"
    r"|\bprediction\b|\bestimate[sd]?\b|\bguess(?:ing)?\b|\bforecast\w*|\bon\s+track\s+for\b"
    r"|\bnot\s+(?:until|before)\b|\bfar\s+too\s+early\b|\btoo\s+early\s+to\b",
    re.IGNORECASE,
)
_NOT_HEDGES = re.compile(
    r"\bcould\s*n[o']t\s+be\s+(?:more|happier|prouder)\b|\bcould\s+not\s+be\s+(?:more|happier)"
    r"|\bmay\s+\d|\bmost\s+likely\s+to\s+succeed\b",
    re.IGNORECASE,
)
OFFICIAL = re.compile(
    r"\bofficial(?:ly)?\b|\bannounce[sd]?\b|\bannouncing\b|\bannouncement\b|\bconfirm(?:s|ed"
    r"|ing|ation)?\b|\bstatement\b|\brevealed\b|\bunveiled\b|\bit's\s+official\b|\bpress\s+release"
    r"|\bsaid\s+in\s+a\b|\btold\s+(?:fans|viewers)\b|\bsocial\s+media\b|\bshared\s+the\s+news\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Reading:
    """A certainty and whether a cue in the text said so (rather than the default)."""

    certainty: Certainty
    explicit: bool


def read_certainty(sentence: str, hedge_scope: str) -> Reading:
    """The certainty of an announcement made in `sentence`, hedges read in `hedge_scope`.
    Reported beats speculation (a source's guess is still a source); no cue means the
    outlet states it as fact, which is read as official."""
    if is_reported(sentence):
        return Reading(Certainty.REPORTED, True)
    if is_hedged(hedge_scope):
        return Reading(Certainty.SPECULATION, True)
    if OFFICIAL.search(sentence):
        return Reading(Certainty.OFFICIAL, True)
    return Reading(Certainty.OFFICIAL, False)


@lru_cache(maxsize=4096)
def is_reported(text: str) -> bool:
    """True when `text` attributes news to a report or sources rather than the network
    ("reportedly", "sources say", "according to Deadline", "not yet confirmed")."""
    # Lower-cased text against a lower-case pattern: much cheaper than IGNORECASE.
    return _REPORTED.search(text.lower()) is not None


def is_hedged(text: str) -> bool:
    """True when `text` carries the writer's hedge ("we imagine", "could", "probably")."""
    for match in SPECULATION.finditer(text):
        if _NOT_HEDGES.search(text, max(0, match.start() - 2), match.end() + 20):
            continue
        word = match.group()
        # Lower-case "may" is the verb; "May" is usually the month.
        if word == "May":
            continue
        return True
    return False
