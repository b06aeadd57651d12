"""Announcement recognition: from one feed entry to what it says happened to which show.

`recognise` reads an entry's title and summary and returns zero or more announcements —
renewed, cancelled, ending (final season), premiere date, premiere window — each with its
show, season, certainty (official / reported / speculation), network when stated, and the
words it was read from. It is pure: no I/O, no Discord, and it never changes the catalogue.

How: broad candidate generators propose (`_phrases` event phrases, `_spans` show names
found without the catalogue, seasons, dates and windows), and linear models trained on the
train split of a real news corpus decide (`_candidates` describes, `_reader` decides,
`model.json` holds the weights; `python -m training.train` retrains them). A show the
catalogue does not know is returned under the name as written; `new_shows` lists those the
text delimits clearly enough to learn.

When unsure it prefers saying nothing: the decision thresholds are chosen for precision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.models import Announcement, Certainty, Entry, Show
from bot.recognition._reader import mentioned_show_names, read_entry_parts, recognise_entry
from bot.shows.catalogue import Catalogue
from bot.shows.names import name_key

__all__ = ["Reading", "mentioned_shows", "new_shows", "read_entry", "recognise"]


@dataclass(frozen=True, slots=True)
class Reading:
    """What one entry says (`recognise`) and which catalogue shows it is about
    (`mentioned_shows`), read in one pass."""

    announcements: list[Announcement]
    mentioned: list[str]


def read_entry(entry: Entry, catalogue: Catalogue) -> Reading:
    """`recognise` and `mentioned_shows` together, for the ingestion sink: both need the
    same normalised text and catalogue matches, so this finds them once."""
    announcements, mentioned = read_entry_parts(entry, catalogue)
    return Reading(announcements, mentioned)


def recognise(entry: Entry, catalogue: Catalogue) -> list[Announcement]:
    """The announcements one entry makes, in the order the entry makes them."""
    return recognise_entry(entry, catalogue)


def mentioned_shows(entry: Entry, catalogue: Catalogue) -> list[str]:
    """Canonical names of the catalogue shows an entry is about (title, summary and
    categories), for "latest headlines about a show". Ordinary-word titles count only where
    the text makes them a title, and not at all in finance stories (Citadel the hedge fund)."""
    return mentioned_show_names(entry, catalogue)


def new_shows(announcements: Iterable[Announcement], catalogue: Catalogue) -> list[Show]:
    """Shows named by confident (official or reported) announcements that the catalogue does
    not know yet and whose name the text sets apart (quoted), one per name, ready for
    `Catalogue.add`. A capitalised fragment ("Lands Two-Season") is never one of them."""
    shows: dict[str, Show] = {}
    for announcement in announcements:
        if announcement.certainty is Certainty.SPECULATION or not announcement.name_delimited:
            continue
        if catalogue.get(announcement.show) is not None:
            continue
        shows.setdefault(
            name_key(announcement.show), Show(announcement.show, network=announcement.network)
        )
    return list(shows.values())
