"""Search, in headless Chromium (issue 14, point 6): Enter in the search field goes to the first
suggestion, as a click on it does (ui/search.py, static/erbm-search.js): the map frames it and its
record opens, whether Enter comes before the suggestions are drawn or after."""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS

pytestmark = pytest.mark.browser

READY_JS = "() => !!(window.map_div && window.map_div.getZoom && window.erbm && window.erbm.loaded)"
FIELD = "Commune, code INSEE, EPCI ou cité"

# The commune's outline and the map's view.
FRAMED_JS = """(ref) => {
  const m = window.map_div; let target = null;
  window.erbm.parts.communes.eachLayer(l => { if (l.feature.properties.ref === ref) target = l; });
  if (!target) return null;
  const b = target.getBounds();
  return {zoom: m.getZoom(), inside: m.getBounds().contains(b), center: m.getBounds().contains(b.getCenter())};
}"""


@pytest.fixture()
def carte(browser, app_url):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(app_url + "/")
    page.wait_for_function(READY_JS, timeout=90_000)
    page.get_by_label(FIELD, exact=True).wait_for(timeout=60_000)
    yield page
    context.close()


def test_enter_right_after_typing_goes_to_the_first_commune(carte) -> None:
    start_zoom = carte.evaluate("() => window.map_div.getZoom()")
    field = carte.get_by_label(FIELD, exact=True)
    field.click()
    # Typed and Enter at once: the suggestions of « lievin » are not drawn yet when Enter comes.
    field.press_sequentially("lievin", delay=20)
    field.press("Enter")
    carte.wait_for_url("**commune=62510**", timeout=30_000)
    carte.wait_for_function(f"() => {{ const f = ({FRAMED_JS})('62510'); return !!f && f.inside; }}", timeout=30_000)
    framed = carte.evaluate(FRAMED_JS, "62510")
    assert framed["zoom"] > start_zoom and framed["inside"], (start_zoom, framed)
    carte.wait_for_function(
        "() => (document.querySelector('#map_div .erbm-live') || {}).textContent === 'Sélection : Liévin'",
        timeout=30_000,
    )
    # The first suggestion was Liévin: the same button a click would have used.
    assert carte.get_by_role("button", name="Liévin (62510) — commune").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    carte.screenshot(path=str(ARTIFACTS / "recherche-entree-lievin.png"))


def test_enter_after_the_suggestions_goes_to_the_epci_of_its_acronym(carte) -> None:
    start_zoom = carte.evaluate("() => window.map_div.getZoom()")
    field = carte.get_by_label(FIELD, exact=True)
    field.fill("CAPH")
    first = carte.get_by_role("button", name="Communauté d'agglomération de la Porte du Hainaut (CAPH) — EPCI")
    first.wait_for(timeout=30_000)  # the live commit drew the suggestions; Enter comes after
    assert "epci=" not in carte.url
    field.press("Enter")
    carte.wait_for_url("**epci=200042190**", timeout=30_000)
    carte.wait_for_function("z => window.map_div.getZoom() > z", arg=start_zoom, timeout=30_000)
    carte.screenshot(path=str(ARTIFACTS / "recherche-entree-caph.png"))
