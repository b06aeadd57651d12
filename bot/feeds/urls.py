"""Which feed URLs we are willing to fetch (server-side request forgery guard), and the
one spelling a feed's URL is stored under.

One resource, one feed: `normalise_url` lower-cases the scheme and host, drops a default
port and the fragment, writes an empty path as "/" and percent-encodes what a URL may not
hold as it is (non-ASCII, spaces), so `HTTP://Deadline.com:443/feed#top` and
`https://deadline.com/feed` are the same feed. A URL is at most MAX_URL_LENGTH characters
once normalised: longer ones are refused (they are never feeds, and would not fit a
database index).

A feed URL comes from an operator, and every redirect comes from a server we do not
control, so each one could point the bot at the machine it runs on or at the private
network around it. The rules: http or https only, no credentials in the URL, and the host
must resolve to public addresses only, not loopback, private, link-local, multicast,
reserved or unspecified ones (IPv4 inside IPv6 included), unless the operator opted in with
FEED_ALLOW_PRIVATE_HOSTS=true.

The check is made twice: on the URL of every hop before it is requested (clear error, and
IP literals, which never reach a resolver), and inside the HTTP client's resolver, on the
addresses it actually connects to, so that a DNS answer that changes between the check
and the connection (DNS rebinding) is refused too. That resolver (and checking a URL by
resolving it) is in bot/feeds/resolver.py: the rules here import no HTTP client, so a
command that only opens the store does not load aiohttp.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from bot.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL_LENGTH = 2048
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters a URL holds as they are; anything else (non-ASCII, spaces, quotes) is escaped.
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


class InvalidFeedURLError(ValueError):
    """The URL cannot be a feed's: wrong scheme, no host, a host that does not resolve."""


class UnsafeURLError(InvalidFeedURLError):
    """The URL points at an address we refuse to fetch from (loopback, private network...)."""


@dataclass(frozen=True, slots=True)
class URLPolicy:
    """What may be fetched. `allowed` lists "host:port" pairs reachable even when private
    (tests allow exactly their local server this way); `allow_private` allows any host."""

    allow_private: bool = False
    allowed: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_settings(cls, settings: Settings) -> URLPolicy:
        """The policy the operator configured."""
        return cls(allow_private=settings.feed_allow_private_hosts)

    def permits(self, host: str, port: int) -> bool:
        """Whether `host:port` is allowed whatever its address."""
        return self.allow_private or f"{host.lower()}:{port}" in self.allowed


def normalise_url(url: str) -> str:
    """The URL's one spelling (see the module's docstring); InvalidFeedURLError when it
    cannot be read as a URL or is longer than MAX_URL_LENGTH once normalised."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname or ""
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as exc:
        raise InvalidFeedURLError(f"{_shorten(url)!r} is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    netloc = f"[{host}]" if ":" in host else host
    if parts.username is not None or parts.password is not None:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{netloc}"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = quote(parts.path, safe=_URL_SAFE) or ("/" if netloc else "")
    normal = urlunsplit((scheme, netloc, path, quote(parts.query, safe=_URL_SAFE), ""))
    if len(normal) > MAX_URL_LENGTH:
        raise InvalidFeedURLError(
            f"{_shorten(normal)!r} is {len(normal):,} characters long; feed addresses may "
            f"have at most {MAX_URL_LENGTH:,}"
        )
    return normal


def same_url(url: str) -> str:
    """The URL a feed would be stored under, for looking one up: normalised when it can
    be, else as given (then it matches no feed)."""
    try:
        return normalise_url(url)
    except InvalidFeedURLError:
        return url.strip()


def _shorten(url: str) -> str:
    return url if len(url) <= 80 else f"{url[:60]}…{url[-10:]}"


def check_url(url: str) -> tuple[str, int]:
    """The URL's (host, port) if its form is acceptable; InvalidFeedURLError if not."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise InvalidFeedURLError(
            f"{_shorten(url)!r} is {len(url):,} characters long; feed addresses may have at "
            f"most {MAX_URL_LENGTH:,}"
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidFeedURLError(f"{url!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidFeedURLError(f"{url!r}: only http:// and https:// feeds can be followed")
    host = parts.hostname
    if not host:
        raise InvalidFeedURLError(f"{url!r} has no host name")
    if parts.username is not None or parts.password is not None:
        raise InvalidFeedURLError(f"{url!r}: URLs with a user name or password are refused")
    return host, port or (443 if parts.scheme == "https" else 80)


def address_problem(address: str) -> str | None:
    """Why connecting to this IP address is refused ("loopback", "private"...), or None
    when it is a public unicast address."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    return _ip_problem(ip)


def _ip_problem(ip: IPAddress) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 reaches the IPv4 host.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return _ip_problem(embedded)
    for problem, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return problem
    return None if ip.is_global else "non-public"


def refused(url_or_host: str, address: str, problem: str) -> UnsafeURLError:
    """The error refusing `url_or_host` because it resolves to a refused address."""
    return UnsafeURLError(
        f"refused {url_or_host}: it resolves to {address}, a {problem} address "
        "(feeds must be on the public internet; set FEED_ALLOW_PRIVATE_HOSTS=true to allow "
        "private hosts)"
    )


def check_target(url: str, policy: URLPolicy) -> tuple[str, int]:
    """Check the URL's form and, when its host is an IP literal, the address; returns
    (host, port). Host names are checked when they are resolved (see
    bot.feeds.resolver.GuardedResolver)."""
    host, port = check_url(url)
    if policy.permits(host, port):
        return host, port
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host, port
    if problem := address_problem(host):
        raise refused(url, host, problem)
    return host, port
