"""« Cadrer sur la sélection » with nothing selected frames the cités the filters keep."""

from __future__ import annotations

import pytest

from tests.browser_support import map_frame

pytestmark = pytest.mark.browser

# The two « livrée » cités (legend: « livrée (2) »), their markers' positions, and the map's view.
VIEW_JS = """() => {
  const m = window.map_div, pts = [];
  window.erbm.parts.cites_marqueurs.eachLayer(l => pts.push(l.getLatLng()));
  return {zoom: m.getZoom(), n: pts.length, inside: pts.every(p => m.getBounds().contains(p))};
}"""


def test_frame_button_frames_the_filtered_cites(offline_page, app_url) -> None:
    offline_page.goto(app_url + "/?statut=livr%C3%A9e")
    frame = map_frame(offline_page)
    frame.wait_for_function(
        "() => window.erbm && window.erbm.loaded && window.erbm.parts.cites_marqueurs.getLayers().length === 2",
        timeout=60_000,
    )
    before = frame.evaluate(VIEW_JS)
    assert before["n"] == 2
    offline_page.locator(".erbm-frame").click()
    frame.wait_for_function(f"() => window.map_div.getZoom() > {before['zoom']}", timeout=10_000)
    after = frame.evaluate(VIEW_JS)
    assert after["inside"] is True
    assert after["zoom"] >= before["zoom"] + 2, (before, after)
