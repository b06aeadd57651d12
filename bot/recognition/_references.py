"""How a sentence points at a show it does not name: "the network has canceled the comedy",
"the series will end with its sixth season". A story names its show once, in the title or
the lede, and then refers to it; the event phrase of such a sentence is about the show named
there. These features tie the title's (or lede's) names to a sentence that refers without
naming, and mark a sentence's own capitalised words that only describe the show ("the Tina
Fey-produced sitcom").
"""

from __future__ import annotations

from bot.recognition._phrases import Phrase
from bot.recognition._sentences import Sentence
from bot.recognition._spans import Span

# The nouns a story uses for a show it has named ("the drama", "the comedy series").
_KINDS = frozenset(
    (
        "series", "show", "drama", "comedy", "sitcom", "thriller", "docuseries", "miniseries",
        "procedural", "anthology", "dramedy", "programme", "program", "soap", "serial",
        "reboot", "revival", "spinoff", "spin-off", "prequel", "sequel", "adaptation",
        "franchise", "cartoon", "competition", "sci-fi", "saga", "hit", "original",
    )
)  # fmt: skip
_DETERMINERS = frozenset(("the", "this", "that"))
_PRONOUNS = frozenset(("it", "its"))
# At most this many words stand between "the" and its noun ("the Sony TV-produced crime
# procedural").
_REACH = 5
_BREAKS = frozenset(',;:()"!?')


class References:
    """A sentence's references to a show it does not name, read for one proposal."""

    __slots__ = ("describing", "kinds", "near")

    def __init__(self, sentence: Sentence, phrases: list[Phrase]) -> None:
        tokens = sentence.tokens
        text = sentence.text
        named_at = {span.first for span in sentence.spans}
        # Token ranges (first, last) of descriptions ("the ... comedy") and references.
        self.describing: list[tuple[int, int]] = []
        self.kinds: list[str] = []
        found: list[tuple[int, int]] = []
        for i, token in enumerate(tokens):
            word = token.lower
            if word in _PRONOUNS:
                self.kinds.append("it")
                found.append((i, i))
                continue
            if word not in _DETERMINERS:
                continue
            head = -1
            for j in range(i + 1, min(len(tokens), i + 1 + _REACH)):
                if _BREAKS.intersection(text[tokens[j - 1].end : tokens[j].start]):
                    break
                noun = tokens[j].lower.removesuffix("'s").removesuffix("'")
                if noun in _KINDS:
                    head = j
                elif head >= 0:
                    break
            if head < 0:
                continue
            self.describing.append((i + 1, head))
            # "the drama Home Before Dark" names its show right after: no reference.
            if head + 1 in named_at and text[tokens[head].end : tokens[head + 1].start] == " ":
                continue
            self.kinds.append(tokens[head].lower.removesuffix("'s").removesuffix("'"))
            found.append((i, head))
        # Whether a reference stands right by an event phrase ("canceled the comedy", "the
        # series will end").
        self.near = False
        if found:
            ends = [(p.start, p.end) for p in phrases]
            for first, last in found:
                start, end = tokens[first].start, tokens[last].end
                if any(-25 <= a - end <= 25 or -25 <= start - b <= 25 for a, b in ends):
                    self.near = True
                    break

    def features(self, event: str, tag: str, named: bool) -> list[str]:
        """The features a name from another sentence (`tag`: from the title, the lede or the
        next sentence) gains from how this one refers to its show; `named`: whether this
        one has a name of its own."""
        out = [] if named else [f"{tag}|none_local", f"{event}|{tag}|none_local"]
        if not self.kinds:
            return out
        out += [f"{tag}|ref", f"{event}|{tag}|ref"]
        out += [f"{tag}|ref={kind}" for kind in dict.fromkeys(self.kinds)]
        if self.near:
            out += [f"{tag}|ref_near", f"{event}|{tag}|ref_near"]
        return out

    def whole_names(self, event: str, tag: str, named: bool, count: int) -> list[str]:
        """The features of a whole name (no piece of a longer one) from another sentence
        that gives `count` whole names: the fewer, the surer this sentence means it."""
        many = f"{tag}|whole={min(count, 3)}"
        out = [many, f"{event}|{many}"]
        if not named:
            out.append(f"{many}|none_local")
        if self.kinds:
            out.append(f"{many}|ref")
        return out

    def whole_local(self, event: str, count: int) -> list[str]:
        """The features of a whole name of this sentence that gives `count` whole names."""
        many = f"whole={min(count, 3)}"
        return [many, f"{event}|{many}"]

    def describes(self, span: Span) -> bool:
        """Whether the span only describes the show ("the Tina Fey-produced sitcom")."""
        return any(a <= span.first and span.last < b for a, b in self.describing)
