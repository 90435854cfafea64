"""CRS rules: EPSG:2154 (Lambert-93) for areas and lengths, EPSG:4326 only for display."""

from __future__ import annotations

import geopandas as gpd

LAMBERT93 = "EPSG:2154"
WGS84 = "EPSG:4326"


class CRSError(ValueError):
    """A GeoDataFrame reached a function in the wrong coordinate reference system."""


def require_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries, expected: str, *, what: str = "données") -> None:
    """Raise CRSError unless ``gdf`` is in ``expected``; never reprojects silently."""
    if gdf.crs is None:
        raise CRSError(f"{what} : système de coordonnées absent (attendu {expected})")
    if not gdf.crs.equals(expected):
        raise CRSError(f"{what} : système de coordonnées {gdf.crs.to_string()} (attendu {expected})")


def to_display(gdf: gpd.GeoDataFrame, *, precision: int = 5) -> gpd.GeoDataFrame:
    """Reproject a Lambert-93 frame to WGS84 for the browser, rounding coordinates.

    5 decimals is about 1 m at this latitude, far below what a web map can show; vertices
    shared by neighbours are rounded identically, so borders still match exactly.
    """
    import shapely

    require_crs(gdf, LAMBERT93, what="couche à afficher")
    out = gdf.to_crs(WGS84)
    out = out.set_geometry(shapely.set_precision(out.geometry.values, 10**-precision, mode="pointwise"))
    return out
