"""Wording of items that announce nothing ("yet to be confirmed", "here's what we know"),
by class (`unannounced_cues`): entry features the event model weighs."""

from __future__ import annotations

from bot.recognition._text import (
    MODAL_MAY,
    after_non_word,
    word_start_matches,
    word_start_pattern,
)

# Wording of items that announce nothing ("yet to be confirmed", "here's what we know"), by
# class: read once per entry over its whole text, each an entry feature the event model
# weighs, never a gate (real news often says what is not yet known beside what is).
_UNANNOUNCED = (
    (
        "not_yet",
        (
            r"yet\s+to\s+(?:be\s+)?(?:officially\s+)?(?:confirm|renew|announc|decid|greenl|pick)",
            r"ha(?:s|ve)(?:n't|\s+not)\s+(?:yet\s+)?(?:been\s+)?(?:officially\s+)?(?:confirm"
            r"|renew|announc|cancel|decid|greenl|pick|reveal)",
            r"not\s+(?:yet\s+)?(?:been\s+)?(?:officially\s+)?(?:confirmed|announced|renewed)",
            r"no\s+(?:official\s+)?(?:word|news|announcement|confirmation|update|decision)\b",
        ),
    ),
    (
        "unknown",
        (r"up\s+in\s+the\s+air\b", r"remains?\s+to\s+be\s+seen\b", r"unclear\b", r"unknown\b",
         r"uncertain", r"undecided\b", r"in\s+limbo\b", r"on\s+the\s+bubble\b"),
    ),
    (
        "know",
        (
            r"everything\s+(?:we|you)\s+(?:know|need)", r"what\s+(?:we|you)\s+(?:know|need)",
            r"all\s+(?:we|you)\s+(?:know|need)", r"here'?s\s+what\b",
            r"things\s+to\s+know\b", r"what\s+to\s+expect\b", r"explained\b", r"find\s+out\b",
            r"keep\s+reading\b",
        ),
    ),
    (
        "speculative",
        (
            *(
                rf"{modal}\s+(?:\w+\s+)?(?:return|come\s+back|be\s+renewed|be\s+back|be\s+cancel)"
                for modal in ("could", "might", MODAL_MAY)
            ),
            r"potential\b", r"possib", r"chances?\b", r"odds\b", r"prospects?\b", r"speculat",
        ),
    ),
    ("whether", (r"whether\b", r"if\s+(?:the\s+)?(?:show|series|it|there)\b")),
    ("hope", (r"fans\s+(?:\w+\s+)?(?:hope|hoping|want|wait|waiting|await|demand|wonder)",
              r"hop(?:e|es|ing)\s+(?:for|that|to)\b", r"fingers\s+crossed\b", r"await")),
    ("denied", (r"deni(?:ed|es|al)\b", r"debunk", r"fake\b", r"hoax\b", r"not\s+true\b")),
)  # fmt: skip
_UNANNOUNCED_CUES = tuple(
    (f"says_{name}", word_start_pattern(alternatives)) for name, alternatives in _UNANNOUNCED
)
# Any of them, searched for in one pass (most entries hold none); each match then told apart.
_UNANNOUNCED_ANY = word_start_pattern([a for _, alternatives in _UNANNOUNCED for a in alternatives])
_UNANNOUNCED_AFTER = after_non_word(_UNANNOUNCED_ANY)


def unannounced_cues(lower: str) -> list[str]:
    """The classes of `_UNANNOUNCED` wording an entry's lower-cased text holds, in order."""
    found: set[str] = set()
    for match in word_start_matches(_UNANNOUNCED_ANY, _UNANNOUNCED_AFTER, lower):
        found.update(n for n, pattern in _UNANNOUNCED_CUES if pattern.match(lower, match.start()))
    return [name for name, _ in _UNANNOUNCED_CUES if name in found]
