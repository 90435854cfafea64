"""The embedded datasets, checked against the facts the issue and the sources give."""

from __future__ import annotations

import hashlib
import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from core.vocab import NON_RENSEIGNE, STATUSES
from domain.inventory import inventory
from geo.load import Territory
from geo.ops import coverage_problems
from settings import get_settings


def test_perimeter_has_250_communes_and_their_population(territory: Territory) -> None:
    perim = territory.perimeter_communes
    assert len(perim) == 250
    assert perim["insee"].is_unique
    assert int(perim["population"].sum()) == 1_185_930
    assert perim["dep"].value_counts().to_dict() == {"62": 132, "59": 118}
    assert perim.set_index("insee").loc["62498", "nom"] == "Lens"


def test_reference_list_is_the_perimeter(territory: Territory) -> None:
    ref = pd.read_csv(get_settings().data_dir / "sources/reference/erbm_communes.csv", dtype=str)
    assert set(ref["insee"]) == set(territory.perimeter_communes["insee"])


def test_eight_signatory_epci_hold_224_perimeter_communes(territory: Territory) -> None:
    signatories = territory.epci[territory.epci["signataire"]]
    assert len(signatories) == 8
    assert int(territory.perimeter_communes["epci_signataire"].sum()) == 224
    assert int(signatories["communes_hors_perimetre"].sum()) == 112
    lens = territory.epci.set_index("siren").loc["246200364"]
    assert (lens["communes_total"], lens["communes_perimetre"]) == (36, 33)
    others = territory.epci[~territory.epci["signataire"]]["nom"].tolist()
    assert "Métropole Européenne de Lille" in others and len(others) == 5


def test_epci_polygon_is_the_union_of_its_communes(territory: Territory) -> None:
    hc = territory.epci.set_index("siren").loc["246200299"]  # Hénin-Carvin, 14 communes
    members = territory.communes[territory.communes["epci_siren"] == "246200299"]
    assert len(members) == 14
    assert hc.geometry.area == pytest.approx(members.geometry.area.sum(), rel=1e-6)


def test_bud_has_159_communes_with_exactly_one_open_slot(territory: Territory) -> None:
    inv = inventory(territory)["bud"]
    assert inv["count"] == 159
    assert inv["unresolved_slots"] == 1
    assert (inv["classed_2018"], inv["classed_2019"]) == (150, 9)
    assert inv["candidates"] == ["Ecquedecques", "Oblinghem", "Vendin-lès-Béthune"]
    assert inv["outside_perimeter"] == 14
    outside = territory.communes[
        territory.communes["bud_statut"].str.startswith("classée") & ~territory.communes["perimetre_erbm"]
    ]
    assert {"Arleux", "Isbergues", "Aire-sur-la-Lys"} <= set(outside["nom"])


def test_bud_zone_covers_classed_communes_and_keeps_candidates_apart(territory: Territory) -> None:
    zone = territory.bud_zone.set_index("statut")
    assert zone.loc["classée", "communes"] == 158
    assert zone.loc["à confirmer", "communes"] == 3
    classed = territory.communes[territory.communes["bud_statut"].str.startswith("classée")]
    assert zone.loc["classée"].geometry.area == pytest.approx(classed.geometry.area.sum(), rel=1e-6)
    assert not zone.loc["classée"].geometry.intersection(zone.loc["à confirmer"].geometry).area > 1


def test_bud_method_is_kept_per_commune(territory: Territory) -> None:
    c = territory.communes.set_index("insee")
    assert c.loc["59002", "bud_methode"] == "lu"  # Abscon, read in the arrêté list
    assert c.loc["62033", "bud_methode"] == "déduit"
    assert c.loc["62632", "bud_statut"] == "à confirmer"  # Oblinghem
    assert "anct" in c.loc["62033", "bud_source"].lower()


def test_59_cites_each_in_the_commune_its_source_names(territory: Territory) -> None:
    cites = territory.cites
    assert len(cites) == 59
    assert cites["id"].is_unique
    communes = territory.communes.set_index("insee")
    inside = [communes.loc[c.insee, "geometry"].buffer(250).contains(c.geometry) for c in cites.itertuples()]
    assert all(inside)
    barrois = cites.set_index("id").loc["552"]
    assert (barrois["nom"], barrois["commune"], barrois["insee"]) == ("Cité Barrois", "Pecquencourt", "59456")


def test_cite_status_uses_one_vocabulary_and_cites_its_source(territory: Territory) -> None:
    cites = territory.cites
    assert set(cites["statut"]) <= set(STATUSES)
    known = cites[cites["statut"] != NON_RENSEIGNE]
    assert len(known) > 0
    assert (known["statut_date"] != "").all()
    assert known["statut_source"].isin(territory.documents["doc_id"]).all()
    assert (known["statut_citation"].str.len() > 10).all()


def test_housing_counts_carry_their_source(territory: Territory) -> None:
    with_count = territory.cites[territory.cites["logements"].notna()]
    assert len(with_count) > 0
    assert (with_count["logements_source"] != "").all()
    assert int(territory.cites.set_index("id").loc["552", "logements"]) == 320  # Cité Barrois


def test_no_gap_or_overlap_between_neighbouring_communes(territory: Territory) -> None:
    assert coverage_problems(territory.communes, gap_width_m=1.0) == 0
    assert shapely.coverage_is_valid(territory.communes.geometry.values)


def test_roads_are_indicative_and_documented(territory: Territory) -> None:
    roads = territory.roads.set_index("id")
    assert sorted(roads.index) == ["a21", "a21-echangeur-31", "contournement-nord-valenciennes", "rn17"]
    assert (roads["trace"] == "tracé indicatif").all()
    assert (roads["source"] != "").all()
    assert roads.loc["contournement-nord-valenciennes", "longueur"] == "5,2 km"
    assert roads.loc["a21"].geometry.geom_type == "LineString"
    assert "coordonnées publiées" in roads.loc["a21", "trace_methode"]


def test_every_indicator_point_has_a_document_and_a_date(territory: Territory) -> None:
    ind = territory.indicators
    assert len(ind) > 10
    undated = ind[ind["as_of"] == ""]
    assert (undated["note"].str.len() > 5).all()  # an undated figure says why
    assert ind["doc_id"].isin(territory.documents["doc_id"]).all()
    assert (ind["quote"].str.len() > 5).all()
    target = ind[(ind["indicator"].str.contains("logements")) & (ind["target"] == "23000")]
    assert len(target) >= 1


def test_all_layers_are_lambert93(territory: Territory) -> None:
    for name in ("communes", "epci", "departements", "bud_zone", "cites", "roads", "labels"):
        gdf = getattr(territory, name)
        assert isinstance(gdf, gpd.GeoDataFrame)
        assert gdf.crs.to_epsg() == 2154, name


def test_build_reproduces_committed_files(tmp_path) -> None:
    from data.build import build_all

    built = build_all(tmp_path)
    committed = json.loads((get_settings().data_dir / "manifest.json").read_text(encoding="utf-8"))
    for name, info in committed["outputs"].items():
        assert built["outputs"][name]["rows"] == info["rows"], name
        digest = hashlib.sha256((get_settings().data_dir / name).read_bytes()).hexdigest()
        assert digest == info["sha256"], f"{name} differs from its manifest entry"
        assert built["outputs"][name]["sha256"] == info["sha256"], f"{name} is not what build-data produces"
