"""The TVmaze jobs on the bot's scheduler: they run, and a sync under way stops cleanly."""

from __future__ import annotations

import asyncio
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.shows.known import KnownShows
from bot.tvmaze.schedule import CatalogueSchedule
from db.store import Store
from tests.tvmaze.conftest import SyncFactory
from tests.tvmaze.fake_tvmaze import FakeTvmaze


async def test_jobs_sync_on_schedule_and_stop_with_the_bot(
    sqlite_store: Store, fake: FakeTvmaze, make_sync: SyncFactory
) -> None:
    for show_id in range(1, 2000, 50):
        fake.add_show(show_id, f"Scheduled Show {show_id}")
    known = await KnownShows.load(sqlite_store)
    sync = make_sync(sqlite_store, known, calls=10, period=1.0)  # 10 pages take ~1 s
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.start()
    jobs = CatalogueSchedule(scheduler, sync, first_delay=0.05)
    jobs.start()
    assert sorted(job.id for job in scheduler.get_jobs()) == [
        "tvmaze:index",
        "tvmaze:premieres",
        "tvmaze:updates",
    ]
    for _ in range(200):
        if len(fake.requests_to("/shows")) >= 2:
            break
        await asyncio.sleep(0.02)
    await jobs.stop()  # mid-sync: the pages stored so far stay, the rest resumes later
    scheduler.shutdown(wait=False)
    assert scheduler.get_jobs() == []
    async with sqlite_store.read() as tx:
        progress = await tx.sync_state.get("tvmaze:index")
        mirrored = await tx.mirror.count()
    assert progress["complete"] is False and 1 <= progress["next_page"] < 9
    assert mirrored == 5 * progress["next_page"]
