"""A TVmaze premiere listing as a source of a season's state ("listed on TVmaze")."""

from __future__ import annotations

from datetime import date, datetime

from bot.models import Announcement, Certainty, Event, Source
from bot.tvmaze import CREDIT, OUTLET

EVIDENCE = "listed on TVmaze"


def listing_announcement(
    show: str, season: int, day: date, *, link: str | None, listed_at: datetime
) -> Announcement:
    """The listing as an official premiere-date claim made when the date was first listed,
    which is how `fold_season` weighs it against the news."""
    return Announcement(
        show=show,
        event=Event.PREMIERE_DATE,
        certainty=Certainty.OFFICIAL,
        evidence=EVIDENCE,
        source=Source(outlet=OUTLET, link=link, published=listed_at, title=CREDIT),
        season=season,
        date=day,
    )
