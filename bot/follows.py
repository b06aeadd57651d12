"""Personal follows: anyone follows a show and hears about it by DM — each alert-worthy
change and a reminder the day before its premiere — from whichever server (or DM) they
followed it; follows are per user, across servers.

The DMs are queued with the channel alerts' own identities (db/outbox.py fans each new
alert out to the show's followers too), so a follower gets each alert once. A user whose
DMs refuse the bot (Discord error 50007) has their follows paused, not retried forever;
the next command they use tells them, once, and following a show again resumes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.admin_log import plain
from bot.models import SeasonState, Show
from bot.records import DmPause
from bot.services import Services
from bot.watching import ShowChoice

MAX_NAMED = 5


@dataclass(frozen=True, slots=True)
class FollowOutcome:
    """The result of /follow: the show, whether the follow is new, whether the show was
    learned, and whether paused DMs were resumed."""

    show: Show
    created: bool
    learned_show: bool
    resumed: bool


@dataclass(frozen=True, slots=True)
class FollowLine:
    """One row of /following: a show and its latest season's state."""

    show: Show
    latest: SeasonState | None


@dataclass(frozen=True, slots=True)
class Following:
    """A user's follows, and whether their DMs are paused."""

    lines: tuple[FollowLine, ...]
    pause: DmPause | None


async def follow_show(services: Services, choice: ShowChoice, *, user_id: int) -> FollowOutcome:
    """Follow the chosen show; an unknown show (no close match at all) is learned, as
    /watch does. Following resumes DMs that were paused because they were closed."""
    now = services.clock()
    async with services.store.transaction() as tx:
        show = choice.show
        learned = False
        if show is None:
            show = await services.known.learn(tx, Show(name=choice.query), origin="watch")
            learned = True
        assert show.id is not None
        created = await tx.follows.add(user_id, show.id, now=now)
        resumed = await tx.follows.resume(user_id)
        # A followed show's news is read from now on, by whichever process polls.
        await services.known.read_news_of(tx, show)
    return FollowOutcome(show=show, created=created, learned_show=learned, resumed=resumed)


async def unfollow_show(services: Services, show: Show, *, user_id: int) -> bool:
    """Stop following a show; returns whether it was followed."""
    assert show.id is not None
    async with services.store.transaction() as tx:
        return await tx.follows.remove(user_id, show.id)


async def following(services: Services, user_id: int) -> Following:
    """The shows a user follows, with each one's latest season state."""
    async with services.store.read() as tx:
        lines = []
        for show in await tx.follows.of_user(user_id):
            assert show.id is not None
            states = await tx.shows.states(show.id)
            lines.append(FollowLine(show=show, latest=states[0] if states else None))
        pause = await tx.follows.pause_of(user_id)
    return Following(lines=tuple(lines), pause=pause)


async def has_untold_pause(services: Services, user_id: int) -> bool:
    """Whether the user's follows are paused and nobody told them yet (a read only: it
    runs before every command)."""
    async with services.store.read() as tx:
        pause = await tx.follows.pause_of(user_id)
    return pause is not None and pause.told_at is None


async def untold_pause(services: Services, user_id: int) -> DmPause | None:
    """The user's paused follows if nobody told them yet — and from now on they are told
    (so exactly one command reply says it)."""
    async with services.store.transaction() as tx:
        return await tx.follows.take_untold(user_id, now=services.clock())


def closed_dms_text(pause: DmPause) -> str:
    """What a user whose DMs refused the bot is told, once."""
    names = [f"**{plain(name)}**" for name in pause.shows[:MAX_NAMED]]
    if len(pause.shows) > MAX_NAMED:
        names.append(f"{len(pause.shows) - MAX_NAMED} more")
    about = f" about {', '.join(names)}" if names else ""
    return (
        f"📭 I couldn't send you a DM{about}: your DMs are closed to me, so I paused your "
        "follows. To get them again, allow direct messages from a server we share "
        "(Privacy Settings), then `/follow` a show again."
    )
