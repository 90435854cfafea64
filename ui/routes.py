"""Addresses of the served app: each page's own (``/carte``…), and a French « page introuvable »
for any other (ASGI middleware, ``serve.py``).

Streamlit answers every unknown address with its page, then shows an English « Page not found »
dialog and rewrites the address. Here an address that names no page gets a 404 and a French page
with a link to the map; Streamlit's own routes, files and components pass untouched. The pages'
addresses are read from ``app.py`` (its ``url_path="…"``), the one place that declares them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from ui.firstpaint import base_path
from ui.headers import ASGIApp, Message, Scope, with_headers

ROOT = Path(__file__).resolve().parent.parent
NOT_FOUND_HTML = Path(__file__).with_name("notfound.html")
# Streamlit's routes and served files: never a page address, never ours to answer.
_PASSTHROUGH = ("_stcore/", "static/", "app/static/", "component/", "media/", "auth/", "oauth2callback", "-/")
_URL_PATH = re.compile(r'url_path="([A-Za-z0-9_-]+)"')


@functools.cache
def page_paths() -> frozenset[str]:
    """Every page address declared in ``app.py``, and ``""`` (the root)."""
    return frozenset({"", *_URL_PATH.findall((ROOT / "app.py").read_text(encoding="utf-8"))})


def relative_path(path: str, *, base: str) -> str | None:
    """``path`` without the server's base path and its slashes; None when outside the base path."""
    path = path.strip("/")
    base = base.strip("/")
    if base:
        if path != base and not path.startswith(base + "/"):
            return None
        path = path[len(base) :].strip("/")
    return path


def is_unknown_page(path: str, *, base: str = "") -> bool:
    """An address that Streamlit would answer with its page although no page has it."""
    rel = relative_path(path, base=base)
    if rel is None or rel in page_paths():
        return False
    if any(rel == p.rstrip("/") or rel.startswith(p) for p in _PASSTHROUGH):
        return False
    # A page address is one name; deeper ones (Streamlit's frontend probes « /carte/_stcore/health »
    # to find the base path) and file names are Streamlit's to answer.
    return "/" not in rel and "." not in rel


def not_found_page(*, base: str) -> bytes:
    root = "/" + (base.strip("/") + "/" if base.strip("/") else "")
    return NOT_FOUND_HTML.read_text(encoding="utf-8").replace("{{racine}}", root).encode("utf-8")


class FrenchNotFound:
    """404 and :func:`not_found_page` for a GET or HEAD of an address that names no page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        path = scope.get("path", "")
        if (
            scope.get("type") != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or not is_unknown_page(path, base=base_path())
        ):
            await self.app(scope, receive, send)
            return
        body = not_found_page(base=base_path())
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 404, "headers": with_headers(headers, path=path)})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
