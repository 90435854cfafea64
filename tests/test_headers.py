"""Response headers of the served app (ui/headers.py)."""

from __future__ import annotations

import urllib.request

import pytest

from ui.headers import IMMUTABLE, is_hashed_bundle, with_headers


@pytest.mark.parametrize(
    ("path", "hashed"),
    [
        ("/app/static/bundles/carte-4d2ba493c8ec97ec.js", True),
        ("/erbm/app/static/bundles/carte-64ef0381efe11118.css", True),
        ("/app/static/bundles/carte.js", False),
        ("/app/static/vendor/leaflet/leaflet.js", False),
        ("/app/static/bundles/carte-4d2ba493c8ec97ec.js/../x", False),
        ("/", False),
    ],
)
def test_only_content_hashed_bundles_are_cached_for_a_year(path, hashed) -> None:
    assert is_hashed_bundle(path) is hashed
    headers = dict(with_headers([(b"cache-control", b"no-cache"), (b"content-type", b"text/html")], path=path))
    assert headers[b"cache-control"] == (IMMUTABLE if hashed else b"no-cache")
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"referrer-policy"] == b"same-origin"
    assert headers[b"content-type"] == b"text/html"


def test_ours_replace_headers_of_the_same_name_whatever_their_case() -> None:
    headers = with_headers([(b"X-Content-Type-Options", b"sniff"), (b"Referrer-Policy", b"unsafe-url")], path="/")
    assert headers == [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]


@pytest.mark.browser
def test_the_served_app_sends_them(app_url) -> None:
    from settings import get_settings

    with urllib.request.urlopen(app_url + "/") as page:
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Referrer-Policy"] == "same-origin"
    bundle = next((get_settings().static_dir / "bundles").glob("carte-*.js"))
    with urllib.request.urlopen(f"{app_url}/app/static/bundles/{bundle.name}") as served:
        assert served.headers["Cache-Control"] == IMMUTABLE.decode()
        assert served.headers["X-Content-Type-Options"] == "nosniff"
