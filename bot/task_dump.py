"""What a running process is waiting on: every asyncio task and where it is suspended,
logged on SIGUSR1 (`kill -USR1 <pid>`), so a bot that hangs (at a stop, say) can say
where without being killed first."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import signal
from collections.abc import Iterator

log = logging.getLogger(__name__)


def describe_tasks(loop: asyncio.AbstractEventLoop) -> str:
    """Each pending task of `loop`, by name, with the frames it is suspended in."""
    parts: list[str] = []
    tasks = sorted(asyncio.all_tasks(loop), key=lambda task: task.get_name())
    for task in tasks:
        out = io.StringIO()
        task.print_stack(limit=8, file=out)
        parts.append(f"task {task.get_name()}:\n{out.getvalue().rstrip()}")
    return f"{len(tasks)} tasks\n" + "\n".join(parts)


def log_tasks() -> None:
    """Log every task of the running loop (a signal handler's body)."""
    log.warning("asked what it is waiting on: %s", describe_tasks(asyncio.get_running_loop()))


@contextlib.contextmanager
def tasks_on_signal() -> Iterator[None]:
    """While inside, SIGUSR1 logs the tasks (where the platform has it): through start,
    running and the stop, which is where a hang would otherwise go unexplained."""
    usr1 = getattr(signal, "SIGUSR1", None)
    if usr1 is None:
        yield
        return
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(usr1, log_tasks)
    try:
        yield
    finally:
        loop.remove_signal_handler(usr1)
