"""The document's language: ``<html lang="fr">`` on every page of the served app (``serve.py``),
and Streamlit's own words in French.

Streamlit's page shell (``index.html``) says ``lang="en"`` whatever the app's language, and offers
no setting for it (streamlit/streamlit#15726, open): screen readers then read the French text
with English pronunciation and browsers offer to translate the page. Nor has Streamlit a locale
(streamlit/streamlit#1353): its skip link, menus, widget hints and aria labels are English. This
ASGI middleware rewrites the attribute in the shell's HTML responses (gzip-encoded or not) and
adds to its ``<head>`` the app's page scripts (:data:`PAGE_SCRIPTS`, files of ``static/``, deferred,
allowed by the page's Content-Security-Policy as the server's own): ``erbm-fr.js`` translates
Streamlit's words from ``erbm-fr.json``, ``erbm-search.js`` makes Enter in the search field go to
the first suggestion. Every other response passes untouched and unbuffered.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Awaitable, Callable

from ui.headers import ASGIApp, Message, Scope

LANG = "fr"
_HTML_TAG = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_LANG_ATTR = re.compile(rb"""\blang\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
# Relative, like the shell's own files: they resolve under a base URL path (every page's address
# is one segment deep, /carte, /territoire...).
PAGE_SCRIPTS = ("./app/static/erbm-fr.js", "./app/static/erbm-search.js")


def with_lang(html: bytes, lang: str = LANG) -> bytes:
    """``html`` whose ``<html>`` tag says ``lang="<lang>"`` (set or replaced); other bytes unchanged."""
    match = _HTML_TAG.search(html)
    if match is None:
        return html
    tag = match.group()
    attr = f'lang="{lang}"'.encode("ascii")
    new = _LANG_ATTR.sub(attr, tag, count=1) if _LANG_ATTR.search(tag) else tag[:5] + b" " + attr + tag[5:]
    return html[: match.start()] + new + html[match.end() :]


def with_page_scripts(html: bytes, scripts: tuple[str, ...] = PAGE_SCRIPTS) -> bytes:
    """``html`` with a deferred ``<script src>`` per file of ``scripts`` at the end of its ``<head>``
    (none added twice); unchanged when it has no ``</head>``."""
    match = _HEAD_END.search(html)
    if match is None:
        return html
    tags = b"".join(
        f'<script defer src="{src}"></script>'.encode("ascii")
        for src in scripts
        if f'src="{src}"'.encode("ascii") not in html
    )
    return html[: match.start()] + tags + html[match.start() :]


def shell(html: bytes) -> bytes:
    """The page shell as the served app sends it: in French, with the app's page scripts."""
    return with_page_scripts(with_lang(html))


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    return next((v for k, v in headers if k.lower() == name), b"")


class DocumentLanguage:
    """ASGI middleware: :func:`shell` on every ``text/html`` response to a GET."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_html(message: Message) -> None:
            nonlocal start
            if message.get("type") == "http.response.start":
                headers = list(message.get("headers", []))
                if _header(headers, b"content-type").startswith(b"text/html"):
                    start = message
                    return
            elif start is not None and message.get("type") == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                await _send_rewritten(send, start, b"".join(chunks))
                return
            await send(message)

        await self.app(scope, receive, send_html)


async def _send_rewritten(send: Callable[[Message], Awaitable[None]], start: Message, body: bytes) -> None:
    headers = list(start.get("headers", []))
    encoding = _header(headers, b"content-encoding").strip().lower()
    if encoding == b"gzip":
        body = gzip.compress(shell(gzip.decompress(body)), mtime=0)
    elif not encoding:
        body = shell(body)
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode("ascii")))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
