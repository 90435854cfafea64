"""Real shapes on the web map (issue 16): cité outlines, their markers, the UNESCO layer, attribution."""

from __future__ import annotations

import json

import pytest

from domain.provenance import MAP_ATTRIBUTION
from geo.crs import to_display
from layers import cites, unesco
from layers.bundle import bundle_data
from layers.map import MapView, build_map, client_js, update_payload
from layers.style import style_json
from layers.topojson import decode
from tests.test_layers import ASSETS, rendered, unescaped, update_json


@pytest.fixture(scope="module")
def shown(territory):
    return {
        "cites": to_display(territory.cites),
        "contours": to_display(territory.cite_contours),
        "unesco": to_display(territory.unesco),
    }


def small_bundle(territory) -> dict:
    """The static bundle's frames for a few communes: enough to hold other objects beside."""
    few = territory.perimeter_communes.head(3)
    return {
        "communes_gdf": to_display(few),
        "neighbours": to_display(few.head(0)),
        "departements": to_display(territory.departements),
        "labels": to_display(territory.labels),
        "epci_gdf": to_display(territory.epci.head(1)),
        "bud_zone": to_display(territory.bud_zone),
        "roads_gdf": to_display(territory.roads),
    }


def test_cites_travel_as_outlines_with_markers_below_zoom_15(shown, territory) -> None:
    layer = cites.build(shown["cites"], outlines=shown["contours"])
    # The shapes travel once, in the static bundle's topology (quantised, delta-encoded, decoded by
    # map.js), with their ref only; each run sends the shown cités' rows, joined to them by ref.
    bundle = bundle_data(**small_bundle(territory), cite_outlines=shown["contours"])
    outlines = decode(bundle["topology"], cites.SHAPES)
    assert len(outlines) == 59
    assert {g.geom_type for g, _ in outlines} == {"Polygon", "MultiPolygon"}
    assert all(set(p) == {"ref"} for _, p in outlines)
    barrois = next(g for g, p in outlines if p["ref"] == "552")
    original = shown["contours"].set_index("id").loc["552", "geometry"]
    assert barrois.symmetric_difference(original).area / original.area < 0.01
    rows = layer.features["cites_contours"]
    assert rows["join"] == cites.SHAPES
    assert rows["fields"] == ["kind", "ref", "nom", "commune", "statut", "logements_txt"]
    assert len(rows["rows"]) == 59
    barrois_row = dict(zip(rows["fields"], next(r for r in rows["rows"] if r[1] == "552"), strict=True))
    assert barrois_row["kind"] == cites.OUTLINE_KIND
    assert barrois_row["nom"] == shown["cites"].set_index("id").loc["552", "nom"]
    assert update_payload([layer])["features"]["cites_contours"] is rows
    # A filter sends the rows of its cités only, no geometry.
    livrees = cites.build(shown["cites"][shown["cites"]["statut"] == "livrée"], outlines=shown["contours"])
    assert sorted(r[1] for r in livrees.features["cites_contours"]["rows"]) == sorted(
        shown["cites"].loc[shown["cites"]["statut"] == "livrée", "id"]
    )
    # One marker per cité (kind « cite »): 59 with an outline, hidden from zoom 15; none without.
    assert len(layer.features["cites_marqueurs"]["features"]) == 59
    assert layer.features["cites"]["features"] == []
    styles = {p.name: style_json(p.style) for p in layer.parts}
    assert styles["cites_marqueurs"]["max_zoom"] == 15.0
    assert styles["cites"]["max_zoom"] is None
    assert styles["cites_contours"]["palette"]["prop"] == "statut"
    # Status never by colour alone: each status has its own outline pattern.
    dashes = [cites.OUTLINE_STYLE.look(statut=s).stroke.dash for s in cites.STATUS_DASHES]
    assert len(set(dashes)) == len(dashes) == 5
    legend = [e.label for e in layer.legend.entries]
    assert "livrée (2) — contour plein" in legend


def test_a_cite_without_outline_keeps_its_circle_at_every_zoom(shown) -> None:
    few = shown["contours"][shown["contours"]["id"] != "552"]
    layer = cites.build(shown["cites"], outlines=few)
    assert [f["properties"]["ref"] for f in layer.features["cites"]["features"]] == ["552"]
    assert len(layer.features["cites_marqueurs"]["features"]) == 58


def test_unesco_layer_is_off_by_default_with_its_legend_and_in_the_bundle(territory, shown) -> None:
    layer = unesco.build(shown["unesco"])
    assert layer.show is False and layer.title == "Patrimoine mondial UNESCO"
    assert [e.label for e in layer.legend.entries] == [
        "Élément du bien inscrit (109)",
        "Cité minière du bien inscrit (124)",
    ]
    perim = territory.perimeter_communes
    data = bundle_data(
        communes_gdf=to_display(perim),
        neighbours=to_display(territory.communes[~territory.communes["perimetre_erbm"]].head(20)),
        departements=to_display(territory.departements),
        labels=to_display(territory.labels),
        epci_gdf=to_display(territory.epci),
        bud_zone=to_display(territory.bud_zone),
        roads_gdf=to_display(territory.roads),
        unesco_gdf=shown["unesco"],
    )
    geometries = data["topology"]["objects"]["unesco"]["geometries"]
    assert len(geometries) == 233
    assert geometries[0]["properties"]["nature"] == "bien inscrit"  # the property under its cités


def test_map_shows_the_open_data_attribution(shown) -> None:
    layers = [unesco.build(shown["unesco"]), cites.build(shown["cites"], outlines=shown["contours"])]
    m = build_map(layers, view=MapView((50.2, 2.3, 50.7, 3.7)), assets=ASSETS, attribution=MAP_ATTRIBUTION)
    html = rendered(m) + unescaped(update_json(update_payload(layers)))
    assert "Communes : IGN ADMIN EXPRESS 2018" in html
    assert "Mission Bassin Minier (Licence Ouverte)" in html
    assert "map.attributionControl.addAttribution(" in html
    config = client_js([p for layer in layers for p in layer.parts], bundle_url="/x.json")
    parts = json.loads(config[config.rindex("erbmSetup(") + 10 : config.rindex(");")])["parts"]
    assert {"unesco", "cites", "cites_contours", "cites_marqueurs"} <= set(parts)


def test_a_click_on_an_outline_selects_its_cite() -> None:
    from ui.mapview import clicked_feature

    assert clicked_feature({"clicked_feature": {"kind": cites.OUTLINE_KIND, "ref": "552"}}) == ("cite", "552")
    assert clicked_feature({"clicked_feature": {"kind": "commune", "ref": "62498"}}) == ("commune", "62498")
