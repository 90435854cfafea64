"""Pure geometric operations on GeoDataFrames in Lambert-93 (EPSG:2154)."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

from geo.crs import LAMBERT93, require_crs


def dissolve_by(
    gdf: gpd.GeoDataFrame,
    by: str,
    *,
    aggfunc: dict[str, str | object] | None = None,
) -> gpd.GeoDataFrame:
    """Union the geometries of ``gdf`` grouped by column ``by``.

    ``shapely.coverage_union`` is used because the input is a coverage (communes): it is
    exact for shared borders and far faster than a generic union.
    """
    require_crs(gdf, LAMBERT93, what="dissolve_by")
    grouped = gdf.groupby(by, sort=True)
    geoms = grouped[gdf.geometry.name].agg(lambda g: shapely.coverage_union_all(g.values))
    out = pd.DataFrame({by: geoms.index, "geometry": geoms.to_numpy()})
    if aggfunc:
        attrs = grouped.agg(aggfunc).reset_index(drop=True)
        out = pd.concat([out, attrs], axis=1)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=gdf.crs)


def simplify_coverage(gdf: gpd.GeoDataFrame, *, tolerance_m: float) -> gpd.GeoDataFrame:
    """Simplify polygons as a coverage: shared borders stay shared, no gap or overlap appears."""
    require_crs(gdf, LAMBERT93, what="simplify_coverage")
    if tolerance_m <= 0:
        raise ValueError("tolerance_m must be positive")
    out = gdf.copy()
    out["geometry"] = gdf.geometry.simplify_coverage(tolerance_m)
    return out


def clean_coverage(gdf: gpd.GeoDataFrame, *, gap_width_m: float) -> gpd.GeoDataFrame:
    """Make a set of polygons a clean coverage: no overlap, gaps narrower than ``gap_width_m``
    closed, shared edges identical. Needed before ``simplify_coverage``, which assumes it."""
    require_crs(gdf, LAMBERT93, what="clean_coverage")
    out = gdf.copy()
    cleaned = shapely.coverage_clean(gdf.geometry.values, gap_width=gap_width_m)
    out["geometry"] = gpd.GeoSeries(cleaned, index=gdf.index, crs=gdf.crs).make_valid()
    return out


def coverage_problems(gdf: gpd.GeoDataFrame, *, gap_width_m: float = 1.0) -> int:
    """Count polygons with an overlap, a mismatched border or a gap narrower than ``gap_width_m``."""
    require_crs(gdf, LAMBERT93, what="coverage_problems")
    edges = shapely.coverage_invalid_edges(gdf.geometry.values, gap_width=gap_width_m)
    return int(np.count_nonzero(~shapely.is_empty(edges)))


def representative_points(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """A point guaranteed inside each polygon (unlike the centroid of a crescent-shaped commune)."""
    require_crs(gdf, LAMBERT93, what="representative_points")
    return gdf.geometry.representative_point()


def line_through(points: Sequence[Point]) -> LineString:
    """A polyline through ordered points, consecutive duplicates removed."""
    coords: list[tuple[float, float]] = []
    for p in points:
        xy = (p.x, p.y)
        if not coords or coords[-1] != xy:
            coords.append(xy)
    if len(coords) < 2:
        raise ValueError("an indicative trace needs at least two distinct points")
    return LineString(coords)


def points_in_polygons(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, *, id_column: str) -> pd.Series:
    """For each point, the ``id_column`` of the polygon that contains it (NA when none)."""
    require_crs(points, LAMBERT93, what="points_in_polygons (points)")
    require_crs(polygons, LAMBERT93, what="points_in_polygons (polygones)")
    joined = gpd.sjoin(points[["geometry"]], polygons[[id_column, "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined[id_column].reindex(points.index)
