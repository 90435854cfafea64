"""Presentation mode in Debian's Chromium, offline: keys and clicker keys move through the scenes.

The document is served from a private folder by an in-process HTTP server on 127.0.0.1 (the
same origin for the page and, in the clicker test, for the page that embeds it the way
Streamlit does); every other host is refused by the resolver rule of ``CHROMIUM_ARGS``.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from domain.scenario import load_scenario
from layers.presentation import presentation_html
from settings import get_settings
from tests.browser_support import ARTIFACTS

pytestmark = pytest.mark.browser

XSS_HTML = "<img src=x onerror=alert(1)>"
XSS_TEMPLATE = "${alert(1)}"

# The way Streamlit embeds a component: same-origin srcdoc iframe, scripts and full screen allowed.
WRAPPER = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>hôte</title></head>
<body style="margin:0;font-family:sans-serif">
<p>Page hôte <button id="host-button" type="button">un bouton de la page</button> <input id="host-input"></p>
<iframe id="frame" title="présentation" style="width:1400px;height:800px;border:0"
  sandbox="allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-same-origin allow-scripts"
  allow="fullscreen"></iframe>
<script>
fetch('presentation.html').then(function(r){ return r.text(); }).then(function(t){
  document.getElementById('frame').srcdoc = t; });
</script></body></html>
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest's output readable
        pass


@pytest.fixture(scope="module")
def scenario(territory):
    return load_scenario(get_settings().scenario_file, territory)


@pytest.fixture(scope="module")
def site(territory, scenario, tmp_path_factory):
    """Serve presentation.html, a hostile variant and the embedding page on a free local port."""
    root = tmp_path_factory.mktemp("presentation-site")
    (root / "presentation.html").write_text(presentation_html(territory, scenario), encoding="utf-8")
    (root / "wrapper.html").write_text(WRAPPER, encoding="utf-8")
    hostile = root / "hostile.toml"
    hostile.write_text(
        f'[[scenes]]\ntitle = "{XSS_HTML}"\ncaption = "{XSS_TEMPLATE}"\nextent = "perimetre"\n'
        '[[scenes]]\ntitle = "Deuxième"\nextent = "bud"\nlayers = ["bud"]\n',
        encoding="utf-8",
    )
    (root / "hostile.html").write_text(
        presentation_html(territory, load_scenario(hostile, territory)), encoding="utf-8"
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def shown(text: str) -> str:
    """Scene text as the browser shows it (« 2018-2019 » is kept on one line with U+2011)."""
    return re.sub(r"(?<=\d)-(?=\d)", "\u2011", text)


def open_presentation(page, url: str):
    page.goto(url)
    page.wait_for_function("() => window.erbmPresentation && window.erbmPresentation.current() === 1")
    return page


def test_keys_and_clicker_keys_move_through_the_scenes(page, site, scenario) -> None:
    titles = [shown(s.title) for s in scenario.scenes]
    n = len(titles)
    open_presentation(page, f"{site}/presentation.html")
    counter, title = page.locator("#counter"), page.locator("#title")
    expect(counter).to_have_text(f"Scène 1 / {n}")
    expect(title).to_have_text(titles[0])
    # No click first: the document took the keyboard focus itself.
    for key, expected in [
        ("ArrowRight", 2),
        ("Space", 3),
        ("PageDown", 4),
        ("PageUp", 3),
        ("ArrowLeft", 2),
        ("End", n),
        ("PageDown", n),  # stays on the last scene
        ("Home", 1),
        ("PageUp", 1),  # stays on the first scene
    ]:
        page.keyboard.press(key)
        expect(counter).to_have_text(f"Scène {expected} / {n}")
        expect(title).to_have_text(titles[expected - 1])
    # The buttons and the dots work too, and give the keys back to the presentation.
    page.locator("#next").click()
    expect(counter).to_have_text(f"Scène 2 / {n}")
    page.locator(".dot").nth(n - 2).click()
    expect(counter).to_have_text(f"Scène {n - 1} / {n}")
    page.keyboard.press("PageDown")
    expect(counter).to_have_text(f"Scène {n} / {n}")
    assert page.errors == []


def test_every_scene_is_readable_on_a_projector(page, site, scenario) -> None:
    """Large type that fits without scrolling, the map drawn, every figure with its source and date."""
    ARTIFACTS.mkdir(exist_ok=True)
    open_presentation(page, f"{site}/presentation.html")
    assert page.evaluate("() => L.version") == "1.9.3"
    assert page.evaluate("() => window.erbmPresentation.renderer()") == "canvas"
    for i, scene in enumerate(scenario.scenes, start=1):
        page.evaluate(f"() => window.erbmPresentation.go({i})")
        expect(page.locator("#counter")).to_have_text(f"Scène {i} / {len(scenario.scenes)}")
        page.wait_for_function("() => window.erbmPresentation.settled()")  # the map flies to the scene's extent
        sizes = page.evaluate(
            """() => ({title: parseFloat(getComputedStyle(document.getElementById('title')).fontSize),
                       caption: parseFloat(getComputedStyle(document.getElementById('caption')).fontSize),
                       overflow: (function(b){ return b.scrollHeight - b.clientHeight; })(
                         document.getElementById('scroll'))})"""
        )
        assert sizes["title"] >= 40 and sizes["caption"] >= 24, sizes
        assert sizes["overflow"] <= 1, f"scène {i} : le panneau déborde de {sizes['overflow']} px"
        figures = page.locator(".fig")
        expect(figures).to_have_count(len(scene.key_figure))
        for k in range(len(scene.key_figure)):
            source = figures.nth(k).locator(".fig-source").inner_text()
            assert source.startswith("Source : ") and " · " in source
        assert page.locator("#map canvas").count() >= 1
        page.screenshot(path=str(ARTIFACTS / f"presentation_{i:02d}.png"))
    # Leaflet, the data and the scenes are all in the document: nothing else was requested.
    assert [u for u in page.requests if not u.startswith(site)] == []
    assert page.requests == [f"{site}/presentation.html"]


def test_results_scene_shows_housing_against_the_target(page, site, scenario) -> None:
    index = next(i for i, s in enumerate(scenario.scenes, start=1) if "logements_rehabilites" in s.key_figure)
    open_presentation(page, f"{site}/presentation.html")
    page.evaluate(f"() => window.erbmPresentation.go({index})")
    figures = page.locator("#figures")
    expect(figures).to_contain_text("15\u202f500")
    expect(figures).to_contain_text("objectif : 23\u202f000 logements en 2027")
    expect(figures).to_contain_text("Convention de mise en œuvre")
    expect(figures).to_contain_text("chiffre de mi-2025")
    width = page.evaluate("() => document.querySelector('.bar span').style.width")
    assert width == f"{100 * 15500 / 23000:.1f}%"


def test_scene_filters_and_layers_reach_the_map(page, site, scenario, territory) -> None:
    count_js = """() => { const c = {}; window.erbmPresentation.map.eachLayer(l => {
        const k = l.feature && l.feature.properties && l.feature.properties.kind;
        if (k) c[k] = (c[k] || 0) + 1; }); return c; }"""
    open_presentation(page, f"{site}/presentation.html")
    for i, scene in enumerate(scenario.scenes, start=1):
        page.evaluate(f"() => window.erbmPresentation.go({i})")
        counts = page.evaluate(count_js)
        expected_cites = 0
        if "cites" in scene.layers:
            first_ops = int(territory.cites["premieres_operations"].sum())  # 6: the list of the 2019 press kit
            expected_cites = first_ops if scene.filters is not None else len(territory.cites)
        assert counts.get("cite", 0) == expected_cites, (i, counts)
        assert counts.get("commune", 0) == (250 if "communes" in scene.layers else 0), (i, counts)
        assert counts.get("route", 0) == (len(territory.roads) if "roads" in scene.layers else 0), (i, counts)
        assert counts.get("epci", 0) == (len(territory.epci) if "epci" in scene.layers else 0), (i, counts)
        if scene.highlight:
            expect(page.locator(".erbm-hl")).to_contain_text("À confirmer")


def test_clicker_works_while_the_embedding_page_has_the_focus(page, site, scenario) -> None:
    """As in Streamlit: the keys reach the presentation before anyone clicks into it."""
    n = len(scenario.scenes)
    page.goto(f"{site}/wrapper.html")
    frame = page.frame_locator("#frame")
    counter = frame.locator("#counter")
    expect(counter).to_have_text(f"Scène 1 / {n}", timeout=30_000)
    page.locator("#host-button").focus()
    assert page.evaluate("() => document.activeElement.id") == "host-button"
    page.keyboard.press("PageDown")
    expect(counter).to_have_text(f"Scène 2 / {n}")
    page.keyboard.press("PageDown")
    expect(counter).to_have_text(f"Scène 3 / {n}")
    page.keyboard.press("PageUp")
    expect(counter).to_have_text(f"Scène 2 / {n}")
    # Typing in a field of the page around does not turn the slides.
    page.locator("#host-input").click()
    page.keyboard.type("Lens ")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#host-input")).to_have_value("Lens ")
    expect(counter).to_have_text(f"Scène 2 / {n}")
    # A click into the presentation hands it the keys.
    frame.locator("#title").click()
    page.keyboard.press("End")
    expect(counter).to_have_text(f"Scène {n} / {n}")
    page.screenshot(path=str(ARTIFACTS / "presentation_embedded.png"))


def test_fullscreen_button(page, site) -> None:
    open_presentation(page, f"{site}/presentation.html")
    page.locator("#fs").click()
    page.wait_for_function("() => !!document.fullscreenElement || document.getElementById('note').textContent !== ''")
    if page.evaluate("() => !!document.fullscreenElement"):
        expect(page.locator("#fs")).to_have_text("Quitter le plein écran")
        page.keyboard.press("ArrowRight")  # the keys still work in full screen
        expect(page.locator("#counter")).to_contain_text("Scène 2 /")
        page.evaluate("() => document.exitFullscreen()")
        expect(page.locator("#fs")).to_have_text("Plein écran")


def test_hostile_scene_text_is_shown_as_text(page, site) -> None:
    open_presentation(page, f"{site}/hostile.html")
    expect(page.locator("#title")).to_have_text(XSS_HTML)
    expect(page.locator("#caption")).to_have_text(XSS_TEMPLATE)
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []
    page.keyboard.press("PageDown")
    expect(page.locator("#title")).to_have_text("Deuxième")
    assert page.dialogs == []


def test_a_4_3_projector_still_fits(browser, site, scenario) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")
    page = context.new_page()
    try:
        open_presentation(page, f"{site}/presentation.html")
        for i in range(1, len(scenario.scenes) + 1):
            page.evaluate(f"() => window.erbmPresentation.go({i})")
            expect(page.locator("#counter")).to_have_text(f"Scène {i} / {len(scenario.scenes)}")
            title = page.evaluate("() => parseFloat(getComputedStyle(document.getElementById('title')).fontSize)")
            assert title >= 40
        index = next(i for i, s in enumerate(scenario.scenes, start=1) if "logements_rehabilites" in s.key_figure)
        page.evaluate(f"() => window.erbmPresentation.go({index})")
        page.wait_for_function("() => window.erbmPresentation.settled()")
        page.screenshot(path=str(Path(ARTIFACTS) / "presentation_1024x768.png"))
    finally:
        context.close()
