"""Map first (issue 14): on a laptop, a planner's screen, a projector and a phone, the map fills the
screen at load, its open controls hide little of it and none sits on another, a link frames its
territory, the selection stands out and the document is in French. Each size leaves a screenshot
in tests/artifacts/ and prints the shares it measured."""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, Offline

pytestmark = pytest.mark.browser

# (name, width, height, phone, least share of the viewport the map covers, most share of the map
# the open controls cover)
SIZES = [
    ("laptop", 1440, 900, False, 0.60, 0.15),
    ("planner", 1920, 1080, False, 0.60, 0.15),
    ("projector", 1280, 720, False, 0.60, 0.15),
    ("phone", 390, 844, True, 0.50, 0.10),
]

READY_JS = "() => !!(window.map_div && window.map_div.getZoom && window.erbm && window.erbm.loaded)"

# The map's share of the viewport; each control's box (Leaflet's corners) within the map; the
# share of the map they cover (their union: they must not overlap, checked apart).
MEASURE_JS = """() => {
  const box = document.getElementById('map_div').getBoundingClientRect();
  const vw = innerWidth, vh = innerHeight;
  const clip = (r, a) => Math.max(0, Math.min(a.right, r.right) - Math.max(a.left, r.left))
    * Math.max(0, Math.min(a.bottom, r.bottom) - Math.max(a.top, r.top));
  const viewport = {left: 0, top: 0, right: vw, bottom: vh};
  const controls = [...document.querySelectorAll('#map_div .leaflet-control')]
    .filter(el => el.offsetParent !== null)
    .map(el => { const r = el.getBoundingClientRect();
      return {name: el.className.split(' ').filter(c => c !== 'leaflet-control').join(' ') || el.tagName,
              text: (el.innerText || '').slice(0, 24), left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })
    .filter(r => r.right > r.left && r.bottom > r.top);
  const covered = controls.reduce((n, r) => n + clip(r, box), 0);
  return {
    mapShare: clip(box, viewport) / (vw * vh),
    controlShare: covered / (box.width * box.height),
    controls: controls,
    lang: document.documentElement.lang,
  };
}"""


def _overlaps(controls: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(controls):
        for b in controls[i + 1 :]:
            w = min(a["right"], b["right"]) - max(a["left"], b["left"])
            h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if w > 0.5 and h > 0.5:
                pairs.append((f"{a['name']} « {a['text']} »", f"{b['name']} « {b['text']} »"))
    return pairs


def _page(browser, width: int, height: int, phone: bool):
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone, locale="fr-FR"
    )
    page = context.new_page()
    page.on("request", Offline())
    return page


@pytest.mark.parametrize(("name", "width", "height", "phone", "least_map", "most_controls"), SIZES)
def test_the_map_fills_the_screen_and_its_controls_fold(
    browser, app_url, capsys, name, width, height, phone, least_map, most_controls
) -> None:
    page = _page(browser, width, height, phone)
    try:
        page.goto(app_url + "/")
        page.wait_for_function(READY_JS, timeout=60_000)
        # The whole page (navigation, widgets) has arrived around the map.
        page.locator('[data-testid="stSidebarNav"], [data-testid="stSidebarCollapsedControl"] button').first.wait_for(
            state="attached", timeout=60_000
        )
        page.wait_for_timeout(500)
        m = page.evaluate(MEASURE_JS)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"carte-{width}x{height}.png"))
        with capsys.disabled():
            print(
                f"\n[carte {name} {width}×{height}] carte : {m['mapShare']:.0%} de l'écran ;"
                f" contrôles ouverts : {m['controlShare']:.1%} de la carte"
            )
        assert m["lang"] == "fr"
        assert m["mapShare"] >= least_map, m
        assert m["controlShare"] <= most_controls, m["controls"]
        assert _overlaps(m["controls"]) == []
        names = " ".join(c["name"] + " " + c["text"] for c in m["controls"])
        for control in ("leaflet-control-zoom", "erbm-share", "erbm-frame", "leaflet-control-layers"):
            assert control in names, names
        # The legend starts folded on a phone, open on a wide screen.
        assert page.evaluate("() => document.getElementById('erbm-legend').open") is (not phone)
        # Zoom buttons in French, the map named as a region.
        assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zoom avant"
        assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Zoom arrière"
        region = page.get_by_role("region", name="Carte interactive du bassin minier", exact=False)
        assert region.count() == 1
    finally:
        page.context.close()


# The commune's own outline and the map's view, once the map has framed it.
FRAMED_JS = """(ref) => {
  const m = window.map_div; let target = null;
  window.erbm.parts.communes.eachLayer(l => { if (l.feature.properties.ref === ref) target = l; });
  if (!target) return null;
  const b = target.getBounds();
  return {zoom: m.getZoom(), inside: m.getBounds().contains(b),
          fills: (b.getNorth() - b.getSouth()) / (m.getBounds().getNorth() - m.getBounds().getSouth())};
}"""


@pytest.mark.parametrize("path", ["/?commune=59314&zoom=12", "/territoire?commune=59314"])
def test_a_link_frames_its_commune_on_a_phone(browser, app_url, path) -> None:
    page = _page(browser, 390, 844, True)
    try:
        page.goto(app_url + path)
        page.wait_for_function(READY_JS, timeout=60_000)
        page.wait_for_function(
            f"() => {{ const f = ({FRAMED_JS})('59314'); return !!f && f.zoom >= 11 && f.inside; }}", timeout=30_000
        )
        page.wait_for_timeout(1000)  # still framed once the rest of the page has arrived
        framed = page.evaluate(FRAMED_JS, "59314")
        assert framed["zoom"] >= 11 and framed["inside"], framed
        # Hornaing fills a good part of the map's height, not a speck in the basin.
        assert framed["fills"] > 0.2, framed
        page.screenshot(path=str(ARTIFACTS / f"lien-telephone-{path.strip('/').split('?')[0] or 'carte'}.png"))
    finally:
        page.context.close()


# The selection's halo: drawn over the map, thicker than any commune's outline.
HALO_JS = """() => {
  const h = window.erbm.halo;
  if (!h || !h.getLayers().length) return null;
  let thickest = 0;
  window.erbm.parts.communes.eachLayer(l => { if (l.feature.properties.ref !== '59314') thickest = Math.max(thickest, l.options.weight); });
  const outline = document.querySelector('path.erbm-selected');
  return {layers: h.getLayers().length, weights: h.getLayers().map(l => l.options.weight), others: thickest,
          outline: outline ? getComputedStyle(outline).strokeWidth : null,
          announced: document.querySelector('#map_div .erbm-live').textContent};
}"""


def test_the_selected_commune_stands_out_and_is_announced(browser, app_url) -> None:
    page = _page(browser, 1440, 900, False)
    try:
        page.goto(app_url + "/?commune=59314")
        page.wait_for_function(READY_JS, timeout=60_000)
        page.wait_for_function(f"() => !!({HALO_JS})()", timeout=30_000)
        halo = page.evaluate(HALO_JS)
        assert halo["layers"] == 2  # the light halo and the dark outline
        assert min(halo["weights"]) > halo["others"], halo
        assert halo["outline"] == "3.5px"
        assert halo["announced"] == "Sélection : Hornaing"
        # The record floats over the map's right side, clear of the map's controls.
        fiche = page.locator(".st-key-erbm-fiche").bounding_box()
        layers = page.locator(".leaflet-control-layers").bounding_box()
        assert fiche["y"] >= layers["y"] + layers["height"], (fiche, layers)
        page.screenshot(path=str(ARTIFACTS / "selection-1440x900.png"))
    finally:
        page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1024, 768)])
def test_the_presentation_page_fits_a_projector_without_full_screen(browser, app_url, width, height) -> None:
    page = _page(browser, width, height, False)
    try:
        page.goto(app_url + "/presentation")
        deck = page.locator(".st-key-erbm-deck iframe")
        deck.wait_for(timeout=60_000)
        frame = deck.element_handle().content_frame()
        frame.wait_for_function("() => !!document.getElementById('scroll') && !!window.L", timeout=60_000)
        page.wait_for_timeout(1500)
        box = deck.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5, box
        overflow = "() => { const s = document.getElementById('scroll'); return [s.scrollHeight - s.clientHeight, s.scrollWidth - s.clientWidth]; }"
        scenes = int(frame.evaluate("() => document.querySelectorAll('.dot').length"))
        assert scenes >= 2
        seen = []
        for _ in range(scenes):
            seen.append(frame.evaluate(overflow))
            frame.locator("body").press("ArrowRight")
            page.wait_for_timeout(400)
        # Every scene's text fits its panel: no scrolling, nothing past the edge.
        assert all(h <= 1 and w <= 1 for h, w in seen), seen
        page.screenshot(path=str(ARTIFACTS / f"presentation-{width}x{height}.png"))
    finally:
        page.context.close()
