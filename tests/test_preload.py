"""The Carte page's document announces its map's files (``Link: rel=preload``)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from ui import preload

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


def test_streamlit_component_code_beyond_the_page_is_found() -> None:
    import streamlit

    static = Path(streamlit.__file__).parent / "static"
    modules = preload.streamlit_modules(preload.COMPONENT_ELEMENT)
    assert modules[0].startswith("BidiComponent.") and modules[0].endswith(".js")
    # The serialisation code it imports comes along; nothing the page already loads does.
    assert any(m.startswith("serialization.") for m in modules)
    index = (static / "index.html").read_text(encoding="utf-8")
    assert not [m for m in modules if m in index]
    assert all((static / "static" / "js" / m).is_file() for m in modules)


def test_missing_element_or_frontend_gives_no_module(tmp_path: Path) -> None:
    assert preload.streamlit_modules("NoSuchElement") == ()
    assert preload.streamlit_modules(preload.COMPONENT_ELEMENT, static_dir=tmp_path) == ()


def test_link_value_announces_each_file_as_what_will_ask_for_it() -> None:
    value = preload.link_value(fetch=("/a.json",), scripts=("/b.js",), styles=("/c.css",), modules=("/static/js/d.js",))
    assert value == (
        "</a.json>; rel=preload; as=fetch; crossorigin=anonymous; fetchpriority=low, "
        "</b.js>; rel=preload; as=script; fetchpriority=low, "
        "</c.css>; rel=preload; as=style; fetchpriority=low, "
        "</static/js/d.js>; rel=preload; as=script; crossorigin=anonymous; fetchpriority=low"
    )


@pytest.mark.parametrize("bad", ["/a.js>; rel=stylesheet", "/a.js\r\nSet-Cookie: x=1", "https://cdn.example/a.js"])
def test_link_value_refuses_what_is_not_one_of_our_paths(bad: str) -> None:
    with pytest.raises(ValueError, match="Link"):
        preload.link_value(fetch=(), scripts=(bad,), styles=(), modules=())


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
    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, preload.PreloadLinks(app)(scope, receive, send)).result()
    assert sent[1]["body"] == b"<html></html>"
    return dict(sent[0]["headers"])


def test_document_of_the_carte_page_carries_the_links_once_a_first_view_was_drawn() -> None:
    assert b"link" not in _serve("/")  # nothing drawn since the start: nothing announced
    preload.remember(BASE)
    link = _serve("/")[b"link"].decode()
    assert link.startswith(
        "</app/static/bundles/carte-1a2b.json>; rel=preload; as=fetch; crossorigin=anonymous; fetchpriority=low, "
        "</app/static/bundles/carte-3c4d.js>; rel=preload; as=script; fetchpriority=low, "
        "</app/static/vendor/leaflet/leaflet.js>; rel=preload; as=script; fetchpriority=low, "
        "</app/static/vendor/leaflet/leaflet.css>; rel=preload; as=style; fetchpriority=low, "
        "</static/js/BidiComponent."
    )
    assert _serve("/carte")[b"link"].decode() == link


def test_other_pages_files_and_methods_carry_no_links() -> None:
    preload.remember(BASE)
    assert b"link" not in _serve("/sources")
    assert b"link" not in _serve("/app/static/vendor/leaflet/leaflet.js", content_type=b"text/javascript")
    assert b"link" not in _serve("/", method="HEAD")
    assert b"link" not in _serve("/", status=304)
