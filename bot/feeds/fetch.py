"""Fetching feeds over HTTP: one shared aiohttp session, polite and defensive.

Polite: the configured User-Agent, conditional requests (ETag / Last-Modified), gzip, at
most `per_host` requests at once to one host, and the server's Retry-After and
Cache-Control max-age reported back so the poller can wait as asked. Defensive: a total
timeout per request, a cap on the (decompressed) body, redirects followed by hand and at
most `max_redirects` of them, and every hop checked against the URL policy (see urls.py).

`fetch` never raises for anything a server or the network does; it returns a FetchResult
saying what happened.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver

from bot.feeds.resolver import GuardedResolver
from bot.feeds.urls import (
    InvalidFeedURLError,
    URLPolicy,
    check_target,
    normalise_url,
)
from bot.http_session import SessionOwner
from bot.settings import Settings

log = logging.getLogger(__name__)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_CHUNK = 64 * 1024


class FetchOutcome(StrEnum):
    """What came of a fetch."""

    OK = "ok"  # a 2xx with a body
    NOT_MODIFIED = "not_modified"  # 304: the validators matched
    GONE = "gone"  # 410: the publisher removed the feed
    HTTP_ERROR = "http_error"  # any other status
    NETWORK_ERROR = "network_error"  # DNS, connection refused or reset, TLS...
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"  # the body passed the cap
    REFUSED = "refused"  # the URL policy refused a hop
    REDIRECT_ERROR = "redirect_error"  # a loop, too many hops, or no Location


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one fetch, with what the poller needs to decide what next."""

    outcome: FetchOutcome
    url: str  # the URL last requested (after redirects)
    status: int | None = None
    body: bytes | None = None
    body_hash: str | None = None  # sha256 of the body, to skip parsing an unchanged one
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    permanent_url: str | None = None  # where the 301/308 redirects from the request lead
    retry_after: float | None = None  # seconds, from Retry-After
    max_age: float | None = None  # seconds, from Cache-Control
    error: str | None = None  # one line for humans when the outcome is not OK/NOT_MODIFIED

    @property
    def ok(self) -> bool:
        """A usable answer: a body, or "not modified"."""
        return self.outcome in (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED)


class FeedFetcher(SessionOwner):
    """Fetches feed documents through one aiohttp session. Use `async with`, or call
    `close()` when done; the session is created on first use, inside the running loop."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 15.0,
        max_bytes: int = 5_000_000,
        per_host: int = 2,
        max_redirects: int = 5,
        policy: URLPolicy | None = None,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.per_host = per_host
        self.max_redirects = max_redirects
        self.policy = policy or URLPolicy()
        self._resolver = resolver
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @classmethod
    def from_settings(cls, settings: Settings, *, policy: URLPolicy | None = None) -> FeedFetcher:
        """A fetcher configured from the settings (HTTP_*, FEED_* knobs)."""
        return cls(
            user_agent=settings.http_user_agent,
            timeout=settings.http_timeout_seconds,
            max_bytes=settings.feed_max_bytes,
            per_host=settings.feed_per_host_concurrency,
            policy=policy or URLPolicy.from_settings(settings),
        )

    def _new_session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self.policy, self._resolver),
            limit=100,
            ttl_dns_cache=300,
        )
        return aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=self.timeout),
            headers={
                "User-Agent": self.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": "gzip, deflate",
            },
            cookie_jar=aiohttp.DummyCookieJar(),
            # Proxies from the environment would be reached instead of the checked host.
            trust_env=False,
        )

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(self.per_host)
        return slot

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET the feed at `url`, conditionally when validators are given."""
        session = self._open()
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        seen = {url}
        permanent_url: str | None = None
        permanent_so_far = True
        for _hop in range(self.max_redirects + 1):
            try:
                host, _port = check_target(current, self.policy)
            except InvalidFeedURLError as exc:
                return FetchResult(FetchOutcome.REFUSED, current, error=str(exc))
            async with self._host_slot(host.lower()):
                result = await self._request(session, current, headers)
            if isinstance(result, FetchResult):
                if result.ok and permanent_url is not None:
                    return replace(result, permanent_url=permanent_url)
                return result
            status, location = result
            try:
                target = normalise_url(urljoin(current, location))
            except (InvalidFeedURLError, ValueError) as exc:
                return FetchResult(
                    FetchOutcome.REFUSED, current, status=status, error=f"redirect refused: {exc}"
                )
            if status in _PERMANENT and permanent_so_far:
                permanent_url = target
            else:
                permanent_so_far = False
            if target in seen:
                return FetchResult(
                    FetchOutcome.REDIRECT_ERROR,
                    current,
                    status=status,
                    error=f"redirect loop: {current} leads back to {target}",
                )
            seen.add(target)
            current = target
        return FetchResult(
            FetchOutcome.REDIRECT_ERROR,
            current,
            error=f"more than {self.max_redirects} redirects from {url}",
        )

    async def _request(
        self, session: aiohttp.ClientSession, url: str, headers: Mapping[str, str]
    ) -> FetchResult | tuple[int, str]:
        """One hop: a FetchResult, or (status, Location) for a redirect to follow."""
        try:
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                status = response.status
                if status in _REDIRECTS:
                    location = response.headers.get("Location", "").strip()
                    if not location:
                        return FetchResult(
                            FetchOutcome.REDIRECT_ERROR,
                            url,
                            status=status,
                            error=f"HTTP {status} without a Location header",
                        )
                    return status, location
                return await self._answer(response, url)
        except InvalidFeedURLError as exc:  # from GuardedResolver, at connection time
            return FetchResult(FetchOutcome.REFUSED, url, error=str(exc))
        except TimeoutError:
            return FetchResult(
                FetchOutcome.TIMEOUT, url, error=f"no complete answer within {self.timeout:g} s"
            )
        except aiohttp.ClientError as exc:
            return FetchResult(FetchOutcome.NETWORK_ERROR, url, error=_describe(exc))
        except (OSError, ValueError) as exc:
            return FetchResult(FetchOutcome.NETWORK_ERROR, url, error=_describe(exc))

    async def _answer(self, response: aiohttp.ClientResponse, url: str) -> FetchResult:
        status = response.status
        headers = response.headers
        etag = headers.get("ETag")
        last_modified = headers.get("Last-Modified")
        max_age = parse_max_age(headers.get("Cache-Control"))
        if status == 304:
            return FetchResult(
                FetchOutcome.NOT_MODIFIED,
                url,
                status=status,
                etag=etag,
                last_modified=last_modified,
                max_age=max_age,
            )
        if status == 410:
            return FetchResult(FetchOutcome.GONE, url, status=status, error="HTTP 410 Gone")
        if not 200 <= status < 300:
            retry_after = None
            if status in (429, 503):
                retry_after = parse_retry_after(headers.get("Retry-After"), datetime.now(UTC))
            reason = f" {response.reason}" if response.reason else ""
            return FetchResult(
                FetchOutcome.HTTP_ERROR,
                url,
                status=status,
                retry_after=retry_after,
                error=f"HTTP {status}{reason}",
            )
        length = response.content_length
        if length is not None and length > self.max_bytes:
            return self._too_large(url, status)
        chunks: list[bytes] = []
        size = 0
        # Counted after decompression, so a small gzip bomb is cut off like a large body.
        async for chunk in response.content.iter_chunked(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                return self._too_large(url, status)
            chunks.append(chunk)
        body = b"".join(chunks)
        return FetchResult(
            FetchOutcome.OK,
            url,
            status=status,
            body=body,
            body_hash=hashlib.sha256(body).hexdigest(),
            etag=etag,
            last_modified=last_modified,
            content_type=headers.get("Content-Type"),
            max_age=max_age,
        )

    def _too_large(self, url: str, status: int) -> FetchResult:
        return FetchResult(
            FetchOutcome.TOO_LARGE,
            url,
            status=status,
            error=f"the feed is larger than {self.max_bytes} bytes",
        )


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def parse_max_age(value: str | None) -> float | None:
    """Seconds from Cache-Control's max-age; None when absent or when no-cache/no-store."""
    if not value:
        return None
    lowered = value.lower()
    if "no-cache" in lowered or "no-store" in lowered:
        return None
    match = _MAX_AGE.search(value)
    return float(match.group(1)) if match else None
