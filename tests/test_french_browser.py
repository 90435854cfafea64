"""Streamlit's own words in French, in headless Chromium (issue 14, point 7): on the Carte, Cités,
Mon territoire and Mise à jour pages, on a laptop and a phone, with the sidebar, a list and the
main menu open, a table hovered and the upload widget shown, none of the English strings Streamlit
1.67 writes is left in the visible text or in aria-label / title / placeholder, and their French
replacements are there (static/erbm-fr.js, static/erbm-fr.json). Screenshots in tests/artifacts/."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import ARTIFACTS

pytestmark = pytest.mark.browser

# Every English string found in the app's pages (laptop and phone, menus and lists open, tables
# hovered, upload widget shown) before the translation script.
ENGLISH = {
    "Skip to main content",
    "Main menu",
    "App pages",
    "Sidebar",
    "Collapse sidebar",
    "Expand sidebar",
    "Link to heading",
    "Print",
    "Record screen",
    "Made with Streamlit v",
    "Copy version to clipboard",
    "Choose an option",
    "Select all",
    "No results",
    "Open",
    "Dismiss",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Show/hide columns",
    "Show password",
    "Press Enter to submit form",
    "Press Enter to apply",
    "Hide password",
    "file upload",
    "Upload",
    "5MB per file",
}
ENGLISH_PATTERNS = (re.compile(r"^Help for "), re.compile(r"options? available\.$"), re.compile(r"MB per file$"))

# Visible text and labelling attributes of the page, outside the map (Leaflet's own words are the
# map's business: layers/map.js).
COLLECT_JS = """() => {
  const out = [];
  const skip = el => el.closest('.leaflet-container, svg, script, style, noscript');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const t = n.nodeValue.trim();
    if (t && n.parentElement && !skip(n.parentElement)) out.push(t);
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[aria-roledescription]')) {
    if (skip(el)) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'aria-roledescription']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push(v.trim());
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def editor_app(tmp_path_factory):
    from tests.test_edition_browser import editor_server

    with editor_server(tmp_path_factory.mktemp("french"), log_name="french") as (app_url, _db):
        yield app_url


def _context(browser, phone: bool):
    if phone:
        return browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
        )
    return browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")


class Seen:
    """Every string the page showed or labelled something with, at each step."""

    def __init__(self, page) -> None:
        self.page = page
        self.strings: set[str] = set()

    def look(self, shot: str | None = None) -> set[str]:
        # Two frames: what Streamlit drew and what the translation script changed are painted.
        self.page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        now = set(self.page.evaluate(COLLECT_JS))
        self.strings |= now
        if shot:
            ARTIFACTS.mkdir(exist_ok=True)
            self.page.screenshot(path=str(ARTIFACTS / f"francais-{shot}.png"))
        return now

    def english(self) -> set[str]:
        return {s for s in self.strings if s in ENGLISH or any(p.search(s) for p in ENGLISH_PATTERNS)}


def _french(page, selector: str, attribute: str, expected: str, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(
        "([sel, attr, want]) => [...document.querySelectorAll(sel)].some(el =>"
        " (attr === 'text' ? [...el.childNodes].some(n => n.nodeType === 3 && n.nodeValue.trim() === want)"
        " : el.getAttribute(attr) === want))",
        arg=[selector, attribute, expected],
        timeout=timeout_ms,
    )


def _open_page(page, link: str, expected_text: str, phone: bool) -> None:
    if phone:
        _open_sidebar(page)
    page.get_by_role("link", name=link).first.click()
    page.get_by_text(expected_text).first.wait_for(timeout=60_000)


def _open_sidebar(page) -> None:
    expand = page.get_by_role("button", name="Déplier le panneau latéral")
    if expand.count() and expand.first.is_visible():
        expand.first.click()
        page.get_by_role("button", name="Replier le panneau latéral").first.wait_for(timeout=10_000)


def test_streamlit_words_are_french_on_a_laptop(browser, editor_app) -> None:
    page = _context(browser, phone=False).new_page()
    seen = Seen(page)
    try:
        page.goto(editor_app + "/")
        page.get_by_label("Commune, code INSEE, EPCI ou cité", exact=True).wait_for(timeout=90_000)
        _french(page, "a", "text", "Aller au contenu principal")
        _french(page, "button", "aria-label", "Replier le panneau latéral")
        _french(page, "button", "aria-label", "Aide : Commune, code INSEE, EPCI ou cité")
        seen.look("carte-1440x900")
        # A list with no match for what is typed.
        page.locator('[data-testid="stMultiSelect"]').first.click()
        _french(page, "*", "text", "Tout sélectionner")
        page.keyboard.type("zzzqq")
        _french(page, "*", "text", "Aucun résultat")
        seen.look("liste-1440x900")
        page.keyboard.press("Escape")
        # The main menu.
        page.locator('[aria-label="Menu principal"]').first.click()
        page.get_by_text("Imprimer", exact=True).wait_for(timeout=10_000)
        seen.look("menu-1440x900")
        page.keyboard.press("Escape")

        _open_page(page, "Cités", "Cités minières de l'ERBM", phone=False)
        page.locator('[data-testid="stDataFrame"]').first.hover()
        _french(page, "button", "aria-label", "Télécharger en CSV")
        _french(page, "button", "aria-label", "Plein écran")
        _french(page, "button", "aria-label", "Rechercher")
        seen.look("cites-1440x900")

        _open_page(page, "Mon territoire", "Population municipale", phone=False)
        seen.look("territoire-1440x900")

        _open_page(page, "Mise à jour", "Connexion des éditeurs", phone=False)
        _french(page, "button", "aria-label", "Afficher le mot de passe")
        seen.look()
        page.get_by_label("Identifiant", exact=True).fill("marie")
        page.get_by_label("Mot de passe", exact=True).fill("bon mot de passe")
        seen.look()  # a form's field being typed in shows a hint
        page.get_by_role("button", name="Se connecter").click()
        page.locator('[data-testid="stFileUploader"]').first.wait_for(timeout=60_000)
        _french(page, "button, button *", "text", "Déposer")
        _french(page, "*", "text", "5 Mo par fichier")
        seen.look("mise-a-jour-1440x900")
        assert seen.english() == set(), sorted(seen.english())
        assert page.evaluate("() => document.documentElement.lang") == "fr"
    finally:
        page.context.close()


def test_streamlit_words_are_french_on_a_phone(browser, editor_app) -> None:
    page = _context(browser, phone=True).new_page()
    seen = Seen(page)
    try:
        page.goto(editor_app + "/")
        _french(page, "button", "aria-label", "Déplier le panneau latéral", timeout_ms=90_000)
        _french(page, "a", "text", "Aller au contenu principal")
        seen.look("carte-telephone")
        _open_sidebar(page)
        page.get_by_label("Commune, code INSEE, EPCI ou cité", exact=True).wait_for(timeout=30_000)
        seen.look("panneau-telephone")
        _open_page(page, "Cités", "Cités minières de l'ERBM", phone=True)
        seen.look("cites-telephone")
        assert seen.english() == set(), sorted(seen.english())
    finally:
        page.context.close()
