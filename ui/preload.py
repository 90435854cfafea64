"""``Link: rel=preload`` headers on the Carte page's document (served by ``serve.py``).

On a cold load the browser spends some 0.7 s on Streamlit's own code before the page's first
run; the map's files (its geometries, Leaflet, the map's code and style) and the code of
Streamlit's component element were only requested once the map's element was drawn, a quarter
of a second later, and the map waited for them. Announced in the response that carries the page
itself, they are fetched during that boot and taken from the browser's preload cache when the
map asks for them.

The map's addresses are those of the last first view the server drew (names that carry a hash
of their content, known once the Carte page has run after a start): until then the document
goes without the header. Only the Carte page's addresses (``/`` and ``/carte``, as
``ui.firstpaint.is_carte_url`` recognises them) carry it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from ui.firstpaint import base_path, is_carte_url

# Streamlit's element that draws the map (st.components.v2), loaded on first use.
COMPONENT_ELEMENT = "BidiComponent"

_header = ""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


def link_value(
    *, fetch: tuple[str, ...], scripts: tuple[str, ...], styles: tuple[str, ...], modules: tuple[str, ...]
) -> str:
    """The ``Link`` header for these addresses, each announced as what will ask for it.

    ``fetch`` is read by ``fetch()`` and ``modules`` are ES modules: both are requested in CORS
    mode with same-origin credentials, hence ``crossorigin``. ``preload``, not ``modulepreload``,
    for the modules: the browser then only downloads them, and compiles them when they are
    imported, not while it starts Streamlit's own code. All at low priority, after that code.
    """
    links = [f"<{u}>; rel=preload; as=fetch; crossorigin=anonymous" for u in fetch]
    links += [f"<{u}>; rel=preload; as=script" for u in scripts]
    links += [f"<{u}>; rel=preload; as=style" for u in styles]
    links += [f"<{u}>; rel=preload; as=script; crossorigin=anonymous" for u in modules]
    for u in (*fetch, *scripts, *styles, *modules):
        # Our own paths: anything else in them would end the header or change its meaning.
        if not re.fullmatch(r"/[A-Za-z0-9/._~-]+", u):
            raise ValueError(f"adresse impropre à un en-tête Link : {u!r}")
    return ", ".join(f"{link}; fetchpriority=low" for link in links)


def remember(base: Any) -> None:
    """Announce the files of ``base`` (a ``ui.mapcomponent.Rendered`` first view) from now on."""
    global _header
    root = base_path()
    prefix = f"/{root}" if root else ""
    _header = link_value(
        fetch=tuple(base.prefetch),
        scripts=tuple(base.js_links),
        styles=tuple(base.css_links),
        modules=tuple(f"{prefix}/static/js/{name}" for name in streamlit_modules(COMPONENT_ELEMENT)),
    )


def forget() -> None:
    global _header
    _header = ""


def current() -> str:
    return _header


@functools.cache
def streamlit_modules(element: str, *, static_dir: Path | None = None) -> tuple[str, ...]:
    """The files of Streamlit's frontend that ``element``'s code needs beyond those the page
    loads at once (its ``index.html``), read from the installed Streamlit; none if not found."""
    if static_dir is None:
        import streamlit

        static_dir = Path(streamlit.__file__).parent / "static"
    js = static_dir / "static" / "js"
    try:
        index = (static_dir / "index.html").read_text(encoding="utf-8")
        entry = next(p.name for p in sorted(js.glob(f"{element}.*.js")))
    except (OSError, StopIteration):
        return ()
    loaded = set(re.findall(r"static/js/([^\"']+?\.js)", index))
    found: list[str] = []
    todo = [entry]
    while todo:
        name = todo.pop(0)
        if name in loaded or name in found or not (js / name).is_file():
            continue
        found.append(name)
        todo += re.findall(r"""(?:from|import)\s*["']\./([^"']+?\.js)["']""", (js / name).read_text(encoding="utf-8"))
    return tuple(found)


class PreloadLinks:
    """ASGI middleware: adds :func:`current` as a ``Link`` header to the Carte page's document."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        header = current()
        if (
            not header
            or scope.get("type") != "http"
            or scope.get("method") != "GET"
            or not is_carte_url(scope.get("path", ""), base_path=base_path())
        ):
            await self.app(scope, receive, send)
            return

        async def send_with_links(message: Message) -> None:
            if message.get("type") == "http.response.start":
                headers = list(message.get("headers", []))
                is_html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                if is_html and message.get("status", 200) == 200:
                    message = {**message, "headers": [*headers, (b"link", header.encode("ascii"))]}
            await send(message)

        await self.app(scope, receive, send_with_links)
