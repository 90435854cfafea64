"""Layer modules on real data and tiny fixtures: escaping, offline assets, legend, classes, bundle."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from domain.metrics import INDICATORS, commune_values
from geo.crs import to_display
from layers import bud, cites, communes, context, epci, roads
from layers.assets import LEAFLET_JS, external_links, require_local
from layers.bundle import bundle_data, publish
from layers.communes import classify
from layers.escape import escape_properties, escape_text
from layers.jsvalue import js
from layers.map import Assets, MapView, build_map, client_js, update_payload
from layers.topojson import decode, topology

ASSETS = Assets(
    bundle_url="/app/static/bundles/carte-test.json",
    js_url="/app/static/bundles/carte-test.js",
    css_url="/app/static/bundles/carte-test.css",
)


def unescaped(text: str) -> str:
    """``text`` with JSON \\uXXXX escapes decoded, as the browser will read the strings."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), text)


def rendered(m) -> str:
    return unescaped(m.get_root().render())


def update_json(payload: dict) -> str:
    """The per-run update as the map component receives it (Streamlit sends its data as JSON)."""
    return json.dumps(payload)


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


def test_js_values_cannot_close_the_script_nor_open_jinja() -> None:
    out = js({"a": "</script>{{ x }}{% y %}{# z", "b": [1, {"c": None}]})
    assert "</" not in out and "{{" not in out and "{%" not in out and "{#" not in out
    assert json.loads(out.replace("<\\/", "</")) == {"a": "</script>{{ x }}{% y %}{# z", "b": [1, {"c": None}]}


def _display(territory):
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


def _layers(territory, display, cites_frame=None, *, indicator="population", highlight=None):
    order = display["communes"]["insee"].tolist()
    colours = communes.colouring(commune_values(territory, indicator), INDICATORS[indicator], order)
    return [
        context.build(),
        communes.build(colours, highlight=highlight),
        bud.build(display["bud"]),
        epci.build(display["epci"]),
        roads.build(display["roads"]),
        cites.build(display["cites"] if cites_frame is None else cites_frame),
    ]


def _full_map(territory, display, cites_frame=None, **kwargs):
    """The base map and the per-run update, as the browser receives them (HTML + update JSON)."""
    layers = _layers(territory, display, cites_frame)
    bounds = (50.2, 2.3, 50.7, 3.7)
    m = build_map(layers, view=MapView(bounds), assets=ASSETS, **kwargs)
    return m, layers, rendered(m) + unescaped(update_json(update_payload(layers)))


def test_payloads_with_xss_are_escaped_in_every_layer(territory, display) -> None:
    hostile = display["cites"].copy()
    hostile.loc[hostile.index[0], "nom"] = XSS_HTML + XSS_TEMPLATE + XSS_JINJA
    hostile.loc[hostile.index[0], "bailleur"] = XSS_TEMPLATE
    hostile.loc[hostile.index[1], "commune"] = "</script><script>alert(2)</script>"
    _, _, html = _full_map(territory, display, hostile, attribution=XSS_HTML)
    assert XSS_HTML not in html
    assert 'onerror="alert(1)"' not in html
    assert "${alert(document.cookie)}" not in html
    assert "</script><script>alert(2)" not in html
    assert "{{ 7*7 }}" not in html and "{% raw %}" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#36;&#123;alert(document.cookie)&#125;&#96;" in html


def test_static_bundle_escapes_every_text(display) -> None:
    hostile = display["communes"].copy()
    hostile.loc[hostile.index[0], "nom"] = XSS_HTML + XSS_TEMPLATE
    epcis = display["epci"].copy()
    epcis.loc[epcis.index[0], "nom"] = "</script>" + XSS_JINJA
    data = _bundle(display, communes_gdf=hostile, epci_gdf=epcis)
    text = json.dumps(data, ensure_ascii=False)
    assert XSS_HTML not in text and "${alert" not in text and "</script>" not in text and "{{ 7*7 }}" not in text
    names = [g["properties"]["nom"] for g in data["topology"]["objects"]["communes"]["geometries"]]
    assert names[0] == escape_text(XSS_HTML + XSS_TEMPLATE)


def test_server_side_template_injection_is_impossible(territory, display) -> None:
    hostile = display["cites"].copy()
    hostile.loc[hostile.index[0], "nom"] = "{{ self.__init__.__globals__ }}{# x"
    _, _, html = _full_map(territory, display, hostile)
    assert "__globals__" in html and "{{ self" not in html
    assert "{# x" not in html


def test_jinja_in_a_name_is_not_evaluated(territory, display) -> None:
    hostile = display["cites"].copy()
    hostile.loc[hostile.index[0], "nom"] = "Cité {{ 6*7 }}"
    _, _, html = _full_map(territory, display, hostile)
    assert "Cité &#123;&#123; 6*7 &#125;&#125;" in html  # shown as typed by the browser
    assert "Cité 42" not in html  # never computed on the server


def test_map_loads_no_asset_from_the_internet(territory, display) -> None:
    m, _, html = _full_map(territory, display)
    assert external_links(m) == []
    for host in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "unpkg.com", "netdna"):
        assert host not in html
    assert LEAFLET_JS[0][1] in html
    assert ASSETS.js_url in html and ASSETS.css_url in html and ASSETS.bundle_url in html
    # French controls: zoom buttons titled in French, a metric-only scale (no miles, no feet).
    assert '"zoomInTitle":"Zoom avant"' in html
    assert "L.control.scale({imperial: false})" in html
    assert "L.control.scale()" not in html and "control_scale" not in html


def test_unknown_cdn_asset_is_refused() -> None:
    import folium
    from folium.elements import JSCSSMixin
    from folium.map import Layer

    class Plugin(JSCSSMixin, Layer):  # a folium plugin whose files nobody vendored
        default_js = [("leaflet_heat", "https://cdn.example.org/heat.js")]

    m = folium.Map(tiles=None)
    Plugin().add_to(m)
    with pytest.raises(ValueError, match=r"not served locally: https://cdn\.example\.org/heat\.js"):
        require_local(m)


def test_base_map_holds_no_per_run_data(territory, display) -> None:
    """A filter or an indicator change leaves the base map's script alone: the map stays mounted."""
    from ui.mapcomponent import render

    few = display["cites"].head(3)
    a, b = _layers(territory, display), _layers(territory, display, few, indicator="bud", highlight={"62498"})
    view = MapView((50.2, 2.3, 50.7, 3.7))
    script_a = render(build_map(a, view=view, assets=ASSETS), key="carte")
    script_b = render(build_map(b, view=view, assets=ASSETS), key="carte")
    assert script_a.script == script_b.script and script_a.component_key == script_b.component_key
    assert update_json(update_payload(a)) != update_json(update_payload(b))
    assert "Cités (3 affichées)" in [section["title"] for section in update_payload(b)["legend"]]
    for name in cites.build(few).features["cites"]["features"][0]["properties"]["nom"], "62498":
        assert name not in script_b.script


def test_legend_lists_every_layer_with_real_counts(territory, display) -> None:
    _, layers, html = _full_map(territory, display)
    assert "Légende" in client_js(tuple(p for layer in layers for p in layer.parts))
    assert "erbm.legendBox()" in html
    sections = update_payload(layers)["legend"]
    for title in ("Communes du périmètre", "Zone BUD", "EPCI", "Projets routiers", "Cités minières"):
        assert f'"layer": "{title}"' in html or f'"layer":"{title}"' in html
        assert title in [section["layer"] for section in sections]
    cite_legend = next(layer.legend for layer in layers if layer.key == "cites")
    assert cite_legend.title == "Cités (59 affichées)"
    assert sum(int(e.label.rsplit("(", 1)[1].rstrip(")")) for e in cite_legend.entries[:-1]) == 59
    bud_legend = next(layer.legend for layer in layers if layer.key == "bud")
    assert bud_legend.entries[0].label == "Commune classée (158)"


def test_commune_colouring_covers_the_250_communes_in_bundle_order(territory, display) -> None:
    order = display["communes"]["insee"].tolist()
    colours = communes.colouring(commune_values(territory, "cites"), INDICATORS["cites"], order)
    assert len(colours.values) == 250
    counts = [int(e.label.rsplit("(", 1)[1].rstrip(")")) for e in colours.legend.entries]
    assert sum(counts) == 250
    values = commune_values(territory, "cites")
    lens = order.index("62498")
    cls, text = colours.values[lens]
    assert text == escape_text(f"{int(values['62498'])}") and colours.unit == "cités"
    layer = communes.build(colours, highlight={"62498"}, dim_others=True)
    assert layer.feature_count == 250 and layer.state["highlight"] == {"62498": 1} and layer.state["dim"] is True


def test_categorical_colouring_names_each_class(territory, display) -> None:
    order = display["communes"]["insee"].tolist()
    colours = communes.colouring(commune_values(territory, "bud"), INDICATORS["bud"], order)
    assert all(isinstance(v, int) for v in colours.values)
    assert {text for _, text in colours.palette} <= {"classée (2018)", "classée (2019)", "à confirmer", "non classée"}
    assert dict(INDICATORS["bud"].categories)["classée (2018)"] in {c for c, _ in colours.palette}


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
        roads.bundle_features(territory.roads)
    with pytest.raises(CRSError):
        communes.bundle_records(territory.perimeter_communes)


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
    assert layer.feature_count == 1
    assert layer.legend.entries[4].label == "livrée (1)"
    table = update_payload([layer])["features"]["cites"]
    row = dict(zip(table["fields"], table["rows"][0][2:], strict=True))
    assert table["rows"][0][:2] == [2.83, 50.43]
    assert row["nom"] == "Cité test" and row["logements_txt"] == "120 logements" and row["kind"] == "cite"


def test_client_code_has_every_part_and_no_jinja() -> None:
    layers = [context.build(), bud.build(pd.DataFrame({"statut": ["classée"], "communes": [1]}))]
    code = client_js(tuple(p for layer in layers for p in layer.parts))
    for name in ("voisines", "departements", "villes", "bud"):
        assert f'"{name}":' in code
    assert "erbmInit" in code and "erbmTopo" in code
    assert "{{" not in code and "{%" not in code


# --------------------------------------------------------------------------- topology


def _squares():
    """Two unit squares side by side, and a third with a hole filled by a fourth (an enclave)."""
    left, right = box(0, 0, 1, 1), box(1, 0, 2, 1)
    ring = Polygon(box(3, 0, 6, 3).exterior.coords, [box(4, 1, 5, 2).exterior.coords])
    return [left, right, ring, box(4, 1, 5, 2)]


def test_topology_stores_a_shared_border_once() -> None:
    shapes = [shapely.affinity.scale(g, 1e-3, 1e-3, origin=(0, 0)) for g in _squares()]
    topo = topology({"t": [(g, {"i": i}) for i, g in enumerate(shapes)]})
    # Left/right share one edge (3 arcs for them); the hole and the enclave share one closed arc.
    assert len(topo["arcs"]) == 3 + 2
    back = decode(topo, "t")
    for (g, props), original in zip(back, shapes, strict=True):
        assert shapely.equals_exact(shapely.normalize(g), shapely.normalize(original), 1e-9)
        assert props == {"i": shapes.index(original)}


def test_topology_round_trips_the_real_layers(display) -> None:
    data = _bundle(display)
    topo = data["topology"]
    for name, frame in (("communes", "communes"), ("epci", "epci"), ("bud", "bud")):
        back = decode(topo, name)
        assert len(back) == len(display[frame])
        for (g, _), original in zip(back, display[frame].geometry, strict=True):
            assert g.is_valid
            assert shapely.equals_exact(shapely.normalize(g), shapely.normalize(original), 1e-9)
    # Communes share their borders: their topology holds far fewer points than their rings.
    alone = topology({"communes": communes.bundle_records(display["communes"])})
    points = sum(len(a) for a in alone["arcs"])
    rings = int(display["communes"].geometry.count_coordinates().sum())
    assert points < 0.75 * rings


def test_context_simplification_keeps_shared_borders_exact(display) -> None:
    topo = _bundle(display)["topology"]
    ((neighbours, _),) = decode(topo, "voisines")
    assert len(neighbours.geoms) >= 1 and all(p.is_valid for p in neighbours.geoms)
    # Every vertex of the perimeter communes is still in the topology: only context arcs lost some.
    perimeter = decode(topo, "communes")
    exact = {tuple(p) for g, _ in perimeter for p in shapely.get_coordinates(g).round(5).tolist()}
    original = {tuple(p) for p in shapely.get_coordinates(display["communes"].geometry.values).round(5).tolist()}
    assert exact == original


def _bundle(display, **overrides):
    kwargs = {
        "communes_gdf": display["communes"],
        "neighbours": display["neighbours"],
        "departements": display["departements"],
        "labels": display["labels"],
        "epci_gdf": display["epci"],
        "bud_zone": display["bud"],
        "roads_gdf": display["roads"],
    } | overrides
    return bundle_data(**kwargs)


def test_bundle_is_published_once_under_its_hash(display, tmp_path) -> None:
    data = _bundle(display)
    first = publish(data, static_dir=tmp_path)
    again = publish(data, static_dir=tmp_path)
    assert first == again and first.path.exists()
    assert first.url == f"/app/static/bundles/{first.path.name}" and first.sha in first.path.name
    assert (tmp_path / "bundles" / ".gitignore").read_text() == "*\n"
    assert json.loads(first.path.read_text(encoding="utf-8")) == json.loads(json.dumps(data))
    assert {"communes", "voisines", "departements", "epci", "bud"} <= set(data["topology"]["objects"])
    assert set(data["geojson"]) == {"routes", "villes"}
