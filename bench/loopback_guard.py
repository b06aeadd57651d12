"""Refuse every connection that would leave the machine.

bench/memory.py's child runs the whole bot; this keeps a run from reaching the internet
(a default feed, Discord itself) and records what tried to. Standard library only, since
it is installed in the child before the bot is imported.
"""

from __future__ import annotations

from typing import Any


def guard_loopback_only() -> list[str]:
    """Make every socket connection to an address outside 127.0.0.0/8 (or ::1) fail, so
    the bot cannot reach the internet during the run; returns the list of refused
    addresses, filled as they happen."""
    import ipaddress
    import socket

    refused: list[str] = []
    original = socket.socket.connect
    original_ex = socket.socket.connect_ex

    def allowed(address: Any) -> bool:
        if isinstance(address, tuple) and address and isinstance(address[0], str):
            try:
                return ipaddress.ip_address(address[0].split("%", 1)[0]).is_loopback
            except ValueError:
                return False
        return True  # Unix sockets and the like

    def connect(self: socket.socket, address: Any) -> None:
        if not allowed(address):
            refused.append(repr(address))
            raise ConnectionRefusedError(f"bench/memory.py: {address!r} is not loopback")
        original(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not allowed(address):
            refused.append(repr(address))
            return 111  # ECONNREFUSED
        return original_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    return refused
