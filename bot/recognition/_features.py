"""The features that describe a proposal to the model: its words (lexical), what its
sentence holds (structural), what a span that might be its show looks like, what kind of
story the entry is, and how sure the sentence sounds (certainty).
"""

from __future__ import annotations

import re

from bot.recognition._phrases import Phrase
from bot.recognition._sentences import _LEDE, Sentence, _phrase_token
from bot.recognition._spans import Span
from bot.recognition._traps import HEDGE, NEGATION, EntryTraits

# A fact told as old news: "already renewed", "renewed back in March", "a year after".
_OLD_NEWS = re.compile(
    r"\b(?:already|previously|earlier\s+this\s+year|last\s+year|back\s+in|a\s+year\s+(?:after|ago)"
    r"|months?\s+ago|years?\s+ago|originally|once|had\s+been|was\s+first)\b"
)
_LIST_AFTER = re.compile(r"[\"']?(?:,|\s+(?:and|&)\s)")
_LIST_BEFORE = re.compile(r"(?:,|\s(?:and|&))\s+[\"']?$")


def _span_features(
    sentence: Sentence, span: Span, whole: str, title: str, elsewhere: set[str]
) -> list[str]:
    """What a span looks like, and how it stands to the other spans: a piece of a longer
    name ("A Place" in "A Place to Call Home") or a name with words run on ("Greenleaf from
    Lionsgate"), here or where the title or lede names the show again (`elsewhere`: those
    names, space-padded)."""
    tokens = sentence.tokens
    prev = tokens[span.first - 1].lower if span.first > 0 else "^"
    after = tokens[span.last + 1].lower if span.last + 1 < len(tokens) else "$"
    length = span.last - span.first + 1
    case = "hc" if sentence.headline_case else "rc"
    first_word = tokens[span.first].lower
    features = [
        f"len={min(length, 5)}",
        f"{case}|len={min(length, 5)}",
        f"prev={prev}",
        f"next={after}",
        f"{case}|prev={prev}",
        f"{case}|next={after}",
        f"first={first_word}",
        f"last={tokens[span.last].lower}",
    ]
    if span.quoted:
        features.append("quoted")
    if span.known:
        features.append("known_doubtful" if span.doubtful else "known")
        features.append(f"{case}|known_doubtful" if span.doubtful else f"{case}|known")
    if span.possessive:
        features.append("possessive")
    if span.first == 0:
        features.append(f"{case}|at_start")
    if span.last == len(tokens) - 1:
        features.append("at_end")
    if any("'s" in tokens[k].lower for k in range(span.first, span.last)):
        features.append("inner_possessive")
    if any(
        tokens[k].text.isupper() and len(tokens[k].text) > 1
        for k in range(span.first, span.last + 1)
    ):
        features.append("has_acronym")  # fmt: skip
    if any(tokens[k].text[0].isdigit() for k in range(span.first, span.last + 1)):
        features.append("has_digit")
    if first_word == "the":
        features.append("starts_the")
    text_after = sentence.text[span.end : span.end + 5]
    text_before = sentence.text[max(0, span.start - 5) : span.start]
    if text_after.startswith(":"):
        features.append("colon_after")
    if _LIST_AFTER.match(text_after) or _LIST_BEFORE.search(text_before):
        features.append("listed")
    relations: list[str] = []
    for other in sentence.spans:
        if other is span:
            continue
        if other.start <= span.start and span.end <= other.end:
            relations.append("inside_longer")
            if other.quoted and not span.quoted:
                features.append("inside_quoted")
            if other.known and not other.doubtful:
                features.append("inside_known")
        elif span.start <= other.start and other.end <= span.end:
            relations.append("contains_shorter")
    # How often the story names it, and whether its title does: the show a story is about.
    lower = span.name.lower()
    features.append(f"named={min(whole.count(lower), 3)}")
    if sentence.index and lower in title:
        features.append("in_title")
    features += relations
    name = f" {lower} "
    if name in elsewhere:
        features.append("same_elsewhere")
    if any(name in other and name != other for other in elsewhere):
        features.append("longer_elsewhere")
    if any(other in name and name != other for other in elsewhere):
        features.append("shorter_elsewhere")
    return list(dict.fromkeys(features))


def _entry_features(sentences: list[Sentence], traits: EntryTraits) -> list[str]:
    features = [name for name in traits.__slots__ if getattr(traits, name)]
    title = sentences[0]
    if title.text.rstrip().endswith("?"):
        features.append("title_question")
    if title.headline_case:
        features.append("title_headline_case")
    if len(sentences) == 1:
        features.append("title_only")
    return [f"entry_{f}" for f in features]


def _lexical_features(
    event: str,
    sentence: Sentence,
    phrases: list[Phrase],
    sentences: list[Sentence],
    entry_features: list[str],
) -> list[str]:
    e = event
    where = "t" if sentence.index == 0 else ("l" if sentence.index <= _LEDE else "b")
    features = [f"{e}|bias", f"{e}|where={where}", f"{e}|phrases={min(len(phrases), 3)}"]
    for phrase in phrases:
        left, right, negated, hedged = _around(sentence, phrase)
        l1 = left[-1] if left else "^"
        r1 = right[0] if right else "$"
        features += [
            f"{e}|ph={phrase.name}",
            f"{e}|pt={phrase.text}",
            f"{e}|{where}|ph={phrase.name}",
            f"{e}|L1={l1}",
            f"{e}|R1={r1}",
            f"{e}|L1R1={l1}_{r1}",
            f"{e}|pt={phrase.text}|R1={r1}",
            f"{e}|pt={phrase.text}|L1={l1}",
        ]
        features += [f"{e}|L={w}" for w in left[:-1]]
        features += [f"{e}|R={w}" for w in right[1:]]
        if negated:
            features += [f"{e}|negated", f"{e}|ph={phrase.name}|negated"]
        if hedged:
            features += [f"{e}|hedged", f"{e}|ph={phrase.name}|hedged"]
    features += [f"{e}|w={w}" for w in sentence.common]
    if sentence.index > 0:
        features += [f"{e}|tw={w}" for w in sentences[0].common]
    features += [f"{e}|{f}" for f in entry_features]
    if _OLD_NEWS.search(sentence.lower):
        features.append(f"{e}|old_news")
    if "?" in sentence.text[phrases[0].end :]:
        features.append(f"{e}|question_after")
    if sentence.text.rstrip().endswith("?"):
        features.append(f"{e}|question")
    for other in sentence.phrases:
        if event not in other.events:
            features.append(f"{e}|co={other.name}")
    return list(dict.fromkeys(features))


def _around(sentence: Sentence, phrase: Phrase) -> tuple[list[str], list[str], bool, bool]:
    """The three words either side of a phrase, and whether the words before it negate or
    hedge it: the same for every event the phrase may stand for, so read once per phrase."""
    found = sentence.around.get(phrase.start)
    if found is None:
        tokens, names = sentence.tokens, sentence.name_words
        at = _phrase_token(sentence, phrase)
        end = at + len(phrase.text.split())
        left = [_unnamed(tokens[k].lower, names) for k in range(max(0, at - 3), at)]
        right = [_unnamed(tokens[k].lower, names) for k in range(end, min(len(tokens), end + 3))]
        before = sentence.lower[max(0, phrase.start - 40) : phrase.start]
        found = (left, right, NEGATION.search(before) is not None, HEDGE.search(before) is not None)
        sentence.around[phrase.start] = found
    return found


def _unnamed(word: str, names: frozenset[str]) -> str:
    """A word beside an event phrase, or "<show>" for a word of a show's name."""
    return "<show>" if word in names else word


# The event model's features that need the sentence analysed (names, seasons, values).
STRUCTURAL = (
    "has_quoted", "has_known", "has_season", "season_form=number", "season_form=count",
    "season_form=unnumbered", "season_final", "season_negated", "season_after",
    "has_network", "has_date", "has_window", "window_kind=specific", "window_kind=year",
    "window_kind=month",
)  # fmt: skip


def _structural_features(event: str, sentence: Sentence) -> list[str]:
    e = event
    features: list[str] = []
    if any(s.quoted for s in sentence.spans):
        features.append(f"{e}|has_quoted")
    if any(s.known and not s.doubtful for s in sentence.spans):
        features.append(f"{e}|has_known")
    if sentence.seasons:
        features.append(f"{e}|has_season")
        for ref in sentence.seasons:
            features.append(f"{e}|season_form={ref.form.value}")
            if ref.final:
                features.append(f"{e}|season_final")
            if ref.negated:
                features.append(f"{e}|season_negated")
            if ref.preceded_by_after:
                features.append(f"{e}|season_after")
    if sentence.networks:
        features.append(f"{e}|has_network")
    if event == "P":
        if sentence.dates:
            features.append("P|has_date")
        if sentence.windows:
            features.append("P|has_window")
            features += [f"P|window_kind={w.kind.value}" for w in sentence.windows]
    return list(dict.fromkeys(features))


def _certainty_features(
    event: str, sentence: Sentence, phrases: list[Phrase], entry_cues: set[str]
) -> list[str]:
    _, _, negated, hedged = _around(sentence, phrases[0])
    features = [f"ev={event}", "bias", "title" if sentence.index == 0 else "body"]
    features += [f"w={w}" for w in sentence.words]
    features += sentence.cues
    features += sorted(entry_cues)
    if hedged:
        features.append("hedged")
    if negated:
        features.append("negated")
    return list(dict.fromkeys(features))
