"""Show-name normalisation shared by the catalogue, recognition and user lookups."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s:]+")
_SPACE = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")
# Sorts after every character: the strings starting with p are those in [p, p + PREFIX_END).
PREFIX_END = "\U0010ffff"


def fold_text(text: str) -> str:
    """Lower-case, strip accents, turn curly quotes and dashes into plain ones."""
    if text.isascii():  # nothing to decompose: the same answer, at start-up's scale cheaply
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def name_key(name: str) -> str:
    """The key two spellings of one show share: accents, case, punctuation, a leading
    article and extra spaces do not matter; a subtitle after ':' does (spin-offs such as
    "Citadel: Diana" stay distinct from "Citadel")."""
    if (
        name.isascii()
        and name.replace(" ", "").isalnum()
        and "  " not in name
        and name[0] != " "
        and name[-1] != " "
    ):
        # ASCII words and single spaces, as most names are: no accent, punctuation or
        # extra space to take out, so only the case and a leading article (the same answer
        # as below, at a fraction of the cost; news folds and readings ask for it often).
        return _LEADING_ARTICLE.sub("", name.lower())
    text = fold_text(name).replace("&", " and ")
    text = _PUNCT.sub("", text)
    text = text.replace(":", " : ")
    text = _SPACE.sub(" ", text).strip()
    text = _LEADING_ARTICLE.sub("", text)
    return text.replace(" : ", ":").replace(" :", ":").strip(": ")


def loose_key(text: str) -> str:
    """The name key with the subtitle colon read as a space: "Citadel: Diana" and
    "citadel diana" share it."""
    return loose_of_key(name_key(text))


def loose_of_key(key: str) -> str:
    """`loose_key` of a text whose name key is `key` (saves computing the key twice)."""
    return " ".join(key.replace(":", " ").split())
