"""A surveyed road geometry supplied by a user, checked before it replaces an indicative trace."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from core.errors import Problem
from geo.crs import LAMBERT93
from geo.errors import DataFileError

ACCEPTED_SUFFIXES = (".geojson", ".json", ".gpkg")
LINE_TYPES = {"LineString", "MultiLineString"}


def read_road_geometry(path: Path, *, perimeter: BaseGeometry, tolerance_m: float = 2_000.0) -> BaseGeometry:
    """The line(s) of a GeoJSON or GeoPackage file, in Lambert-93, merged into one geometry.

    Refuses, with a French message naming the file and the feature, a file that cannot be read,
    has no coordinate system, holds something other than lines, holds an invalid line, or lies
    away from the ERBM perimeter (``perimeter`` in Lambert-93, ``tolerance_m`` around it).
    """
    name = str(path)
    if path.suffix.lower() not in ACCEPTED_SUFFIXES:
        raise DataFileError(name, [Problem("format non pris en charge (GeoJSON ou GeoPackage attendu)")])
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:
        raise DataFileError(name, [Problem(f"fichier illisible ({type(exc).__name__})")]) from exc
    if gdf.empty:
        raise DataFileError(name, [Problem("le fichier ne contient aucun objet")])
    if gdf.crs is None:
        raise DataFileError(name, [Problem("système de coordonnées absent")])
    problems = []
    for pos, geom in enumerate(gdf.geometry):
        if geom is None or geom.is_empty:
            problems.append(Problem("géométrie absente", pos + 1, "geometry"))
        elif geom.geom_type not in LINE_TYPES:
            problems.append(Problem(f"géométrie de type {geom.geom_type} (ligne attendue)", pos + 1, "geometry"))
        elif not geom.is_valid:
            problems.append(Problem(f"ligne invalide ({shapely.is_valid_reason(geom)})", pos + 1, "geometry"))
    if problems:
        raise DataFileError(name, problems)
    line = shapely.line_merge(shapely.union_all(gdf.to_crs(LAMBERT93).geometry.values))
    if not perimeter.buffer(tolerance_m).intersects(line):
        raise DataFileError(
            name, [Problem("le tracé est loin du périmètre ERBM (mauvais fichier ou mauvaises coordonnées ?)")]
        )
    return line
