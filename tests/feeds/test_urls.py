from __future__ import annotations

import socket

import pytest

from bot.feeds.resolver import GuardedResolver, check_feed_url
from bot.feeds.urls import (
    InvalidFeedURLError,
    UnsafeURLError,
    URLPolicy,
    address_problem,
    check_target,
    check_url,
    normalise_url,
)

STRICT = URLPolicy()


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.1.2.3", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address to refuse, not to bind
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("2002:7f00:1::1", "loopback"),  # 6to4 around 127.0.0.1
        ("2002:a00:1::1", "private"),  # 6to4 around 10.0.0.1
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("not-an-ip", "not an IP address"),
    ],
)
def test_address_problem(address: str, problem: str | None) -> None:
    assert address_problem(address) == problem


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/feed",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "https:///no-host",
        "http://user:secret@example.com/feed",
        "http://example.com:99999/feed",
        "not a url",
    ],
)
def test_only_plain_http_urls_are_accepted(url: str) -> None:
    with pytest.raises(InvalidFeedURLError):
        check_url(url)


def test_check_url_gives_host_and_port() -> None:
    assert check_url("https://deadline.com/feed/") == ("deadline.com", 443)
    assert check_url("http://Example.com:8080/x") == ("example.com", 8080)


def test_ip_literals_are_checked_without_a_resolver() -> None:
    with pytest.raises(UnsafeURLError, match=r"10\.0\.0\.1, a private address"):
        check_target("http://10.0.0.1/feed", STRICT)
    with pytest.raises(UnsafeURLError, match="loopback"):
        check_target("http://[::1]:8080/feed", STRICT)
    assert check_target("http://8.8.8.8/feed", STRICT) == ("8.8.8.8", 80)
    # Host names wait for the resolver.
    assert check_target("http://localhost/feed", STRICT) == ("localhost", 80)


def test_allowing_private_hosts() -> None:
    assert check_target("http://10.0.0.1/feed", URLPolicy(allow_private=True))
    exact = URLPolicy(allowed=frozenset({"127.0.0.1:8080"}))
    assert check_target("http://127.0.0.1:8080/feed", exact)
    with pytest.raises(UnsafeURLError):
        check_target("http://127.0.0.1:8081/feed", exact)


async def test_the_resolver_refuses_names_of_private_addresses() -> None:
    resolver = GuardedResolver(STRICT)
    try:
        with pytest.raises(UnsafeURLError, match=r"localhost: it resolves to 127\.0\.0\.1"):
            await resolver.resolve("localhost", 80, socket.AF_INET)
    finally:
        await resolver.close()


async def test_the_resolver_allows_listed_addresses() -> None:
    resolver = GuardedResolver(URLPolicy(allowed=frozenset({"127.0.0.1:8080"})))
    try:
        results = await resolver.resolve("localhost", 8080, socket.AF_INET)
        assert {result["host"] for result in results} == {"127.0.0.1"}
        with pytest.raises(UnsafeURLError):
            await resolver.resolve("localhost", 8081, socket.AF_INET)
    finally:
        await resolver.close()


async def test_an_operator_adding_a_private_feed_gets_a_clear_error() -> None:
    with pytest.raises(UnsafeURLError) as refused:
        await check_feed_url("http://localhost:8080/feed", STRICT)
    message = str(refused.value)
    assert "http://localhost:8080/feed" in message
    assert "loopback" in message
    assert "FEED_ALLOW_PRIVATE_HOSTS" in message
    with pytest.raises(InvalidFeedURLError, match="only http"):
        await check_feed_url("ftp://example.com/feed", STRICT)
    allowed = URLPolicy(allow_private=True)
    assert await check_feed_url(" http://localhost:8080/feed ", allowed) == (
        "http://localhost:8080/feed"
    )


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("HTTP://Deadline.COM/feed/", "http://deadline.com/feed/"),
        ("https://deadline.com:443/feed/", "https://deadline.com/feed/"),
        ("http://deadline.com:80/feed/", "http://deadline.com/feed/"),
        ("https://deadline.com/feed/#latest", "https://deadline.com/feed/"),
        (" https://deadline.com ", "https://deadline.com/"),
        ("https://deadline.com:8443/Feed?Cat=TV", "https://deadline.com:8443/Feed?Cat=TV"),
        ("https://télé.example/séries feed", "https://xn--tl-bjab.example/s%C3%A9ries%20feed"),
        ("https://deadline.com/a%20b?q=%C3%A9", "https://deadline.com/a%20b?q=%C3%A9"),
        ("http://[::1]:80/feed", "http://[::1]/feed"),
    ],
)
def test_equivalent_urls_have_one_spelling(given: str, normal: str) -> None:
    assert normalise_url(given) == normal
    assert normalise_url(normal) == normal


def test_urls_longer_than_the_cap_are_refused() -> None:
    longest = "https://deadline.com/" + "a" * (2048 - len("https://deadline.com/"))
    assert normalise_url(longest) == longest
    assert check_url(longest) == ("deadline.com", 443)
    for too_long in (longest + "b", "https://deadline.com/" + "é" * 700):
        with pytest.raises(InvalidFeedURLError, match="characters long; feed addresses may have"):
            normalise_url(too_long)
    with pytest.raises(InvalidFeedURLError, match="at most 2,048"):
        check_url(longest + "b")
