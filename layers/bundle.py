"""The static bundle: every geometry of the map that never changes while the server runs.

One JSON file, written once under the app's static folder with its content's hash in its name
(so a browser may keep it as long as it likes), served gzip-compressed by Streamlit at
``/app/static/`` and fetched by the map. The polygon layers travel as one TopoJSON topology
(each shared border once); the few lines and points as GeoJSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from layers import bud, cites, communes, context, epci, roads, unesco
from layers.topojson import topology
from settings import get_settings

FOLDER = "bundles"
# Borders drawn only as context (neighbouring communes, départements away from the perimeter)
# are simplified this much more: about a pixel at the default zoom, half the bundle's vertices.
CONTEXT_SIMPLIFY_M = 150.0
URL_PREFIX = "/app/static/" + FOLDER


@dataclass(frozen=True)
class Bundle:
    url: str
    path: Path
    sha: str
    size: int


def bundle_data(
    *,
    communes_gdf: gpd.GeoDataFrame,
    neighbours: gpd.GeoDataFrame,
    departements: gpd.GeoDataFrame,
    labels: gpd.GeoDataFrame,
    epci_gdf: gpd.GeoDataFrame,
    bud_zone: gpd.GeoDataFrame,
    roads_gdf: gpd.GeoDataFrame,
    unesco_gdf: gpd.GeoDataFrame | None = None,
    cite_outlines: gpd.GeoDataFrame | None = None,
    extra_geojson: dict[str, object] | None = None,
) -> dict[str, object]:
    """The bundle's content; every frame in EPSG:4326, every text escaped by the layer modules."""
    objects = {
        **context.bundle_records(departements, context.near(neighbours, communes_gdf)),
        "communes": communes.bundle_records(communes_gdf),
        "epci": epci.bundle_records(epci_gdf),
        "bud": bud.bundle_records(bud_zone),
    }
    if unesco_gdf is not None:
        objects["unesco"] = unesco.bundle_records(unesco_gdf)
    if cite_outlines is not None:  # the shapes only: each run sends which cités, and their values
        objects[cites.SHAPES] = cites.bundle_records(cite_outlines)
    return {
        "topology": topology(objects, coarse={"voisines": CONTEXT_SIMPLIFY_M, "departements": CONTEXT_SIMPLIFY_M}),
        "geojson": {
            "routes": roads.bundle_features(roads_gdf),
            "villes": context.bundle_places(labels),
            **(extra_geojson or {}),  # other static point layers (the programme's actions)
        },
    }


def publish(data: dict[str, object], *, static_dir: Path | None = None, name: str = "carte") -> Bundle:
    """Write ``data`` as ``<static>/bundles/<name>-<hash>.json`` unless already there; return where."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return publish_bytes(payload, name=name, ext="json", static_dir=static_dir)


def publish_bytes(payload: bytes, *, name: str, ext: str, static_dir: Path | None = None) -> Bundle:
    """Write ``payload`` as ``<static>/bundles/<name>-<hash>.<ext>`` unless already there; return where."""
    sha = hashlib.sha256(payload).hexdigest()[:16]
    folder = (static_dir if static_dir is not None else get_settings().static_dir) / FOLDER
    path = folder / f"{name}-{sha}.{ext}"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Generated at start-up from data/ and layers/: never versioned.
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        # Several sessions (or servers) may publish at once: write aside, then rename atomically.
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    return Bundle(url=f"{URL_PREFIX}/{path.name}", path=path, sha=sha, size=len(payload))
