"""A polite TVmaze client: one shared aiohttp session, the operator's user agent, calls
spaced by an `aiolimiter` leaky bucket so that no window of `period` seconds holds more
than `calls` requests, backoff on 429 / 5xx / network errors (Retry-After honoured), and
conditional requests (If-None-Match / If-Modified-Since) with the validators the caller
kept. Commands never call it: they read the mirror.

The limiter's bucket holds one call and drains one call per `period / calls`: calls are
evenly spaced, so a sliding window of `period` seconds never sees more than `calls` of
them (a bucket of `calls` would allow a burst of `calls` plus the drip in the same window:
up to twice the limit). `spacing` adds a small margin for clock jitter between us and them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import aiohttp
from aiolimiter import AsyncLimiter

from bot.feeds.fetch import parse_retry_after
from bot.http_session import SessionOwner
from bot.settings import Settings

log = logging.getLogger(__name__)

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_BODY = 128 * 1024 * 1024  # /schedule/full is the largest answer: tens of MB
SPACING_MARGIN = 1.05


class TvmazeError(Exception):
    """TVmaze could not be reached or kept failing; the message says what happened."""


@dataclass(frozen=True, slots=True)
class Validators:
    """What a previous answer said, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers."""
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: `data` is the parsed JSON for a 200, None for 304 (not modified) and
    404 (not found: e.g. past the last page of the index)."""

    status: int
    data: object = None
    validators: Validators = field(default_factory=Validators)

    @property
    def not_modified(self) -> bool:
        """The answer the validators had is still current."""
        return self.status == 304

    @property
    def not_found(self) -> bool:
        """Nothing there (404)."""
        return self.status == 404


@dataclass(slots=True)
class CallStats:
    """What the client did: calls sent, 429s received, retries, 304s."""

    calls: int = 0
    rate_limited: int = 0
    retries: int = 0
    not_modified: int = 0


Sleep = Callable[[float], Awaitable[None]]


class TvmazeClient(SessionOwner):
    """GETs JSON from TVmaze. Use `async with`, or `close()` when done."""

    def __init__(
        self,
        base_url: str,
        *,
        user_agent: str,
        calls: int = 20,
        period: float = 10.0,
        timeout: float = 30.0,
        attempts: int = 6,
        backoff: float = 2.0,
        max_backoff: float = 120.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.user_agent = user_agent
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.stats = CallStats()
        self._sleep = sleep
        self._limiter = AsyncLimiter(1, period / calls * SPACING_MARGIN)

    @classmethod
    def from_settings(cls, settings: Settings) -> TvmazeClient:
        """A client for TVMAZE_API_URL within TVMAZE_RATE_CALLS per TVMAZE_RATE_SECONDS."""
        return cls(
            settings.tvmaze_api_url,
            user_agent=settings.http_user_agent,
            calls=settings.tvmaze_rate_calls,
            period=settings.tvmaze_rate_seconds,
            timeout=max(settings.http_timeout_seconds, 60.0),
        )

    def _new_session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.timeout),
            headers={"User-Agent": self.user_agent, "Accept": "application/json"},
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def get(
        self,
        path: str,
        params: Mapping[str, str] | None = None,
        *,
        validators: Validators | None = None,
    ) -> Answer:
        """GET `path` (e.g. "/shows") as JSON, retrying 429s, 5xx and network errors with
        backoff. Raises TvmazeError when every attempt failed or TVmaze answers another
        error status."""
        url = f"{self.base_url}{path}"
        headers = validators.headers() if validators else {}
        problem = ""
        for attempt in range(self.attempts):
            async with self._limiter:
                self.stats.calls += 1
                try:
                    answer, wait, problem = await self._once(url, params, headers)
                except (aiohttp.ClientError, TimeoutError, OSError) as error:
                    answer, wait, problem = None, None, f"{type(error).__name__}: {error}"[:200]
            if answer is not None:
                return answer
            if attempt + 1 == self.attempts:
                break
            delay = wait if wait is not None else self.backoff * 2**attempt
            delay = min(self.max_backoff, delay)
            self.stats.retries += 1
            log.info("TVmaze %s: %s; retrying in %.1f s", path, problem, delay)
            await self._sleep(delay)
        raise TvmazeError(f"TVmaze did not answer {path} after {self.attempts} tries: {problem}")

    async def _once(
        self, url: str, params: Mapping[str, str] | None, headers: Mapping[str, str]
    ) -> tuple[Answer | None, float | None, str]:
        """One request: the answer, or None with the seconds to wait (None: back off as
        usual) and what went wrong, to retry."""
        session = self._open()
        async with session.get(url, params=params, headers=headers) as response:
            status = response.status
            validators = Validators(
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
            if status == 304:
                self.stats.not_modified += 1
                return Answer(304, validators=validators), None, ""
            if status == 404:
                return Answer(404), None, ""
            if status in _RETRY_STATUSES:
                if status == 429:
                    self.stats.rate_limited += 1
                wait = parse_retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
                return None, wait, f"HTTP {status}"
            if not 200 <= status < 300:
                raise TvmazeError(f"TVmaze answered HTTP {status} for {url}")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.content.iter_chunked(256 * 1024):
                size += len(chunk)
                if size > MAX_BODY:
                    raise TvmazeError(f"TVmaze's answer for {url} is larger than {MAX_BODY} bytes")
                chunks.append(chunk)
            body = b"".join(chunks)
            try:
                data = json.loads(body)
            except ValueError as error:
                raise TvmazeError(f"TVmaze's answer for {url} is not JSON: {error}") from None
            return Answer(status, data, validators), None, ""
