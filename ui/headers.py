"""Response headers every page and file of the served app carries (ASGI middleware, ``serve.py``).

- ``X-Content-Type-Options: nosniff``: a browser takes each file for what it is declared to be,
  never guesses a script or a page in an uploaded or served file;
- ``Referrer-Policy: same-origin``: an address with a commune or a version in it is not sent to
  another site (an online basemap's tiles, say);
- the content-hashed bundles (``/app/static/bundles/<name>-<hash>.<ext>``, ``layers.bundle``) are
  cached for a year: their name changes whenever their content does.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))
IMMUTABLE = b"public, max-age=31536000, immutable"
_HASHED_BUNDLE = re.compile(r"/app/static/bundles/[A-Za-z0-9_]+-[0-9a-f]{16}\.[a-z]+$")


def is_hashed_bundle(path: str) -> bool:
    """True for a bundle whose name carries the hash of its content (under any base path)."""
    return _HASHED_BUNDLE.search(path) is not None


def with_headers(headers: list[tuple[bytes, bytes]], *, path: str) -> list[tuple[bytes, bytes]]:
    """``headers`` with ours set (replacing any of the same name)."""
    ours = list(ALWAYS)
    if is_hashed_bundle(path):
        ours.append((b"cache-control", IMMUTABLE))
    names = {name for name, _ in ours}
    return [(k, v) for k, v in headers if k.lower() not in names] + ours


Rewrite = Callable[[int, list[tuple[bytes, bytes]]], list[tuple[bytes, bytes]]]


class ResponseHeaders:
    """ASGI middleware that rewrites the headers of a response when :meth:`rewrite` gives it a
    rewrite for that request (status and headers in, headers out); other traffic passes as is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def rewrite(self, scope: Scope) -> Rewrite | None:
        raise NotImplementedError

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        rewrite = self.rewrite(scope) if scope.get("type") == "http" else None
        if rewrite is None:
            await self.app(scope, receive, send)
            return

        async def send_rewritten(message: Message) -> None:
            if message.get("type") == "http.response.start":
                headers = rewrite(message.get("status", 200), list(message.get("headers", [])))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_rewritten)


class SecurityHeaders(ResponseHeaders):
    """:func:`with_headers` on every HTTP response."""

    def rewrite(self, scope: Scope) -> Rewrite:
        path = scope.get("path", "")
        return lambda _status, headers: with_headers(headers, path=path)
