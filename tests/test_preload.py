"""The Carte page's document announces its map's files (``Link: rel=preload``)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from settings import get_settings
from tests.asgi_support import run_coroutine
from ui import preload

ROOT = Path(__file__).resolve().parent.parent
BASE = SimpleNamespace(
    prefetch=("/app/static/bundles/carte-1a2b.json",),
    js_links=("/app/static/bundles/carte-3c4d.js", "/app/static/vendor/leaflet/leaflet.js"),
    css_links=("/app/static/vendor/leaflet/leaflet.css",),
)


@pytest.fixture(autouse=True)
def _no_header():
    preload.forget()
    yield
    preload.forget()


def test_link_value_announces_each_file_as_what_will_ask_for_it() -> None:
    value = preload.link_value(fetch=("/a.json",), scripts=("/b.js",), styles=("/c.css",))
    assert value == (
        "</a.json>; rel=preload; as=fetch; crossorigin=anonymous; fetchpriority=low, "
        "</b.js>; rel=preload; as=script; fetchpriority=low, "
        "</c.css>; rel=preload; as=style; fetchpriority=low"
    )


@pytest.mark.parametrize("bad", ["/a.js>; rel=stylesheet", "/a.js\r\nSet-Cookie: x=1", "https://cdn.example/a.js"])
def test_link_value_refuses_what_is_not_one_of_our_paths(bad: str) -> None:
    with pytest.raises(ValueError, match="Link"):
        preload.link_value(fetch=(), scripts=(bad,), styles=())


def test_a_first_view_with_nothing_to_announce_is_an_error() -> None:
    with pytest.raises(ValueError, match="aucun fichier"):
        preload.remember(SimpleNamespace(prefetch=(), js_links=(), css_links=()))
    assert preload.current() == ""


def _serve(path: str, *, method: str = "GET", content_type: bytes = b"text/html; charset=utf-8", status: int = 200):
    """The response headers the middleware lets through for a request to ``path``."""
    sent: list[dict] = []

    async def app(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type)]})
        await send({"type": "http.response.body", "body": b"<html></html>"})

    async def receive():
        return {"type": "http.request"}

    async def send(message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": []}
    run_coroutine(preload.PreloadLinks(app)(scope, receive, send))
    assert sent[1]["body"] == b"<html></html>"
    return dict(sent[0]["headers"])


def test_document_of_the_carte_page_carries_the_links_once_a_first_view_was_drawn() -> None:
    assert b"link" not in _serve("/")  # nothing drawn since the start: nothing announced
    preload.remember(BASE)
    link = _serve("/")[b"link"].decode()
    assert link == (
        "</app/static/bundles/carte-1a2b.json>; rel=preload; as=fetch; crossorigin=anonymous; fetchpriority=low, "
        "</app/static/bundles/carte-3c4d.js>; rel=preload; as=script; fetchpriority=low, "
        "</app/static/vendor/leaflet/leaflet.js>; rel=preload; as=script; fetchpriority=low, "
        "</app/static/vendor/leaflet/leaflet.css>; rel=preload; as=style; fetchpriority=low"
    )
    assert _serve("/carte")[b"link"].decode() == link


def test_other_pages_files_and_methods_carry_no_links() -> None:
    preload.remember(BASE)
    assert b"link" not in _serve("/sources")
    assert b"link" not in _serve("/app/static/vendor/leaflet/leaflet.js", content_type=b"text/javascript")
    assert b"link" not in _serve("/", method="HEAD")
    assert b"link" not in _serve("/", status=304)


def test_a_browsers_first_view_of_the_carte_page_announces_every_file_of_its_map(monkeypatch) -> None:
    """The real page, run as a browser's first view: the map's five files, each served by us."""
    from streamlit.testing.v1 import AppTest

    from ui import firstpaint

    # AppTest has no browser, whose first view is the one that announces its map's files.
    monkeypatch.setattr(firstpaint, "_has_browser", lambda: True)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    announced = re.findall(r"<([^>]+)>; rel=preload; as=(\w+)", preload.current())
    names = [(re.sub(r"-[0-9a-f]{16}\.", "-<hash>.", url.rsplit("/", 1)[-1]), kind) for url, kind in announced]
    # The geometries, the map's code, Leaflet's code and style, the map's style.
    assert names == [
        ("carte-<hash>.json", "fetch"),
        ("carte-<hash>.js", "script"),
        ("leaflet.js", "script"),
        ("leaflet.css", "style"),
        ("carte-<hash>.css", "style"),
    ]
    static = get_settings().static_dir
    for url, _ in announced:
        assert url.startswith("/app/static/")
        assert (static / url.removeprefix("/app/static/")).is_file(), url
