"""Turn a display-ready GeoDataFrame into escaped GeoJSON with only the columns shown."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd

from geo.crs import WGS84, require_crs
from layers.escape import escape_properties


def features(gdf: gpd.GeoDataFrame, columns: Sequence[str], *, kind: str, id_column: str) -> dict[str, object]:
    """A FeatureCollection with ``kind`` and ``ref`` on every feature, all text escaped.

    ``kind`` and ``ref`` let a click be mapped back to the full record on the server, so the
    browser never needs more than the few columns it displays.
    """
    require_crs(gdf, WGS84, what=f"couche {kind}")
    feats = []
    geo = gdf.geometry.__geo_interface__["features"]
    for (_, row), g in zip(gdf[list(dict.fromkeys([id_column, *columns]))].iterrows(), geo, strict=True):
        props = {"kind": kind, "ref": str(row[id_column]), **{c: row[c] for c in columns}}
        feats.append({"type": "Feature", "properties": escape_properties(props), "geometry": g["geometry"]})
    return {"type": "FeatureCollection", "features": feats}
