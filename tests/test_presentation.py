"""Presentation mode: the scenario format, its French errors, the figures it shows and the HTML document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.text import french_date
from domain.figures import resolve_figure, stated_figures
from domain.keyfigures import latest_point
from domain.scenario import ScenarioError, _display_path, load_scenario
from domain.scenes import scene_cites
from layers.presentation import leaflet_assets, presentation_html, short_epci_name
from settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
XSS_HTML = "<img src=x onerror=alert(1)>"
XSS_TEMPLATE = "${alert(1)}"

GOOD_SCENE = """
[[scenes]]
title = "Le périmètre"
caption = "Les communes du bassin minier."
extent = "perimetre"
layers = ["communes"]
key_figure = "inventory:communes.count"
"""


@pytest.fixture(scope="module")
def scenario(territory):
    return load_scenario(get_settings().scenario_file, territory)


@pytest.fixture(scope="module")
def html(territory, scenario) -> str:
    return presentation_html(territory, scenario)


def embedded_data(document: str) -> dict:
    opener = '<script type="application/json" id="erbm-presentation">'
    start = document.index(opener) + len(opener)
    end = document.index("</script>", start)
    return json.loads(document[start:end])


def write_scenario(tmp_path: Path, third_scene: str, *, name: str = "erbm.toml") -> Path:
    """A scenario whose scenes 1 and 2 are valid and whose scene 3 is ``third_scene``."""
    path = tmp_path / name
    path.write_text(GOOD_SCENE + GOOD_SCENE + "\n[[scenes]]\n" + third_scene, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the default scenario


def test_default_scenario_loads_with_enough_scenes(scenario) -> None:
    assert len(scenario.scenes) >= 6
    assert all(s.title and s.caption for s in scenario.scenes)
    refs = {ref for s in scenario.scenes for ref in s.key_figure}
    # The story's results all come through key_figure references.
    assert {"logements_rehabilites", "heures_insertion", "bud_entreprises_creees", "bud_emplois_crees"} <= refs
    assert {"inventory:communes.count", "inventory:bud.count"} <= refs
    layers = {layer for s in scenario.scenes for layer in s.layers}
    assert layers == {"communes", "epci", "bud", "cites", "roads"}


def test_default_captions_state_no_figure(scenario) -> None:
    for s in scenario.scenes:
        assert stated_figures(s.title) == [], s.title
        assert stated_figures(s.caption) == [], s.caption


def test_default_path_is_named_relative_to_the_project() -> None:
    assert _display_path(get_settings().scenario_file) == "data/scenarios/erbm.toml"


def test_first_operations_scene_filters_the_cites(territory, scenario) -> None:
    scene = next(s for s in scenario.scenes if s.filters is not None)
    shown = scene_cites(territory, scene)
    assert (
        len(shown) == int(territory.cites["premieres_operations"].sum()) == 6
    )  # the six cités the 2019 press kit lists
    assert shown["premieres_operations"].all()


# --------------------------------------------------------------------------- key figures


def test_inventory_figures_are_the_real_counts(territory) -> None:
    assert resolve_figure(territory, "inventory:communes.count").value == len(territory.perimeter_communes) == 250
    pop = resolve_figure(territory, "inventory:communes.population")
    assert pop.value == int(territory.perimeter_communes["population"].sum())
    assert pop.value_text == "1\u202f185\u202f930"
    bud = resolve_figure(territory, "inventory:bud.count")
    assert bud.value == 159
    assert "arrêtés du 14/02/2018 et du 11/04/2019" in bud.source
    assert resolve_figure(territory, "inventory:cites.count").value == len(territory.cites) == 59
    assert resolve_figure(territory, "inventory:epci.signatories").value == int(territory.epci["signataire"].sum()) == 8
    first = resolve_figure(territory, "inventory:cites.first_operations")
    assert first.value == 6 and "Dossier de presse" in first.source and "25 novembre 2019" in first.date


def test_indicator_figure_is_the_latest_programme_point_with_its_source(territory) -> None:
    rows = territory.indicators[
        (territory.indicators["indicator"] == "logements_rehabilites") & (territory.indicators["scope"] == "programme")
    ]
    assert rows["value"].max() == 15500
    assert latest_point(territory, "logements_rehabilites")["doc_id"] == "seed-004"
    fig = resolve_figure(territory, "logements_rehabilites")
    assert fig.value == 15500
    assert fig.value_text == "plus de\u00a015\u202f500"  # the source's own words: « plus de 15500 foyers »
    assert fig.source.startswith("Source : Convention de mise en œuvre")
    assert "2025" in fig.date
    assert fig.target_text == "objectif : 23\u202f000 logements en 2027"
    assert fig.progress == pytest.approx(15500 / 23000)
    hours = resolve_figure(territory, "heures_insertion")
    # The convention gives the hours without a date of their own: say so, never « au 2 septembre ».
    assert hours.value == 1_100_000 and hours.date == "chiffre non daté, document du 2 septembre 2025"
    assert resolve_figure(territory, "bud_entreprises_creees").value == 1000


# --------------------------------------------------------------------------- French errors


@pytest.mark.parametrize(
    ("scene", "field", "message"),
    [
        ('title = "X"\nextent = "commune:99999"', "extent", "commune 99999 inconnue"),
        ('title = "X"\nextent = "epci:123456789"', "extent", "EPCI 123456789 inconnu"),
        ('title = "X"\nextent = "cite:999999"', "extent", "cité 999999 inconnue"),
        ('title = "X"\nextent = "ville:Lens"', "extent", "emprise « ville:Lens » non reconnue"),
        (
            'title = "X"\nextent = [50.6, 2.2, 50.2, 3.7]',
            "extent",
            "emprise en coordonnées : le sud doit être inférieur au nord",
        ),
        (
            'title = "X"\nextent = [43.0, 5.0, 43.5, 5.5]',
            "extent",
            "emprise en coordonnées hors du Nord et du Pas-de-Calais",
        ),
        ('title = "X"\nextent = "perimetre"\nlayers = ["communes", "metro"]', "layers", "couche « metro » inconnue"),
        (
            'title = "X"\nextent = "perimetre"\nkey_figure = "logements_inventes"',
            "key_figure",
            "indicateur « logements_inventes » inconnu (absent de data/sources/indicators.csv)",
        ),
        (
            'title = "X"\nextent = "perimetre"\nkey_figure = "inventory:communes.total"',
            "key_figure",
            "clé d'inventaire « communes.total » inconnue",
        ),
        (
            'title = "X"\nextent = "perimetre"\nkey_figure = 15500',
            "key_figure",
            "« 15500 » est un nombre : key_figure est une référence",
        ),
        ('caption = "Sans titre"\nextent = "perimetre"', "title", "champ obligatoire absent"),
        ('title = ""\nextent = "perimetre"', "title", "texte vide"),
        ('title = "X"', "extent", "champ obligatoire absent"),
        (
            'title = "X"\ncaption = "Déjà 23 000 logements rénovés"\nextent = "perimetre"',
            "caption",
            "le texte écrit le nombre « 23 000 »",
        ),
        ('titre = "X"\nextent = "perimetre"', "titre", "champ inconnu (champs admis : title, caption"),
        (
            'title = "X"\nextent = "perimetre"\nlayers = ["cites"]\n[scenes.filters]\nstatut = ["en chantier"]',
            "filters.statut",
            "statut « en chantier » inconnu",
        ),
        (
            'title = "X"\nextent = "perimetre"\nlayers = ["communes"]\n[scenes.filters]\nunesco = true',
            "filters",
            "les filtres portent sur les cités : ajoutez « cites » à layers",
        ),
        ('title = "X"\nextent = "perimetre"\nhighlight = "route:a99"', "highlight", "projet routier « a99 » inconnu"),
        ('title = "X"\nextent = "perimetre"\nlabels = ["epci"]', "labels", "« epci » doit aussi figurer dans layers"),
    ],
)
def test_broken_scene_gives_a_french_error_naming_file_scene_and_field(
    territory, tmp_path, scene, field, message
) -> None:
    path = write_scenario(tmp_path, scene)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, territory)
    text = str(info.value)
    assert f"{path}, scène 3, champ « {field} » : {message}" in text, text
    for english in ("Field required", "validation error", "Traceback", "Input should", "Value error"):
        assert english not in text


def test_every_problem_is_reported_at_once(territory, tmp_path) -> None:
    path = write_scenario(tmp_path, 'title = "X"\nextent = "commune:99999"\nlayers = ["metro"]')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, territory)
    assert [(p.line, p.field) for p in info.value.problems] == [(3, "layers"), (3, "extent")]


def test_toml_syntax_error_names_the_line(territory, tmp_path) -> None:
    path = tmp_path / "erbm.toml"
    path.write_text(GOOD_SCENE + '\n[[scenes]]\ntitle = "sans guillemet fermant\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, territory)
    assert re.search(r"syntaxe TOML invalide à la ligne \d+, colonne \d+", str(info.value))


def test_missing_file_and_empty_scenario(territory, tmp_path) -> None:
    with pytest.raises(ScenarioError, match="fichier introuvable"):
        load_scenario(tmp_path / "absent.toml", territory)
    empty = tmp_path / "vide.toml"
    empty.write_text('title = "Rien"\nscenes = []\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="champ « scenes » : au moins une scène attendue"):
        load_scenario(empty, territory)


def test_explicit_bounds_and_feature_extents_are_accepted(territory, tmp_path) -> None:
    path = write_scenario(
        tmp_path,
        'title = "Lens"\nextent = "epci:246200364"\nlayers = ["communes", "epci", "cites"]\n'
        'highlight = "cite:102"\nlabels = ["cites"]\nkey_figure = ["inventory:cites.by_status.travaux logements"]\n'
        '[scenes.filters]\nstatut = ["travaux logements"]\n'
        '[[scenes]]\ntitle = "Cadre"\nextent = [50.3, 2.7, 50.5, 3.1]\n'
        '[[scenes]]\ntitle = "Une commune"\nextent = "commune:62498"\nhighlight = "bud:a confirmer"\n',
    )
    scenario = load_scenario(path, territory)
    assert [s.extent.kind for s in scenario.scenes] == ["perimetre", "perimetre", "epci", "bounds", "commune"]
    assert scenario.scenes[4].highlight == "bud:à confirmer"  # accents optional, stored canonical
    figure = resolve_figure(territory, "inventory:cites.by_status.travaux logements")
    assert figure.value == int((territory.cites["statut"] == "travaux logements").sum())


# --------------------------------------------------------------------------- text rules


def test_stated_figures_allows_years_dates_and_names() -> None:
    assert stated_figures("De 2017 à 2027, opérations 2018-2019, le 25 novembre 2019, le 14/02/2018") == []
    assert stated_figures("A21, RN17, cité n°5, la 38e commune, les 8 EPCI") == []
    assert stated_figures("250 communes") == ["250"]
    assert stated_figures("plus de 23 000 logements") == ["23 000"]
    assert stated_figures("1,1 million d'heures") == ["1,1"]


def test_french_dates() -> None:
    assert french_date("2025-09-02") == "2 septembre 2025"
    assert french_date("2019-06") == "juin 2019"
    assert french_date("2025") == "2025"
    assert french_date("2021-05-01") == "1er mai 2021"
    assert french_date("") == "non datée"


def test_short_epci_names() -> None:
    assert short_epci_name("Communauté d'agglomération de Lens - Liévin") == "Lens - Liévin"
    assert short_epci_name("Communauté de communes Osartis Marquion") == "Osartis Marquion"
    assert short_epci_name("Métropole Européenne de Lille") == "Métropole Européenne de Lille"


# --------------------------------------------------------------------------- the HTML document


def test_document_loads_nothing_from_the_network(html) -> None:
    leaflet_js, leaflet_css = leaflet_assets()
    assert leaflet_js in html and leaflet_css in html  # inlined, never fetched
    lowered = html.lower()
    assert "<link" not in lowered
    assert not re.search(r"<script[^>]*\ssrc\s*=", lowered)
    assert "@import" not in lowered
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", lowered)
    assert not re.search(r"url\(\s*['\"]?images/", lowered)
    # Leaflet's own source names the SVG namespace, its web site and a bug in comments; nothing else names a URL.
    rest = html.replace(leaflet_js, "").replace(leaflet_css, "")
    assert "http://" not in rest and "https://" not in rest


def test_document_embeds_each_layer_once_with_displayed_columns_only(territory, scenario, html) -> None:
    data = embedded_data(html)
    layers = data["layers"]
    assert len(layers["communes"]["features"]) == 250
    assert len(layers["cites"]["features"]) == len(territory.cites) == 59
    assert len(layers["epci"]["features"]) == len(territory.epci)
    assert len(layers["roads"]["features"]) == len(territory.roads)
    assert set(layers["communes"]["features"][0]["properties"]) == {"kind", "ref", "nom"}
    assert set(layers["cites"]["features"][0]["properties"]) == {
        "kind",
        "ref",
        "nom",
        "commune",
        "statut",
        "_r",
        "_known",
        "lat",
        "lon",
    }
    assert html.count('"kind":"commune"') == 250  # each layer embedded once, not once per scene
    assert html.count('"kind":"cite"') == 59
    # The same outlines as the web map's (issue 16), once each, with the displayed columns only.
    outlines = layers["cites_contours"]["features"]
    assert len(outlines) == 59 and {f["geometry"]["type"] for f in outlines} == {"Polygon", "MultiPolygon"}
    assert set(outlines[0]["properties"]) == {"kind", "ref", "nom", "commune", "statut"}
    assert data["styles"]["cites_contours"]["palette"]["prop"] == "statut"
    assert "bailleur" not in json.dumps(layers) and "source" not in json.dumps(layers)
    assert len(data["scenes"]) == len(scenario.scenes)
    filtered = next(s for s in data["scenes"] if s["cites"] is not None)
    assert sorted(filtered["cites"]) == sorted(territory.cites.loc[territory.cites["premieres_operations"], "id"])
    assert "preferCanvas: true" in html and "L.canvas(" in html


def test_document_shows_sourced_figures(html) -> None:
    scenes = embedded_data(html)["scenes"]
    figures = {f["label"]: f for s in scenes for f in s["figures"]}
    housing = figures["Logements miniers réhabilités (livrés, cumul depuis 2017)"]
    assert housing["value"] == "plus de\u00a015\u202f500"
    assert housing["target"] == "objectif : 23\u202f000 logements en 2027"
    assert "Convention de mise en œuvre" in housing["source"] and "2025" in housing["date"]
    for f in figures.values():
        assert f["source"].startswith("Source : ") and f["date"]


def test_hostile_scene_text_is_escaped(territory, tmp_path) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text(
        f'title = "{XSS_HTML}"\n[[scenes]]\ntitle = "{XSS_HTML}"\ncaption = "{XSS_TEMPLATE}</script><script>alert(2)'
        '</script>{{{{ 7*7 }}}}"\nextent = "perimetre"\n',
        encoding="utf-8",
    )
    document = presentation_html(territory, load_scenario(path, territory))
    assert XSS_HTML not in document
    assert "${alert(1)}" not in document
    assert "</script><script>alert(2)" not in document
    assert "{{ 7*7 }}" not in document
    assert "&lt;img src=x onerror=alert(1)&gt;" in document
    assert "&#36;&#123;alert(1)&#125;" in document
    scene = embedded_data(document)["scenes"][0]
    assert scene["title"] == "&lt;img src=x onerror=alert(1)&gt;"


# --------------------------------------------------------------------------- the Streamlit page


def test_page_runs_and_shows_the_help_line() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "views" / "presentation.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    help_line = " ".join(c.value for c in at.caption)
    assert "PageSuivante pour avancer" in help_line and "PagePrécédente pour revenir" in help_line


def test_page_reports_a_broken_scenario_in_french(data_copy, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    scenario = data_copy / "scenarios" / "erbm.toml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace('extent = "roads"', 'extent = "commune:99999"'), encoding="utf-8")
    monkeypatch.setenv("ERBM_DATA_DIR", str(data_copy))
    at = AppTest.from_file(str(ROOT / "views" / "presentation.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "scène 6, champ « extent » : commune 99999 inconnue" in errors
    assert "erbm.toml" in errors
