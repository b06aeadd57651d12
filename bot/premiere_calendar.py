"""What `/calendar` (and `python -m bot calendar`) answers: an `.ics` file of upcoming
premieres — of one show, of a server's watches, of a user's follows, or of every show."""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Show
from bot.premieres import Premiere, upcoming_premieres
from bot.services import Services
from bot.watching import resolve_show


@dataclass(frozen=True, slots=True)
class CalendarAnswer:
    """The calendar, or why there is none: `scope` is "show", "watched", "followed" or
    "all"; `ics` is None when the show is unknown or nothing is upcoming."""

    scope: str
    premieres: tuple[Premiere, ...] = ()
    ics: bytes | None = None
    filename: str = "premieres.ics"
    show: Show | None = None
    query: str = ""
    candidates: tuple[Show, ...] = ()


async def premiere_calendar(
    services: Services,
    *,
    show: str | None = None,
    guild_id: int | None = None,
    user_id: int | None = None,
) -> CalendarAnswer:
    """Upcoming premieres as an `.ics`: of `show` when given, else of the server's watched
    shows (`guild_id`), else of the user's follows (`user_id`), else of every show."""
    now = services.clock()
    async with services.store.read() as tx:
        if show is not None:
            choice = await resolve_show(services, show)
            if choice.show is None or choice.show.id is None:
                return CalendarAnswer(
                    scope="show", query=choice.query, candidates=choice.candidates
                )
            found = await upcoming_premieres(tx, [choice.show.id], today=now.date())
            name = f"{choice.show.name} premieres"
            scope, picked = "show", choice.show
        elif guild_id is not None:
            watched = await tx.watches.watched_show_ids(guild_id)
            found = await upcoming_premieres(tx, watched, today=now.date())
            name, scope, picked = "Premieres watched in this server", "watched", None
        elif user_id is not None:
            followed = [s.id for s in await tx.follows.of_user(user_id) if s.id is not None]
            found = await upcoming_premieres(tx, followed, today=now.date())
            name, scope, picked = "Premieres I follow", "followed", None
        else:
            found = await upcoming_premieres(tx, None, today=now.date())
            name, scope, picked = "TV premieres", "all", None
    if not found:
        return CalendarAnswer(scope=scope, show=picked)
    # Here, not at import: icalendar costs every running bot 3 MiB for a rare command.
    from bot.ics import calendar_filename, premieres_calendar

    return CalendarAnswer(
        scope=scope,
        premieres=tuple(found),
        ics=premieres_calendar(found, name=f"{name} (Cliffhanger)", now=now),
        filename=calendar_filename(picked.name if picked else None),
        show=picked,
    )
