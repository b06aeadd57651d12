"""Forum posts: a forum channel gets one post (a thread) per show, opened by the first
alert about the show; later alerts go into its thread.

Opening a post cannot carry a nonce, so it is made exactly-once another way: a row is
written (without a thread) before the post is opened, and the thread is recorded once it
is. A send that finds a row without a thread knows an earlier attempt may have opened
the post and died before recording it, and looks for that post first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from db.dialect import upsert
from db.schema import forum_posts


class ForumPostRepo:
    """Which thread of a forum channel holds a show's alerts."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def start(self, channel_id: int, show_id: int, *, now: datetime) -> None:
        """Note that a send is about to open the show's post in a forum, so that a retry
        after a crash looks for that post before opening another."""
        await self._c.execute(
            upsert(self._c, forum_posts)
            .values(channel_id=channel_id, show_id=show_id, started_at=now)
            .on_conflict_do_nothing(index_elements=["channel_id", "show_id"])
        )

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
