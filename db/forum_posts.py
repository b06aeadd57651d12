"""Forum posts: a forum channel gets one post (a thread) per show, opened by the first
alert about the show; later alerts go into its thread.

Opening a post cannot carry a nonce, so it is made exactly-once another way: a row is
written (without a thread) before the post is opened, and the thread is recorded once it
is. A send that finds a row without a thread knows an earlier attempt may have opened
the post and died before recording it, and looks for that post first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.records import ForumPost
from db.dialect import upsert
from db.schema.servers import forum_posts


class ForumPostRepo:
    """Which thread of a forum channel holds a show's alerts."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def claim(self, channel_id: int, show_id: int, *, now: datetime) -> ForumPost | None:
        """The show's post in a forum as recorded (its thread may not be known yet: an
        earlier send started opening it); when there is none, note that a send is about
        to open it, and return None."""
        query = select(forum_posts.c.thread_id, forum_posts.c.started_at).where(
            forum_posts.c.channel_id == channel_id, forum_posts.c.show_id == show_id
        )
        row = (await self._c.execute(query)).first()
        if row is not None:
            return ForumPost(thread_id=row.thread_id, started_at=row.started_at)
        await self._c.execute(
            upsert(self._c, forum_posts)
            .values(channel_id=channel_id, show_id=show_id, started_at=now)
            .on_conflict_do_nothing(index_elements=["channel_id", "show_id"])
        )
        return None

    async def record(self, channel_id: int, show_id: int, thread_id: int) -> None:
        """The show's post in a forum is open: later alerts go into its thread."""
        await self._c.execute(
            update(forum_posts)
            .where(forum_posts.c.channel_id == channel_id, forum_posts.c.show_id == show_id)
            .values(thread_id=thread_id)
        )

    async def forget(self, channel_id: int, show_id: int) -> None:
        """The show's post is gone (deleted): the next alert opens a new one."""
        await self._c.execute(
            delete(forum_posts).where(
                forum_posts.c.channel_id == channel_id, forum_posts.c.show_id == show_id
            )
        )
