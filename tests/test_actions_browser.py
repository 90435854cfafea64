"""End-to-end: the actions layer in Chromium, offline; a theme filter empties the other circles
and keeps only the kept actions' glyphs."""

from __future__ import annotations

import pytest

from tests.browser_support import map_frame, wait_counts

pytestmark = pytest.mark.browser

# Circles of the actions part drawn with a radius (a filtered-out action is drawn empty, radius 0.1),
# and glyph markers on the map.
DRAWN_JS = """() => {
  const parts = window.erbm.parts, shown = [];
  parts.actions.eachLayer(l => { if (l.getRadius() > 1) shown.push(l.feature.properties.ref); });
  return {circles: shown.length, glyphs: parts.actions_glyphes.getLayers().length,
          hospital: shown.includes('hopital-lens'), tram: shown.includes('reseau-artois-gohelle')};
}"""


def _choose(page, multiselect, option: str) -> None:
    """Open the multiselect and pick ``option``; a click that lands while Streamlit redraws the
    sidebar opens nothing, so the list is opened again until the option shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wanted = page.get_by_role("option", name=option)
    for _ in range(4):
        multiselect.locator("input").click()
        try:
            wanted.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    wanted.click(timeout=10_000)


def test_theme_filter_leaves_only_its_actions_drawn(offline_page, app_url) -> None:
    offline_page.goto(app_url + "/")
    frame = map_frame(offline_page)
    wait_counts(offline_page, lambda c: c.get("action") == 171)
    frame.wait_for_function(
        "() => window.erbm && window.erbm.loaded && window.erbm.parts.actions_glyphes.getLayers().length === 171"
    )
    assert frame.evaluate(DRAWN_JS) == {"circles": 171, "glyphs": 171, "hospital": True, "tram": True}
    # The widgets come after the map on a first view: wait for them before choosing.
    offline_page.get_by_text("120 action(s) sur 120 après filtres.").wait_for(timeout=60_000)
    sidebar = offline_page.locator('[data-testid="stSidebar"]')
    theme = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Thème de l'action")
    _choose(offline_page, theme, "Santé et sport (36)")
    offline_page.keyboard.press("Escape")
    frame.wait_for_function("() => window.erbm.parts.actions_glyphes.getLayers().length === 44")
    assert frame.evaluate(DRAWN_JS) == {"circles": 44, "glyphs": 44, "hospital": True, "tram": False}
    offline_page.get_by_text("36 action(s) sur 120 après filtres.").wait_for(timeout=30_000)
    theme.locator("input").click()
    offline_page.keyboard.press("Backspace")  # the theme chosen is dropped: no filter
    offline_page.keyboard.press("Escape")
    offline_page.get_by_text("120 action(s) sur 120 après filtres.").wait_for(timeout=30_000)
    frame.wait_for_function("() => window.erbm.parts.actions_glyphes.getLayers().length === 171")
    assert frame.evaluate(DRAWN_JS) == {"circles": 171, "glyphs": 171, "hospital": True, "tram": True}
