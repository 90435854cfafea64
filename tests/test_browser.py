"""End-to-end: the real app in headless Chromium, with every non-local request refused."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.browser_support import ARTIFACTS, map_frame, wait_counts

pytestmark = pytest.mark.browser


def open_carte(page, url: str):
    # Direct loads of a sub-page wait ~25 s on a Streamlit health-check fallback
    # (streamlit/streamlit#7074): the default page lives at the root.
    page.goto(url + "/")
    return map_frame(page)


def test_map_draws_every_layer_offline(offline_page, app_url, capsys) -> None:
    ws_bytes = []
    offline_page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda f: ws_bytes.append(len(f.encode() if isinstance(f, str) else f))),
    )
    frame = open_carte(offline_page, app_url)
    counts = wait_counts(offline_page, lambda c: c.get("commune") == 250 and c.get("cite") == 59)
    assert counts["commune"] == 250
    assert counts["cite"] == 59
    assert counts["epci"] == 13
    assert counts["route"] == 4
    offline_page.wait_for_timeout(1000)
    assert frame.locator(".leaflet-control-layers").is_visible()
    legend = frame.locator(".erbm-legend")
    assert legend.is_visible()
    assert "Cités (59 affichées)" in legend.inner_text()
    # Leaflet came from the local static folder, and nothing tried the network for JS or CSS.
    assert frame.evaluate("() => typeof L !== 'undefined' && L.version") == "1.9.3"
    refused = [u for u in offline_page.offline_guard.refused if re.search(r"\.(js|css)(\?|$)", u)]
    assert refused == []
    resources = "() => performance.getEntriesByType('resource').reduce((n, e) => n + (e.encodedBodySize || 0), 0)"
    received = {
        "http": offline_page.evaluate(resources) + frame.evaluate(resources),
        "ws": sum(ws_bytes),
    }
    total = received["http"] + received["ws"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "payload.json").write_text(json.dumps(received | {"total": total}), encoding="utf-8")
    with capsys.disabled():
        print(f"\n[payload] page Carte : {total} octets reçus (HTTP {received['http']}, websocket {received['ws']})")
    offline_page.screenshot(path=str(ARTIFACTS / "carte.png"))


def test_filter_changes_cites_drawn_and_listed(offline_page, app_url) -> None:
    open_carte(offline_page, app_url)
    wait_counts(offline_page, lambda c: c.get("cite") == 59)
    sidebar = offline_page.locator('[data-testid="stSidebar"]')
    status = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Statut")
    status.locator("input").click()
    option = offline_page.get_by_role("option", name=re.compile(r"^travaux logements \(\d+\)$"))
    label = option.inner_text()
    expected = int(re.search(r"\((\d+)\)", label).group(1))
    option.click()
    offline_page.keyboard.press("Escape")
    assert 0 < expected < 59
    counts = wait_counts(offline_page, lambda c: c.get("cite") == expected)
    assert counts["commune"] == 250
    offline_page.get_by_text(f"{expected} cité(s) affichée(s) sur 59").wait_for(timeout=30_000)
    # The Cités page lists exactly the same set.
    offline_page.get_by_role("link", name="Cités").click()
    offline_page.get_by_text(f"{expected} cité(s) sur 59", exact=False).first.wait_for(timeout=30_000)


def test_search_zooms_to_the_commune(offline_page, app_url) -> None:
    frame = open_carte(offline_page, app_url)
    start_zoom = frame.evaluate("() => window.map_div.getZoom()")
    box = offline_page.get_by_role("textbox", name="Commune, code INSEE, EPCI ou cité")
    box.fill("lievin")
    box.press("Enter")
    offline_page.get_by_role("button", name=re.compile(r"^Liévin \(62510\)")).click()
    deadline = time.monotonic() + 45
    zoom, center = start_zoom, None
    while time.monotonic() < deadline:
        for f in offline_page.frames:
            if "streamlit_folium" in f.url:
                try:
                    zoom = f.evaluate("() => window.map_div.getZoom()")
                    center = f.evaluate("() => window.map_div.getCenter()")
                except Exception:  # noqa: BLE001
                    continue
        if center and zoom > start_zoom and abs(center["lat"] - 50.42) < 0.05 and abs(center["lng"] - 2.77) < 0.06:
            break
        offline_page.wait_for_timeout(300)
    assert zoom > start_zoom
    assert abs(center["lat"] - 50.42) < 0.05 and abs(center["lng"] - 2.77) < 0.06
    offline_page.get_by_role("heading", name="Liévin").wait_for(timeout=30_000)
    # The record streams in after its heading: wait for the INSEE code rather than read at once.
    offline_page.locator('[data-testid="stMain"]').get_by_text("62510", exact=True).first.wait_for(timeout=30_000)


def _frame(page):
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def test_copied_link_restores_filters_selection_and_view(offline_page, app_url, browser) -> None:
    open_carte(offline_page, app_url)
    sidebar = offline_page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Bailleur").locator("input").click()
    offline_page.get_by_role("option", name=re.compile(r"^SIA \(\d+\)$")).click()
    offline_page.keyboard.press("Escape")
    expected = wait_counts(offline_page, lambda c: 0 < c.get("cite", 59) < 59)["cite"]
    box = offline_page.get_by_role("textbox", name="Commune, code INSEE, EPCI ou cité")
    box.fill("62498")
    box.press("Enter")
    offline_page.get_by_role("button", name=re.compile(r"^Lens \(62498\)")).click()
    offline_page.get_by_role("heading", name="Lens").wait_for(timeout=30_000)
    offline_page.wait_for_timeout(2000)
    frame = map_frame(offline_page)
    frame.locator(".erbm-share").click()
    offline_page.wait_for_timeout(500)
    link = _frame(offline_page).evaluate("() => window.erbmLastLink")
    zoom = _frame(offline_page).evaluate("() => window.map_div.getZoom()")
    assert "bailleur=SIA" in link and "commune=62498" in link and f"zoom={zoom}" in link

    other = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    try:
        other.goto(link)
        map_frame(other)
        counts = wait_counts(other, lambda c: c.get("cite") == expected)
        assert counts["commune"] == 250
        other.get_by_role("heading", name="Lens").wait_for(timeout=30_000)
        other.get_by_text(f"{expected} cité(s) affichée(s) sur 59").wait_for(timeout=30_000)
        assert _frame(other).evaluate("() => window.map_div.getZoom()") == zoom
    finally:
        other.context.close()


def test_direct_link_to_the_territory_page(offline_page, app_url) -> None:
    offline_page.goto(app_url + "/territoire?commune=62498")
    offline_page.get_by_role("heading", name="Lens", exact=True).first.wait_for(timeout=60_000)
    nav = offline_page.locator('[data-testid="stSidebarNav"]').inner_text()
    # The entry point ran (its navigation labels), not the page script alone.
    assert "Mon territoire" in nav and "Programme" in nav
    counts = wait_counts(offline_page, lambda c: c.get("commune") == 250)
    assert counts["cite"] == 59
    zoom = _frame(offline_page).evaluate("() => window.map_div.getZoom()")
    assert zoom >= 11
    offline_page.screenshot(path=str(ARTIFACTS / "territoire.png"))
