"""Turn a display-ready GeoDataFrame into escaped features with only the columns shown."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84, require_crs
from layers.escape import escape_properties

Record = tuple[BaseGeometry | None, dict[str, object]]


def records(gdf: gpd.GeoDataFrame, columns: Sequence[str], *, kind: str, id_column: str) -> list[Record]:
    """(geometry, properties) per row, with ``kind`` and ``ref`` on every feature, all text escaped.

    ``kind`` and ``ref`` let a click be mapped back to the full record on the server, so the
    browser never needs more than the few columns it displays.
    """
    require_crs(gdf, WGS84, what=f"couche {kind}")
    rows = gdf[list(dict.fromkeys([id_column, *columns]))].to_dict("records")
    return [
        (geom, escape_properties({"kind": kind, "ref": str(row[id_column]), **{c: row[c] for c in columns}}))
        for row, geom in zip(rows, gdf.geometry, strict=True)
    ]


def features(gdf: gpd.GeoDataFrame, columns: Sequence[str], *, kind: str, id_column: str) -> dict[str, object]:
    """A FeatureCollection of :func:`records`."""
    geo = gdf.geometry.__geo_interface__["features"]
    feats = [
        {"type": "Feature", "properties": props, "geometry": g["geometry"]}
        for (_, props), g in zip(records(gdf, columns, kind=kind, id_column=id_column), geo, strict=True)
    ]
    return {"type": "FeatureCollection", "features": feats}
