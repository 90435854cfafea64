"""A surveyed road geometry supplied by a user replaces the indicative trace, after checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from data.roads import SUPPLIED_LABEL, build_roads
from geo.errors import DataFileError
from geo.roads import read_road_geometry
from tests.cli_support import ROOT, cli_runner

# Two points on the RN17 between Avion and Vimy, as a user would draw them (EPSG:4326).
RN17 = [[2.8150, 50.4040], [2.8080, 50.3720]]


def _geojson(path: Path, geometry: dict) -> Path:
    path.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": geometry}]}
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def perimeter(territory):
    return territory.perimeter_communes.union_all()


def test_a_line_is_read_in_lambert93(tmp_path, perimeter) -> None:
    line = read_road_geometry(
        _geojson(tmp_path / "rn17.geojson", {"type": "LineString", "coordinates": RN17}), perimeter=perimeter
    )
    assert line.geom_type == "LineString"
    assert 3_400 < line.length < 3_800  # metres: the two points are about 3.6 km apart


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            {"type": "Point", "coordinates": RN17[0]},
            "ligne 1, champ « geometry » : géométrie de type Point (ligne attendue)",
        ),
        ({"type": "LineString", "coordinates": [[2.35, 48.85], [2.36, 48.86]]}, "loin du périmètre ERBM"),
    ],
)
def test_wrong_files_are_refused_in_french(tmp_path, perimeter, geometry, message) -> None:
    with pytest.raises(DataFileError) as err:
        read_road_geometry(_geojson(tmp_path / "x.geojson", geometry), perimeter=perimeter)
    assert message in str(err.value)
    assert "x.geojson" in str(err.value)


def test_unreadable_and_unsupported_files(tmp_path, perimeter) -> None:
    bad = tmp_path / "trace.geojson"
    bad.write_text("{pas du json", encoding="utf-8")
    with pytest.raises(DataFileError, match="fichier illisible"):
        read_road_geometry(bad, perimeter=perimeter)
    with pytest.raises(DataFileError, match="GeoJSON ou GeoPackage attendu"):
        read_road_geometry(tmp_path / "trace.shp", perimeter=perimeter)


def test_supplied_geometry_replaces_only_its_road(tmp_path, territory) -> None:
    _geojson(tmp_path / "rn17.geojson", {"type": "LineString", "coordinates": RN17})
    roads = build_roads(territory.communes, supplied=tmp_path).set_index("id")
    assert roads.loc["rn17", "trace"] == SUPPLIED_LABEL
    assert roads.loc["rn17", "trace_methode"].startswith("Géométrie fournie : rn17.geojson (SHA-256 ")
    assert 3_400 < roads.loc["rn17"].geometry.length < 3_800
    assert (roads.drop(index="rn17")["trace"] == "tracé indicatif").all()


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("rn17", "géométrie de type Point (ligne attendue)"),
        ("n2", "projet routier inconnu « n2 »"),
    ],
)
def test_cli_refuses_before_writing_anything(tmp_path, capsys, monkeypatch, route, message) -> None:
    point = _geojson(tmp_path / "p.geojson", {"type": "Point", "coordinates": RN17[0]})
    before = sorted((ROOT / "data").rglob("*"))
    run = cli_runner(capsys, monkeypatch)("import-route", route, str(point))
    assert run.returncode == 2
    assert message in run.stderr and "Traceback" not in run.stderr
    assert sorted((ROOT / "data").rglob("*")) == before
