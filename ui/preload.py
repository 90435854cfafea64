"""``Link: rel=preload`` headers on the Carte page's document (served by ``serve.py``).

On a cold load the browser spends some 0.7 s on Streamlit's own code before the page's first
run; the map's files (its geometries, Leaflet, the map's code and style) were only requested once
the map's element was drawn, a quarter of a second later, and the map waited for them. Announced
in the response that carries the page itself, they are fetched during that boot and taken from
the browser's preload cache when the map asks for them.

Only our own files are announced, the ones the rendered base map names
(``ui.mapcomponent.Rendered``: ``prefetch``, ``js_links``, ``css_links``): Streamlit's frontend
is its own business, its built files are not read here. The map's addresses are those of the last
first view the server drew (names that carry a hash of their content, known once the Carte page
has run after a start): until then the document goes without the header. Only the Carte page's
addresses (``/`` and ``/carte``, as ``ui.firstpaint.is_carte_url`` recognises them) carry it.
"""

from __future__ import annotations

import re
from typing import Any

from ui.firstpaint import base_path, is_carte_url
from ui.headers import ResponseHeaders, Rewrite, Scope

_header = ""


def link_value(*, fetch: tuple[str, ...], scripts: tuple[str, ...], styles: tuple[str, ...]) -> str:
    """The ``Link`` header for these addresses, each announced as what will ask for it.

    ``fetch`` is read by ``fetch()``, requested in CORS mode with same-origin credentials, hence
    ``crossorigin``. All at low priority, after Streamlit's own code. Nothing to announce is an
    error: a first view always names its map's files.
    """
    if not (fetch or scripts or styles):
        raise ValueError("aucun fichier de la carte à annoncer")
    links = [f"<{u}>; rel=preload; as=fetch; crossorigin=anonymous" for u in fetch]
    links += [f"<{u}>; rel=preload; as=script" for u in scripts]
    links += [f"<{u}>; rel=preload; as=style" for u in styles]
    for u in (*fetch, *scripts, *styles):
        # Our own paths: anything else in them would end the header or change its meaning.
        if not re.fullmatch(r"/[A-Za-z0-9/._~-]+", u):
            raise ValueError(f"adresse impropre à un en-tête Link : {u!r}")
    return ", ".join(f"{link}; fetchpriority=low" for link in links)


def remember(base: Any) -> None:
    """Announce the files of ``base`` (a ``ui.mapcomponent.Rendered`` first view) from now on."""
    global _header
    _header = link_value(fetch=tuple(base.prefetch), scripts=tuple(base.js_links), styles=tuple(base.css_links))


def forget() -> None:
    global _header
    _header = ""


def current() -> str:
    return _header


class PreloadLinks(ResponseHeaders):
    """Adds :func:`current` as a ``Link`` header to the Carte page's document."""

    def rewrite(self, scope: Scope) -> Rewrite | None:
        header = current()
        if not header or scope.get("method") != "GET" or not is_carte_url(scope.get("path", ""), base_path=base_path()):
            return None

        def with_links(status: int, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
            is_html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
            return [*headers, (b"link", header.encode("ascii"))] if is_html and status == 200 else headers

        return with_links
