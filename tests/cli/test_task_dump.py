"""SIGUSR1 makes a running process log what each of its tasks is waiting on."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import pytest

from bot.task_dump import describe_tasks, tasks_on_signal


async def _wait_for_news(event: asyncio.Event) -> None:
    await event.wait()


async def test_describe_tasks_names_each_task_and_where_it_waits() -> None:
    event = asyncio.Event()
    waiting = asyncio.create_task(_wait_for_news(event), name="news-waiter")
    await asyncio.sleep(0)
    text = describe_tasks(asyncio.get_running_loop())
    event.set()
    await waiting
    assert "task news-waiter:" in text
    assert "_wait_for_news" in text


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="no SIGUSR1 on this platform")
async def test_sigusr1_logs_the_tasks(caplog: pytest.LogCaptureFixture) -> None:
    event = asyncio.Event()
    waiting = asyncio.create_task(_wait_for_news(event), name="stuck-stop")
    with caplog.at_level(logging.WARNING, logger="bot.task_dump"), tasks_on_signal():
        os.kill(os.getpid(), signal.SIGUSR1)
        for _ in range(100):
            if "stuck-stop" in caplog.text:
                break
            await asyncio.sleep(0.01)
    event.set()
    await waiting
    assert "asked what it is waiting on" in caplog.text
    assert "task stuck-stop:" in caplog.text
