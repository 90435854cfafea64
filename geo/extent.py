"""Extents for the map view: bounds in EPSG:4326 and the zoom that fits them."""

from __future__ import annotations

import math

import geopandas as gpd

from geo.crs import LAMBERT93, WGS84, require_crs

Bounds = tuple[float, float, float, float]  # south, west, north, east (degrees)


def display_bounds(gdf: gpd.GeoDataFrame, *, pad_m: float = 1500.0) -> Bounds:
    """Bounds of a Lambert-93 frame, padded in metres, as (south, west, north, east) in WGS84."""
    require_crs(gdf, LAMBERT93, what="display_bounds")
    minx, miny, maxx, maxy = gdf.total_bounds
    box = gpd.GeoSeries.from_xy([minx - pad_m, maxx + pad_m], [miny - pad_m, maxy + pad_m], crs=LAMBERT93)
    lon, lat = box.to_crs(WGS84).x, box.to_crs(WGS84).y
    return (float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max()))


def zoom_for(bounds: Bounds, *, width_px: int = 900, height_px: int = 650, max_zoom: int = 14) -> int:
    """Largest web-mercator zoom at which ``bounds`` fits in a map of the given size."""
    south, west, north, east = bounds

    def merc_y(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return math.log((1 + s) / (1 - s)) / 2

    lon_frac = max((east - west) / 360.0, 1e-9)
    lat_frac = max((merc_y(north) - merc_y(south)) / (2 * math.pi), 1e-9)
    zx = math.log2(width_px / 256 / lon_frac)
    zy = math.log2(height_px / 256 / lat_frac)
    return max(1, min(max_zoom, math.floor(min(zx, zy))))


def center_of(bounds: Bounds) -> tuple[float, float]:
    south, west, north, east = bounds
    return ((south + north) / 2, (west + east) / 2)
