"""Checking a feed's host where it is resolved: the HTTP client's resolver refuses
addresses the URL policy does not allow (see bot/feeds/urls.py for the rules and why the
check is made twice), and `check_feed_url` resolves an operator's URL when it is added."""

from __future__ import annotations

import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from bot.feeds.urls import (
    InvalidFeedURLError,
    UnsafeURLError,
    URLPolicy,
    address_problem,
    check_target,
    normalise_url,
    refused,
)


class GuardedResolver(AbstractResolver):
    """An aiohttp resolver that refuses host names resolving to non-public addresses.

    A name with any refused address is refused whole: a mix of public and private answers is
    how rebinding attacks look.
    """

    def __init__(self, policy: URLPolicy, inner: AbstractResolver | None = None) -> None:
        self.policy = policy
        self._inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The addresses of `host`, all of them public (or allowed); UnsafeURLError if not."""
        if self._inner is None:
            self._inner = ThreadedResolver()
        results = await self._inner.resolve(host, port, family)
        if self.policy.permits(host, port):
            return results
        for result in results:
            if self.policy.permits(result["host"], port):
                continue
            if problem := address_problem(result["host"]):
                raise refused(host, result["host"], problem)
        return results

    async def close(self) -> None:
        """Release the wrapped resolver."""
        if self._inner is not None:
            await self._inner.close()


async def check_feed_url(
    url: str, policy: URLPolicy, resolver: AbstractResolver | None = None
) -> str:
    """Check a URL an operator wants to follow, resolving its host now, so that a refused or
    mistyped URL is reported when it is added. Returns the URL normalised.
    Raises UnsafeURLError (refused address) or InvalidFeedURLError (anything else)."""
    url = normalise_url(url)
    host, port = check_target(url, policy)
    guard = GuardedResolver(policy, resolver)
    try:
        await guard.resolve(host, port, socket.AF_UNSPEC)
    except UnsafeURLError as exc:
        raise UnsafeURLError(f"{url}: {exc}") from None
    except (TimeoutError, OSError) as exc:
        raise InvalidFeedURLError(f"{url}: cannot resolve host {host!r} ({exc})") from None
    finally:
        if resolver is None:
            await guard.close()
    return url
