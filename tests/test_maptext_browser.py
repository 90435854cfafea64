"""Texts on the map (place names, action glyphs, cité status glyphs) are drawn on one canvas, not as
DOM markers: some 250 markers placed by CSS 3D transforms were as many composited layers that
Chromium layerised again at every frame of the page (bench/README.md)."""

from __future__ import annotations

import pytest

from tests.test_browser import open_carte

pytestmark = pytest.mark.browser

# Inked pixels of the texts' canvas (alpha > 0), counted in the page.
INKED_JS = """() => {
  const c = document.querySelector('.leaflet-pane canvas.erbm-text');
  if (!c) return -1;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}"""


def test_texts_are_drawn_on_one_canvas_not_as_dom_markers(offline_page, app_url) -> None:
    frame = open_carte(offline_page, app_url)
    frame.wait_for_function(
        "() => window.erbm && window.erbm.loaded && window.erbm.marks.cites_marqueurs.getLayers().length === 59"
        " && window.erbm.parts.villes.getLayers().length === 17"
        " && window.erbm.parts.actions_glyphes.getLayers().length === 171",
        timeout=60_000,
    )
    frame.wait_for_timeout(300)  # the canvas draws at the next frame
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > *').length") == 0
    assert frame.evaluate("() => document.querySelectorAll('canvas.erbm-text').length") == 1
    whole = frame.evaluate(INKED_JS)
    assert whole > 2000, whole
    # Town names that would overlap one already drawn are left out, the most populous kept.
    names = frame.evaluate(
        "() => { const d = document.querySelector('canvas.erbm-text').dataset;"
        " return [Number(d.names), Number(d.namesHidden)]; }"
    )
    assert sum(names) == 17 and names[1] >= 1 and names[0] >= 12, names
    # Zoomed out to the whole region (zoom 8), the glyphs over circles are hidden; the names stay.
    frame.evaluate("() => { window.map_div.setZoom(8, {animate: false}); }")
    frame.wait_for_timeout(300)
    far = frame.evaluate(INKED_JS)
    assert 0 < far < whole, (far, whole)
    names_far = frame.evaluate(
        "() => { const d = document.querySelector('canvas.erbm-text').dataset;"
        " return [Number(d.names), Number(d.namesHidden)]; }"
    )
    # Zoomed out, the names crowd: more are left out, never all.
    assert sum(names_far) == 17 and names_far[1] > names[1] and names_far[0] >= 5, names_far
