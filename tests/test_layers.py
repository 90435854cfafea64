"""Layer modules on real data and tiny fixtures: escaping, offline assets, legend, classes."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from domain.metrics import INDICATORS, commune_values
from geo.crs import to_display
from layers import bud, cites, communes, context, epci, roads
from layers.assets import LEAFLET_JS, external_urls, localise
from layers.communes import classify
from layers.escape import escape_properties, escape_text
from layers.map import MapView, build_map


def rendered(m) -> str:
    """The map's HTML with JSON \\uXXXX escapes decoded, as the browser will read the strings."""
    html = m.get_root().render()
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), html)


XSS_HTML = '<img src=x onerror="alert(1)">'
XSS_TEMPLATE = "${alert(document.cookie)}`"
XSS_JINJA = "{{ 7*7 }}{% raw %}"


def test_escape_text_neutralises_html_and_template_literals() -> None:
    out = escape_text(XSS_HTML + XSS_TEMPLATE)
    assert "<" not in out and ">" not in out and '"' not in out
    assert "${" not in out and "`" not in out
    assert out.startswith("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;")
    assert escape_text(None) == "non renseigné"
    assert escape_text(float("nan")) == "non renseigné"


def test_escape_properties_keeps_numbers_typed() -> None:
    props = escape_properties({"nom": "<b>", "n": 3, "x": 1.5, "ok": True, "na": None})
    assert props == {"nom": "&lt;b&gt;", "n": 3, "x": 1.5, "ok": True, "na": "non renseigné"}


def _display(territory):
    from ui.data import CONTEXT_BUFFER_M  # noqa: F401  (same preparation as the app)

    perim = territory.perimeter_communes
    return {
        "communes": to_display(perim),
        "departements": to_display(territory.departements),
        "neighbours": to_display(territory.communes[~territory.communes["perimetre_erbm"]].head(50)),
        "labels": to_display(territory.labels),
        "epci": to_display(territory.epci),
        "bud": to_display(territory.bud_zone),
        "roads": to_display(territory.roads),
        "cites": to_display(territory.cites),
    }


@pytest.fixture(scope="module")
def display(territory):
    return _display(territory)


def _full_map(territory, display, cites_frame=None, **kwargs):
    key = "population"
    layers = [
        context.build(display["departements"], display["neighbours"], display["labels"]),
        communes.build(display["communes"], commune_values(territory, key), INDICATORS[key]),
        bud.build(display["bud"]),
        epci.build(display["epci"]),
        roads.build(display["roads"]),
        cites.build(display["cites"] if cites_frame is None else cites_frame),
    ]
    bounds = (50.2, 2.3, 50.7, 3.7)
    return build_map(layers, view=MapView(bounds), **kwargs), layers


def test_payloads_with_xss_are_escaped_in_every_layer(territory, display) -> None:
    hostile = display["cites"].copy()
    hostile.loc[hostile.index[0], "nom"] = XSS_HTML + XSS_TEMPLATE + XSS_JINJA
    hostile.loc[hostile.index[0], "bailleur"] = XSS_TEMPLATE
    hostile.loc[hostile.index[1], "commune"] = "</script><script>alert(2)</script>"
    m, _ = _full_map(territory, display, hostile, attribution=XSS_HTML)
    html = rendered(m)
    assert XSS_HTML not in html
    assert 'onerror="alert(1)"' not in html
    assert "${alert(document.cookie)}" not in html
    assert "</script><script>alert(2)" not in html
    assert "{{ 7*7 }}" not in html and "{% raw %}" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#36;&#123;alert(document.cookie)&#125;&#96;" in html


def test_server_side_template_injection_is_impossible(territory, display) -> None:
    hostile = display["cites"].copy()
    hostile.loc[hostile.index[0], "nom"] = "{{ self.__init__.__globals__ }}{# x"
    m, _ = _full_map(territory, display, hostile)
    html = rendered(m)
    assert "__globals__" in html and "{{ self" not in html
    assert "{# x" not in html


def test_jinja_in_a_name_is_not_evaluated(territory, display) -> None:
    hostile = display["cites"].copy()
    hostile.loc[hostile.index[0], "nom"] = "Cité {{ 6*7 }}"
    m, layers = _full_map(territory, display, hostile)
    html = rendered(m)
    assert "Cité &#123;&#123; 6*7 &#125;&#125;" in html  # shown as typed by the browser
    assert "Cité 42" not in html  # never computed on the server


def test_map_loads_no_asset_from_the_internet(territory, display) -> None:
    m, _ = _full_map(territory, display)
    assert external_urls(m) == []
    html = rendered(m)
    for host in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "unpkg.com", "netdna"):
        assert host not in html
    assert LEAFLET_JS[0][1] in html


def test_unknown_cdn_asset_is_refused() -> None:
    class Plugin:
        default_js = [("leaflet_heat", "https://cdn.example.org/heat.js")]

    with pytest.raises(ValueError, match="not served locally"):
        localise(Plugin())


def test_legend_lists_every_layer_with_real_counts(territory, display) -> None:
    m, layers = _full_map(territory, display)
    html = rendered(m)
    assert "Légende" in html
    for title in ("Communes du périmètre", "Zone BUD", "EPCI", "Projets routiers", "Cités minières"):
        assert f'data-layer=\\"{title}\\"' in html or f'data-layer="{title}"' in html
    cite_legend = next(layer.legend for layer in layers if layer.key == "cites")
    assert cite_legend.title == "Cités (59 affichées)"
    assert sum(int(e.label.rsplit("(", 1)[1].rstrip(")")) for e in cite_legend.entries[:-1]) == 59
    bud_legend = next(layer.legend for layer in layers if layer.key == "bud")
    assert bud_legend.entries[0].label == "Commune classée (158)"


def test_commune_layer_holds_the_250_communes(territory, display) -> None:
    layer = communes.build(display["communes"], commune_values(territory, "cites"), INDICATORS["cites"])
    assert layer.feature_count == 250
    counts = [int(e.label.rsplit("(", 1)[1].rstrip(")")) for e in layer.legend.entries]
    assert sum(counts) == 250


def test_classify_separates_zero_and_missing() -> None:
    values = pd.Series([0, 0, 1, 2, 3, 10, 20, None], index=list("abcdefgh"), dtype="Float64")
    colors, entries = classify(values, k=3)
    labels = [e.label for e in entries]
    assert labels[0] == "0 (2)"
    assert labels[-1] == "non renseigné (1)"
    assert len(entries) == 5
    assert colors["a"] == "#ffffff" and colors["h"] == "#d9d9d9"
    assert colors["g"] != colors["c"]


def test_cite_radius_grows_with_housing() -> None:
    assert cites.radius(None) == cites.BASE_RADIUS
    assert cites.radius(pd.NA) == cites.BASE_RADIUS
    assert cites.radius(400) > cites.radius(100) > cites.BASE_RADIUS


def test_layer_refuses_lambert93_input(territory) -> None:
    from geo.crs import CRSError

    with pytest.raises(CRSError):
        roads.build(territory.roads)


def test_tiny_fixture_cite_layer() -> None:
    gdf = gpd.GeoDataFrame(
        {
            "id": ["1"],
            "nom": ["Cité test"],
            "commune": ["Lens"],
            "statut": ["livrée"],
            "logements": pd.array([120], dtype="Int64"),
            "bailleur": ["SIA"],
        },
        geometry=[Point(2.83, 50.43)],
        crs=4326,
    )
    layer = cites.build(gdf)
    m = folium.Map()
    layer.group.add_to(m)
    html = rendered(m)
    assert layer.feature_count == 1
    assert layer.legend.entries[4].label == "livrée (1)"
    assert '"nom": "Cité test"' in html and '"logements_txt": "120 logements"' in html
