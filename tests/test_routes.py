"""Page addresses, the French « page introuvable » and the Content-Security-Policy (issue #18, finding 7)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from ui.headers import content_security_policy, with_headers
from ui.routes import is_unknown_page, not_found_page, page_paths


def test_page_addresses_are_read_from_app_py() -> None:
    assert {"", "carte", "territoire", "cites", "mise-a-jour", "historique", "sources"} <= page_paths()


@pytest.mark.parametrize(
    ("path", "base", "unknown"),
    [
        ("/", "", False),
        ("/carte", "", False),
        ("/carte/", "", False),
        ("/mise-a-jour", "", False),
        ("/nimportequoi", "", True),
        ("/wp-admin", "", True),
        ("/_stcore/health", "", False),
        ("/_stcore/stream", "", False),
        ("/static/js/index.js", "", False),
        ("/app/static/bundles/carte-4d2ba493c8ec97ec.js", "", False),
        ("/component/x/index.html", "", False),
        ("/favicon.png", "", False),
        ("/carte/_stcore/health", "", False),  # Streamlit's own probe for a base path
        ("/erbm/carte", "erbm", False),
        ("/erbm/inconnue", "erbm", True),
        ("/autre/inconnue", "erbm", False),  # outside the base path: not ours
    ],
)
def test_unknown_page_addresses(path, base, unknown) -> None:
    assert is_unknown_page(path, base=base) is unknown


def test_the_not_found_page_is_french_and_links_to_the_map() -> None:
    page = not_found_page(base="erbm").decode()
    assert '<html lang="fr">' in page and "<h1>Page introuvable</h1>" in page
    assert '<a href="/erbm/">Ouvrir la carte</a>' in page
    assert '<a href="/">' in not_found_page(base="").decode()


def test_policy_frames_and_fallback() -> None:
    policy = content_security_policy(frame_ancestors="'self' https://www.exemple.fr")
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["frame-ancestors"] == "'self' https://www.exemple.fr"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["script-src"].startswith("'self' blob: 'sha256-")
    assert "'unsafe-inline'" not in directives["script-src"] and "unsafe-eval" not in policy
    # Not a list of CSP sources (a header injection, say): the default.
    assert content_security_policy(frame_ancestors="x;\r\nSet-Cookie: a=b").endswith("frame-ancestors 'self'")


def test_only_pages_carry_the_policy(monkeypatch) -> None:
    monkeypatch.setenv("ERBM_FRAME_ANCESTORS", "https://carte.exemple.fr")
    page = dict(with_headers([(b"content-type", b"text/html; charset=utf-8")], path="/"))
    assert page[b"content-security-policy"].decode().endswith("frame-ancestors https://carte.exemple.fr")
    script = dict(with_headers([(b"content-type", b"application/javascript")], path="/static/x.js"))
    assert b"content-security-policy" not in script


@pytest.mark.browser
def test_carte_address_csp_and_not_found_in_the_browser(app_url, offline_page) -> None:
    from tests.browser_support import wait_counts

    violations: list[str] = []
    offline_page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = offline_page.goto(app_url + "/carte?statut=livrée")
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    counts = wait_counts(offline_page, lambda c: c.get("commune", 0) > 0)
    assert counts["commune"] == 250
    offline_page.wait_for_load_state("networkidle")
    assert offline_page.url.startswith(app_url + "/carte")  # the address stays the Carte page's
    assert offline_page.get_by_text("Page not found").count() == 0
    assert violations == []
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(app_url + "/nimportequoi")
    assert missing.value.code == 404
    body = missing.value.read().decode()
    assert re.search(r"<h1>Page introuvable</h1>", body)
    assert missing.value.headers["X-Content-Type-Options"] == "nosniff"
