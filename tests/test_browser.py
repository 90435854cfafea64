"""End-to-end: the real app in headless Chromium, with every non-local request refused."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser_support import ARTIFACTS, COUNT_KINDS_JS, map_frame, wait_counts

pytestmark = pytest.mark.browser


def open_carte(page, url: str):
    # Direct loads of a sub-page wait ~25 s on a Streamlit health-check fallback
    # (streamlit/streamlit#7074): the default page lives at the root.
    page.goto(url + "/")
    return map_frame(page)


# The parts (layers of the map's code) of the features on the canvas, bottom to top, then those
# that follow the filters, drawn over it as SVG paths (in document order), each run of one part
# counted once.
STACK_JS = """
() => {
  const m = window.map_div, parts = window.erbm.parts, names = [];
  const push = l => {
    const n = Object.keys(parts).find(k => parts[k].hasLayer(l));
    if (n && names[names.length - 1] !== n) names.push(n);
  };
  for (let o = m.getRenderer(m)._drawFirst; o; o = o.next) push(o.layer);
  const drawn = [];
  Object.keys(parts).forEach(k => parts[k].eachLayer(l => {
    const e = l.getElement && l.getElement();
    if (e && e.ownerSVGElement) drawn.push([e, l]);
  }));
  drawn.sort((a, b) => (a[0].compareDocumentPosition(b[0]) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  drawn.forEach(([, l]) => push(l));
  return names;
}
"""


# The map shows Lens (selected by the search) at a commune's zoom.
LENS_IN_VIEW_JS = """() => { const m = window.map_div, c = m.getCenter();
  return m.getZoom() >= 11 && Math.abs(c.lat - 50.43) < 0.05 && Math.abs(c.lng - 2.83) < 0.06; }"""


def test_map_draws_every_layer_offline(offline_page, app_url, capsys) -> None:
    ws_bytes = []
    offline_page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda f: ws_bytes.append(len(f.encode() if isinstance(f, str) else f))),
    )
    frame = open_carte(offline_page, app_url)
    # The geometries (communes, EPCI, routes) and the per-run update (cités) arrive separately:
    # wait until every layer has been drawn before counting.
    counts = wait_counts(
        offline_page,
        lambda c: c.get("commune") == 250 and c.get("cite") == 59 and "epci" in c and "route" in c and "action" in c,
    )
    assert counts["commune"] == 250
    assert counts["cite"] == 59
    assert counts["epci"] == 13
    assert counts["route"] == 4
    assert counts["action"] == 171  # a circle per action and commune (its glyph is not a feature)
    # One canvas draws every layer in the order its features were added: whatever arrived first
    # (the cités come with the page, the communes with the geometries), the parts are stacked in
    # layer order, bottom to top.
    stack = ["voisines", "departements", "communes", "epci", "routes", "cites_contours", "cites_marqueurs", "actions"]
    frame.wait_for_function(
        f"(want) => window.erbm && window.erbm.loaded && JSON.stringify(({STACK_JS})()) === want",
        arg=json.dumps(stack, separators=(",", ":")),
    )
    assert frame.evaluate(STACK_JS) == stack
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
        "http": sum(f.evaluate(resources) for f in offline_page.frames),
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
    map_frame(offline_page).wait_for_function(
        "(start) => { const m = window.map_div, c = m.getCenter(); return m.getZoom() > start"
        " && Math.abs(c.lat - 50.42) < 0.05 && Math.abs(c.lng - 2.77) < 0.06; }",
        arg=start_zoom,
        timeout=45_000,
    )
    f = map_frame(offline_page)
    zoom, center = f.evaluate("() => window.map_div.getZoom()"), f.evaluate("() => window.map_div.getCenter()")
    assert zoom > start_zoom
    assert abs(center["lat"] - 50.42) < 0.05 and abs(center["lng"] - 2.77) < 0.06
    offline_page.get_by_role("heading", name="Liévin").wait_for(timeout=30_000)
    # The record streams in after its heading: wait for the INSEE code rather than read at once.
    offline_page.locator('[data-testid="stMain"]').get_by_text("62510", exact=True).first.wait_for(timeout=30_000)


def _frame(page):
    return map_frame(page)


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
    # The address carries the selection, and the map has flown to Lens, before the link is copied.
    offline_page.wait_for_url(re.compile(r"commune=62498"), timeout=30_000)
    frame = map_frame(offline_page)
    frame.wait_for_function(LENS_IN_VIEW_JS, timeout=30_000)
    frame.locator(".erbm-share").click()
    frame.wait_for_function("() => !!window.erbmLastLink")
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
    # The chosen commune stands out, the rest of the perimeter is dimmed.
    styles = """() => { const s = {}; window.map_div.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && p.kind === 'commune') s[p.ref] = [l.options.weight, l.options.fillOpacity]; }); return s; }"""
    _frame(offline_page).wait_for_function(
        f"() => {{ const s = ({styles})()['62498']; return !!s && s[0] === 3 && s[1] === 0.75; }}", timeout=20_000
    )
    seen = _frame(offline_page).evaluate(styles)
    assert seen["62498"] == [3, 0.75]
    assert seen["62510"] == [0.6, 0.2]  # Liévin, next door
    offline_page.screenshot(path=str(ARTIFACTS / "territoire.png"))


def _select_status(page, status: str) -> int:
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Statut").locator("input").click()
    option = page.get_by_role("option", name=re.compile(rf"^{re.escape(status)} \(\d+\)$"))
    expected = int(re.search(r"\((\d+)\)", option.inner_text()).group(1))
    option.click()
    page.keyboard.press("Escape")
    return expected


def test_filter_updates_the_mounted_map_in_place(offline_page, app_url) -> None:
    """A filter change sends a small update: the map is neither reloaded nor redrawn from scratch."""
    frame = open_carte(offline_page, app_url)
    wait_counts(offline_page, lambda c: c.get("cite") == 59 and c.get("commune") == 250)
    frame.evaluate("() => { window.__beforeFilter = window.map_div; }")
    expected = _select_status(offline_page, "travaux logements")
    counts = wait_counts(offline_page, lambda c: c.get("cite") == expected)
    assert counts["commune"] == 250
    # Same document, same Leaflet map: the map was not remounted.
    assert map_frame(offline_page).evaluate("() => window.__beforeFilter === window.map_div")
    legend = map_frame(offline_page).locator(".erbm-legend")
    assert f"Cités ({expected} affichées)" in legend.inner_text()


# A point of the map where a click lands on a feature of ``kind``, away from the map's controls:
# the topmost interactive feature there, as Leaflet's canvas finds it for a click.
FREE_POINT_JS = """
(kind) => {
  const m = window.map_div, size = m.getSize(), renderer = m.getRenderer(m);
  function topmost(p) {
    let hit = null;
    for (let o = renderer._drawFirst; o; o = o.next) {
      if (o.layer.options.interactive && o.layer._containsPoint(p)) hit = o.layer;
    }
    return hit;
  }
  for (let y = 160; y < size.y - 40; y += 15) {
    for (let x = 320; x < size.x - 40; x += 15) {
      const hit = topmost(m.containerPointToLayerPoint([x, y]));
      if (hit && hit.feature && hit.feature.properties.kind === kind) {
        return {x: x, y: y, ref: hit.feature.properties.ref, nom: hit.feature.properties.nom};
      }
    }
  }
  return null;
}
"""


# True when the map's size, view and place on the page are those of the previous poll (Playwright
# polls on each animation frame): nothing is moving the features under the pointer any more.
VIEW_STILL_JS = """() => {
  const m = window.map_div, r = m.getContainer().getBoundingClientRect();
  const now = JSON.stringify([m.getSize(), m.getCenter(), m.getZoom(), r.top, r.left]);
  const still = window.erbmTestLastView === now;
  window.erbmTestLastView = now;
  return still;
}"""


def settle(page, frame) -> None:
    """Wait for the page's full run (the navigation comes after the map's first view) and for
    the map to stop moving: a point computed now is still under the same feature when clicked."""
    page.get_by_role("link", name="Mon territoire").wait_for(timeout=60_000)
    frame.wait_for_function(VIEW_STILL_JS, timeout=30_000)


def _map_point(page, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of the map's container point (x, y), the map scrolled into view."""
    container = page.locator("#map_div")
    container.scroll_into_view_if_needed()
    box = container.bounding_box()
    return box["x"] + x, box["y"] + y


def test_click_on_a_commune_opens_its_record_and_highlights_it(offline_page, app_url) -> None:
    import html

    frame = open_carte(offline_page, app_url)
    wait_counts(offline_page, lambda c: c.get("commune") == 250 and c.get("cite") == 59)
    settle(offline_page, frame)
    frame.wait_for_function(FREE_POINT_JS, arg="commune")  # every part drawn and stacked
    target = frame.evaluate(FREE_POINT_JS, "commune")
    assert target, "no commune free of other features in view"
    x, y = _map_point(offline_page, target["x"], target["y"])
    offline_page.mouse.move(x, y)
    tip = frame.locator(".erbm-tip")
    tip.wait_for(timeout=10_000)
    assert "Commune" in tip.inner_text() and target["ref"] in tip.inner_text()
    # The hovered commune is outlined in black while the pointer is over it, and only it.
    outlined = """() => { const refs = []; window.map_div.eachLayer(l => {
        if (l.feature && l.feature.properties.kind === 'commune' && l.options.color === '#000000')
          refs.push(l.feature.properties.ref); }); return refs; }"""
    assert frame.evaluate(outlined) == [target["ref"]]
    offline_page.mouse.click(x, y)
    name = html.unescape(target["nom"])
    offline_page.locator('[data-testid="stMain"]').get_by_role("heading", name=name, exact=True).wait_for(
        timeout=30_000
    )
    # The selected commune is outlined in the mounted map (the update restyles it).
    weight = f"""() => {{ let w = null; window.map_div.eachLayer(l => {{
        if (l.feature && l.feature.properties.kind === 'commune' && l.feature.properties.ref === '{target["ref"]}')
          w = l.options.weight; }}); return w; }}"""
    map_frame(offline_page).wait_for_function(f"() => ({weight})() === 3", timeout=20_000)
    assert map_frame(offline_page).evaluate(weight) == 3


def test_a_layer_hidden_at_first_is_clickable_once_shown(offline_page, app_url) -> None:
    frame = open_carte(offline_page, app_url)
    wait_counts(offline_page, lambda c: c.get("commune") == 250 and c.get("bud", 0) == 0)
    frame.locator(".erbm-fold").click()  # the layer list starts folded behind its « Couches » button
    frame.locator(".leaflet-control-layers-overlays label").filter(has_text="Zone BUD").locator("input").check()
    wait_counts(offline_page, lambda c: c.get("bud") == 2)
    frame.wait_for_function(FREE_POINT_JS, arg="bud")
    target = frame.evaluate(FREE_POINT_JS, "bud")
    assert target, "no BUD area free of other features in view"
    offline_page.mouse.click(*_map_point(offline_page, target["x"], target["y"]))
    offline_page.locator('[data-testid="stMain"]').get_by_role("heading", name="Bassin urbain à dynamiser").wait_for(
        timeout=30_000
    )


# Records, from the first instant, the first Leaflet map the page creates and when the sidebar's
# first widget appears relative to the communes being drawn.
FIRST_PAINT_JS = (
    "(() => { const count = "
    + COUNT_KINDS_JS.strip()
    + """;
  const t = setInterval(() => {
    // Until the map's script runs, window.map_div is its container (an element with that id).
    const m = window.map_div && window.map_div.eachLayer ? window.map_div : null;
    if (m && !window.__firstMap) window.__firstMap = m;
    const c = m && !window.__communesAt ? count() : null;
    if (c && c.commune >= 250) window.__communesAt = performance.now();
    if (!window.__widgetAt && document.querySelector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')) {
      window.__widgetAt = performance.now();
    }
    if (!window.__navAt && document.querySelector('[data-testid="stSidebarNav"]')) window.__navAt = performance.now();
    if (window.__communesAt && window.__widgetAt && window.__navAt) clearInterval(t);
  }, 5);
})();
"""
)


def test_first_view_draws_the_map_before_the_widgets_and_keeps_it(offline_page, app_url) -> None:
    """The first run holds the sidebar's widgets back until the communes are drawn; the full page
    then arrives around the same mounted map (ui/firstpaint.py)."""
    offline_page.context.add_init_script(FIRST_PAINT_JS)
    open_carte(offline_page, app_url)
    sidebar = offline_page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Statut").wait_for(timeout=30_000)
    sidebar.get_by_text("Version des données").first.wait_for(timeout=30_000)
    frame = map_frame(offline_page)
    assert frame.evaluate("() => window.__firstMap === window.map_div")
    order = frame.evaluate("() => [window.__communesAt, window.__widgetAt, window.__navAt]")
    assert None not in order
    # The pages' links come with the widgets, after the communes: all eight of them.
    assert order[0] < order[1] and order[0] < order[2]
    assert sidebar.locator('[data-testid="stSidebarNav"] a').count() == 8
    # The exports (held back too) are there, with the map's cité count.
    offline_page.get_by_text("59 cité(s) affichée(s) sur 59").wait_for(timeout=30_000)
    offline_page.get_by_role("button", name="Exporter en CSV (59 cités)").wait_for(timeout=30_000)


def test_widgets_still_come_when_the_map_cannot_be_drawn(offline_page, app_url) -> None:
    """The geometries refused (a server that lost its static files): the map says so and the first
    view's widgets are not held back for it."""
    offline_page.route("**/app/static/bundles/carte-*.json", lambda route: route.abort())
    offline_page.goto(app_url + "/")
    offline_page.get_by_text("Les contours de la carte n’ont pas pu être chargés : rechargez la page.").wait_for(
        timeout=60_000
    )
    sidebar = offline_page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Statut").wait_for(timeout=30_000)
    offline_page.get_by_role("button", name="Exporter en CSV (59 cités)").wait_for(timeout=30_000)


def test_only_the_carte_first_view_waits_for_the_map(offline_page, app_url) -> None:
    """The Territoire page has no prelude: once its map is drawn, the browser asks for no other run
    (a map that reported there cost a whole extra run of the page)."""
    sent: list[int] = []
    sockets: list = []

    def watch(ws) -> None:
        sockets.append(ws)
        ws.on("framesent", lambda payload: sent.append(len(payload)))

    offline_page.on("websocket", watch)
    offline_page.goto(app_url + "/territoire?commune=62498")
    offline_page.get_by_role("heading", name="Lens", exact=True).first.wait_for(timeout=60_000)
    wait_counts(offline_page, lambda c: c.get("commune") == 250)
    map_frame(offline_page).wait_for_function("() => window.erbm && window.erbm.loaded")
    # A report of the drawn map would follow the drawing at once: none comes.
    with pytest.raises(PlaywrightTimeoutError):
        sockets[-1].wait_for_event("framesent", timeout=2_500)
    # One message from the browser: its request to run the page.
    assert len(sent) == 1, sent
    # Opened on another page, the session shows the pages' links from its first run.
    assert offline_page.locator('[data-testid="stSidebarNav"] a').count() == 8


def test_large_type_remounts_a_working_map(offline_page, app_url) -> None:
    """A change of display options builds another base map in the same page: its script must run
    again (folium's top-level `let` declarations once made the second run fail)."""
    errors: list[str] = []
    offline_page.on("pageerror", lambda e: errors.append(str(e)))
    offline_page.set_viewport_size({"width": 1280, "height": 720})  # a common projector
    frame = open_carte(offline_page, app_url)
    wait_counts(offline_page, lambda c: c.get("commune") == 250)
    frame.evaluate("() => { window.__firstMap = window.map_div; }")
    offline_page.get_by_text("Grands caractères (projection)").click()
    frame.wait_for_function(
        "() => window.map_div !== window.__firstMap && !!window.map_div.getContainer"
        " && window.map_div.getContainer().classList.contains('erbm-large')",
        timeout=30_000,
    )
    # The EPCI outlines are drawn a frame after the communes (layers/map.js).
    counts = wait_counts(offline_page, lambda c: c.get("commune") == 250 and c.get("cite") == 59 and "epci" in c)
    assert counts["epci"] == 13
    assert frame.evaluate("() => window.map_div.getContainer().classList.contains('erbm-large')")
    assert offline_page.get_by_text("La carte n’a pas pu être chargée").count() == 0
    assert errors == []
    # In large type the legend (bottom left) stays clear of the layer list (top right).
    legend = offline_page.locator(".erbm-large .erbm-legend").bounding_box()
    layers = offline_page.locator(".erbm-large .leaflet-control-layers").bounding_box()
    assert legend["y"] > layers["y"] + layers["height"], (legend, layers)
    # ... and the layer list stays clear of the share button (top left).
    share = offline_page.locator(".erbm-large .erbm-share").bounding_box()
    assert share["x"] + share["width"] < layers["x"], (share, layers)
    offline_page.screenshot(path=str(ARTIFACTS / "grands-caracteres-1280.png"))


def test_carte_document_announces_the_map_files_and_the_map_takes_them(offline_page, app_url, browser) -> None:
    # Once a first view has been drawn, the Carte page's document names its map's files.
    open_carte(offline_page, app_url)
    wait_counts(offline_page, lambda c: c.get("commune") == 250)
    other = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="fr-FR").new_page()
    console: list[str] = []
    other.on("console", lambda m: console.append(m.text))
    try:
        response = other.goto(app_url + "/")
        link = response.headers.get("link", "")
        announced = re.findall(r"<([^>]+)>", link)
        names = [re.sub(r"-[0-9a-f]{16}\.", "-<hash>.", u.rsplit("/", 1)[-1]) for u in announced]
        # Geometries, the map's code, Leaflet's code and style, the map's style: our files only.
        assert names == ["carte-<hash>.json", "carte-<hash>.js", "leaflet.js", "leaflet.css", "carte-<hash>.css"]
        wait_counts(other, lambda c: c.get("commune") == 250 and c.get("cite") == 59)
        # Chromium warns of a preload left unused (or fetched again, its mode not matching) after
        # about 3 s: each announced file was requested once, by the announcement, and used.
        other.wait_for_timeout(3500)
        entries = other.evaluate(
            "() => performance.getEntriesByType('resource').map(e => [new URL(e.name).pathname, e.initiatorType])"
        )
        for url in announced:
            assert [kind for path, kind in entries if path == url] == ["link"], url
        assert [m for m in console if "preload" in m.lower()] == []
    finally:
        other.context.close()
