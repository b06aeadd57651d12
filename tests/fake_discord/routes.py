"""Route patterns: `"POST /channels/{channel_id}/messages"`-style templates and globs."""

from __future__ import annotations

import re
from dataclasses import dataclass

_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True, slots=True)
class RoutePattern:
    """Matches a request by method (optional) and path.

    In the path, `{name}` and `*` match one segment and `**` matches anything, so
    `"POST /channels/{channel_id}/messages"`, `"POST /channels/*/messages"` and
    `"/interactions/**"` all work. Paths are relative to the API base (no `/api/v10`).
    """

    method: str | None
    regex: re.Pattern[str]
    text: str

    @classmethod
    def parse(cls, pattern: str) -> RoutePattern:
        """Compile a pattern such as `"PATCH /webhooks/*/*/messages/@original"`."""
        method: str | None = None
        path = pattern.strip()
        head, _, rest = path.partition(" ")
        if head.upper() in _METHODS and rest:
            method, path = head.upper(), rest.strip()
        if not path.startswith("/"):
            raise ValueError(f"route pattern paths start with '/': {pattern!r}")
        regex = ""
        for token in re.split(r"(\*\*|\*|\{[^}/]+\})", path):
            if token == "**":
                regex += ".*"
            elif token == "*" or (token.startswith("{") and token.endswith("}")):
                regex += "[^/]+"
            else:
                regex += re.escape(token)
        return cls(method=method, regex=re.compile(regex + r"\Z"), text=pattern)

    def matches(self, method: str, path: str) -> bool:
        """Whether a request for `method` and `path` matches."""
        if self.method is not None and self.method != method.upper():
            return False
        return self.regex.match(path) is not None
