"""Exports of a layer as CSV or GeoJSON (EPSG:4326), stamped with the data date and sources."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd

from core.text import neutralise_formula
from geo.crs import LAMBERT93, WGS84, require_crs


def _plain(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    require_crs(gdf, LAMBERT93, what="export")
    out = gdf.to_crs(WGS84)
    for col in out.columns:
        if col != out.geometry.name and out[col].dtype == "Int64":
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


# French spreadsheets (Excel set to French) split columns on semicolons, as in the update template.
FRENCH_SEPARATOR = ";"
PLAIN_SEPARATOR = ","


def to_csv(gdf: gpd.GeoDataFrame, *, stamp: dict[str, str], sep: str = FRENCH_SEPARATOR) -> str:
    """CSV with every attribute, the geometry as WKT (EPSG:4326) and the stamp as columns; ``sep``:
    ``;`` (French spreadsheets, the default) or ``,`` (tools)."""
    if sep not in (FRENCH_SEPARATOR, PLAIN_SEPARATOR):
        raise ValueError(f"séparateur CSV inconnu : {sep!r} (« ; » ou « , »)")
    out = _plain(gdf)
    frame = pd.DataFrame(out.drop(columns=out.geometry.name))
    frame["geometrie_wkt_epsg4326"] = out.geometry.to_wkt(rounding_precision=6)
    for key, value in stamp.items():
        frame[key] = value
    for col in frame.columns:
        # Column by column, as objects: DataFrame.map re-infers dtypes and would write 139 as 139.0.
        frame[col] = pd.Series([neutralise_formula(v) for v in frame[col]], index=frame.index, dtype=object)
    buf = io.StringIO()
    frame.to_csv(buf, index=False, sep=sep, lineterminator="\n")
    return buf.getvalue()


def to_geojson(gdf: gpd.GeoDataFrame, *, stamp: dict[str, str]) -> str:
    """GeoJSON FeatureCollection; the stamp is a top-level ``metadata`` member."""
    out = _plain(gdf)
    data = json.loads(out.to_json(na="null", drop_id=True, to_wgs84=False))
    data["metadata"] = stamp
    return json.dumps(data, ensure_ascii=False)
