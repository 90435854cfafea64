"""Response headers every page and file of the served app carries (ASGI middleware, ``serve.py``).

- ``X-Content-Type-Options: nosniff``: a browser takes each file for what it is declared to be,
  never guesses a script or a page in an uploaded or served file;
- ``Referrer-Policy: same-origin``: an address with a commune or a version in it is not sent to
  another site (an online basemap's tiles, say);
- ``Content-Security-Policy`` on pages (:func:`content_security_policy`): scripts, styles, images,
  fonts and connections from this server only, so an injected address or inline script does not
  run; who may frame the app is ``ERBM_FRAME_ANCESTORS`` (``'self'`` by default);
- the content-hashed bundles (``/app/static/bundles/<name>-<hash>.<ext>``, ``layers.bundle``) are
  cached for a year: their name changes whenever their content does.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))
IMMUTABLE = b"public, max-age=31536000, immutable"
_HASHED_BUNDLE = re.compile(r"/app/static/bundles/[A-Za-z0-9_]+-[0-9a-f]{16}\.[a-z]+$")


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_SOURCE = re.compile(r"^[A-Za-z0-9'*:/._ -]+$")


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


@functools.cache
def _inline_script_hashes() -> tuple[str, ...]:
    """CSP hashes of the inline scripts the app's pages run: Streamlit's own page (one line that
    flags prerendering) and the presentation's document (an iframe whose source is the document
    itself, so under the page's policy), whose scripts are Leaflet and our files, inlined as is."""
    import streamlit

    from layers.presentation import SCRIPTS, asset, leaflet_assets

    page = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    codes = [*_INLINE_SCRIPT.findall(page), leaflet_assets()[0], *(asset(name) for name in SCRIPTS)]
    return tuple(_csp_hash(code) for code in codes)


def content_security_policy(*, frame_ancestors: str) -> str:
    """The policy of every page. Styles allow inline ones: Streamlit's components write their
    styles at run time. ``frame_ancestors`` (sources separated by spaces) must be CSP sources;
    anything else falls back to ``'self'``."""
    if not frame_ancestors.strip() or not _SOURCE.match(frame_ancestors):
        frame_ancestors = "'self'"
    # blob: the map component's code: st.components.v2 imports the JS it is given from a blob URL.
    scripts = " ".join(("'self'", "blob:", *_inline_script_hashes()))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors.strip()}",
        ]
    )


def _policy() -> bytes:
    from settings import get_settings

    return content_security_policy(frame_ancestors=get_settings().frame_ancestors).encode("ascii")


def is_hashed_bundle(path: str) -> bool:
    """True for a bundle whose name carries the hash of its content (under any base path)."""
    return _HASHED_BUNDLE.search(path) is not None


def with_headers(headers: list[tuple[bytes, bytes]], *, path: str) -> list[tuple[bytes, bytes]]:
    """``headers`` with ours set (replacing any of the same name)."""
    ours = list(ALWAYS)
    if any(k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in headers):
        ours.append((b"content-security-policy", _policy()))
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
