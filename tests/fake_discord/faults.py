"""Injected REST failures ("fail the next N requests matching this route with status S") and
stalls ("hold the next request matching this route until released")."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field

from tests.fake_discord.models import JSON
from tests.fake_discord.responses import FakeResponse
from tests.fake_discord.routes import RoutePattern

_DEFAULT_BODIES: dict[int, JSON] = {
    400: {"message": "400: Bad Request", "code": 0},
    401: {"message": "401: Unauthorized", "code": 0},
    403: {"message": "Missing Permissions", "code": 50013},
    404: {"message": "404: Not Found", "code": 0},
    500: {"message": "500: Internal Server Error", "code": 0},
    503: {"message": "503: Service Unavailable", "code": 0},
    504: {"message": "504: Gateway Timeout", "code": 0},
}


@dataclass(slots=True)
class FaultRule:
    """One `fail_next` instruction; `hits` counts the requests it failed so far."""

    route: RoutePattern
    status: int
    remaining: int
    retry_after: float
    is_global: bool
    body: JSON | None
    hits: int = 0

    def response(self) -> FakeResponse:
        """The failure to send for one matching request."""
        if self.status == 429:
            return rate_limited_response(self.retry_after, is_global=self.is_global)
        if self.status == 502:
            # Cloudflare answers 502 with a plain-text page, not JSON.
            return FakeResponse(502, text="error code: 502")
        body = self.body or _DEFAULT_BODIES.get(
            self.status, {"message": f"{self.status}: injected failure", "code": 0}
        )
        return FakeResponse(self.status, body)


def rate_limited_response(
    retry_after: float,
    *,
    is_global: bool,
    bucket_headers: tuple[tuple[str, str], ...] = (),
) -> FakeResponse:
    """A 429 the way Discord sends it: JSON with `retry_after` and `global`, a `Via` header
    (discord.py treats a 429 without one as a Cloudflare ban) and the X-RateLimit headers."""
    headers = [
        ("Via", "1.1 google"),
        ("Retry-After", str(max(1, math.ceil(retry_after)))),
        ("X-RateLimit-Scope", "global" if is_global else "user"),
    ]
    if is_global:
        headers.append(("X-RateLimit-Global", "true"))
    headers.extend(bucket_headers)
    body: JSON = {
        "message": "You are being rate limited.",
        "retry_after": round(retry_after, 3),
        "global": is_global,
    }
    return FakeResponse(429, body, tuple(headers))


@dataclass(eq=False)
class Stall:
    """One `stall_next` instruction: matching requests wait, unanswered, until `release`;
    then they are handled as usual (even if the client went away meanwhile, as Discord
    still creates a message whose sender died before reading the answer)."""

    route: RoutePattern
    remaining: int
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        """Let the held requests through."""
        self.released.set()


class FaultInjector:
    """The pending `fail_next` rules, consulted in the order they were added."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._stalls: list[Stall] = []
        self.injected = 0

    def stall(self, pattern: str, *, times: int) -> Stall:
        """Hold the next `times` matching requests; see `FakeDiscord.stall_next`."""
        stall = Stall(RoutePattern.parse(pattern), times)
        self._stalls.append(stall)
        return stall

    async def hold(self, method: str, path: str) -> None:
        """Wait while a stall holds this request."""
        for stall in self._stalls:
            if stall.remaining > 0 and stall.route.matches(method, path):
                stall.remaining -= 1
                if stall.remaining == 0:
                    self._stalls.remove(stall)
                stall.arrived.set()
                await stall.released.wait()
                return

    def add(
        self,
        pattern: str,
        *,
        status: int,
        times: int,
        retry_after: float,
        is_global: bool,
        body: JSON | None,
    ) -> FaultRule:
        """Queue a rule; see `FakeDiscord.fail_next`."""
        if times < 1:
            raise ValueError("times must be at least 1")
        rule = FaultRule(RoutePattern.parse(pattern), status, times, retry_after, is_global, body)
        self._rules.append(rule)
        return rule

    def take(self, method: str, path: str) -> FakeResponse | None:
        """The injected failure for this request, if a rule matches (using one of its turns)."""
        for rule in self._rules:
            if rule.remaining > 0 and rule.route.matches(method, path):
                rule.remaining -= 1
                rule.hits += 1
                self.injected += 1
                if rule.remaining == 0:
                    self._rules.remove(rule)
                return rule.response()
        return None

    def clear(self) -> None:
        """Forget all pending rules, releasing held requests."""
        self._rules.clear()
        for stall in self._stalls:
            stall.release()
        self._stalls.clear()
