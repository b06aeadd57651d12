"""What users type into `/when` and its autocomplete, drawn from the generated catalogue.

Exact names, case changes, typos, prefixes, word order, spin-offs, aliases and unknown
titles, in the mix bench/when.py, bench/catalogue.py and bench/lookup_agreement.py time and
compare: one generator, so that their figures are about the same queries.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence

from bot.models import Show

KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def typo(text: str, rng: random.Random) -> str:
    """One slip of the finger in a word of at least four letters."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:  # dropped letter
        word = word[:at] + word[at + 1 :]
    elif kind == 1:  # swapped letters
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == 2:  # wrong letter
        word = word[:at] + rng.choice(KEYBOARD) + word[at + 1 :]
    else:  # doubled letter
        word = word[:at] + word[at] + word[at:]
    words[i] = word
    return " ".join(words)


def variation(show: Show, rng: random.Random) -> tuple[str, str]:
    """What a user might type for `show`, and the kind of variation."""
    name = show.name
    roll = rng.random()
    if roll < 0.18:
        return name, "exact"
    if roll < 0.38:
        return name.lower(), "lower"
    if roll < 0.45:
        if name.lower().startswith("the "):
            return name[4:].lower(), "no_article"
        return f"the {name.lower()}", "added_article"
    if roll < 0.63:
        return typo(name.lower(), rng), "typo"
    if roll < 0.68:
        return typo(typo(name.lower(), rng), rng), "two_typos"
    if roll < 0.78:
        cut = max(3, int(len(name) * rng.uniform(0.4, 0.8)))
        return name[:cut].lower().rstrip(), "prefix"
    if roll < 0.88:
        if ":" in name:
            base, _, sub = name.partition(":")
            return (f"{base} {sub.strip()}".lower() if rng.random() < 0.7 else sub.strip()), (
                "spin_off"
            )
        return " ".join(reversed(name.lower().split())), "word_order"
    if roll < 0.93 and show.aliases:
        return rng.choice(show.aliases), "alias"
    if roll < 0.96:
        return name.upper(), "upper"
    junk = " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8)))
        for _ in range(rng.randint(1, 3))
    )
    return junk, "unknown"


def when_queries(
    shows: Sequence[Show], weights: Sequence[float], count: int, rng: random.Random
) -> list[tuple[str, str]]:
    """`count` (query, kind): mostly popular shows, some drawn uniformly."""
    queries = []
    for _ in range(count):
        show = rng.choices(shows, weights)[0] if rng.random() < 0.7 else rng.choice(shows)
        queries.append(variation(show, rng))
    return queries


def suggest_prefixes(
    shows: Sequence[Show], weights: Sequence[float], count: int, rng: random.Random
) -> list[str]:
    """`count` autocomplete inputs: 1-12 characters of a (varied) show name."""
    prefixes = []
    for _ in range(count):
        show = rng.choices(shows, weights)[0] if rng.random() < 0.7 else rng.choice(shows)
        text, _ = variation(show, rng)
        length = rng.randint(1, 12)
        prefixes.append(text[:length] or text[:1] or "a")
    return prefixes
