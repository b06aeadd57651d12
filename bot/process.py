"""This process's name among the processes sharing a store (/status, delivery claims)."""

from __future__ import annotations

import os
import socket


def process_name() -> str:
    """`host:pid`: unique among running processes, and says where to look."""
    return f"{socket.gethostname()}:{os.getpid()}"
