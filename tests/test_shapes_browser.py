"""End-to-end (issue 16): a cité's circle gives way to its outline from zoom 15, and comes back."""

from __future__ import annotations

import pytest

from tests.browser_support import map_frame, wait_counts

pytestmark = pytest.mark.browser

# The options of Cité Barrois's circle (part « cites_marqueurs ») and of its outline.
STATE_JS = """
() => {
  const out = {};
  for (const n of ['cites_marqueurs', 'cites_contours']) {
    window.erbm.parts[n].eachLayer(l => {
      if (l.feature.properties.ref === '552') out[n] = {opacity: l.options.opacity,
        fillOpacity: l.options.fillOpacity, interactive: l.options.interactive};
    });
  }
  out.zoom = window.map_div.getZoom();
  return out;
}
"""


def test_markers_hide_from_zoom_15_where_the_outline_stands_alone(offline_page, app_url) -> None:
    offline_page.goto(app_url + "/")
    frame = map_frame(offline_page)
    wait_counts(offline_page, lambda c: c.get("cite") == 59)
    frame.wait_for_function("() => window.erbm.loaded && window.erbm.parts.cites_contours.getLayers().length === 59")
    far = frame.evaluate(STATE_JS)
    assert far["cites_marqueurs"]["opacity"] > 0 and far["cites_marqueurs"]["interactive"] is True
    assert far["cites_contours"]["fillOpacity"] > 0
    frame.evaluate("() => { window.map_div.setView([50.374, 3.200], 15, {animate: false}); }")
    frame.wait_for_function("() => window.map_div.getZoom() === 15")
    near = frame.evaluate(STATE_JS)
    assert near["cites_marqueurs"] == {"opacity": 0, "fillOpacity": 0, "interactive": False}
    assert near["cites_contours"]["fillOpacity"] > 0
    frame.evaluate("() => { window.map_div.setView([50.374, 3.200], 12, {animate: false}); }")
    frame.wait_for_function("() => window.map_div.getZoom() === 12")
    back = frame.evaluate(STATE_JS)
    assert back["cites_marqueurs"]["opacity"] > 0 and back["cites_marqueurs"]["interactive"] is True
