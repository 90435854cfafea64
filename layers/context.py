"""Offline context basemap: département outlines, neighbouring communes and place names."""

from __future__ import annotations

import geopandas as gpd
import shapely

from geo.crs import LAMBERT93, WGS84, require_crs
from layers._geojson import Record, features
from layers.spec import BuiltLayer, LegendEntry, LegendSection, Part
from layers.style import Fill, LayerStyle, Look, Stroke, Symbol

TITLE = "Contexte (départements, communes voisines, villes)"
# Neighbours drawn around the perimeter: enough to frame it, few enough to keep the bundle light
# (each kilometre of band is about 2 kB of compressed borders).
NEIGHBOURS_M = 5_000.0

# Not interactive: context must never steal a click.
NEIGHBOURS = LayerStyle(
    base=Look(stroke=Stroke("#c8c2b4", 0.5), fill=Fill("#f4f1ea", 1)),
    interactive=False,
)
DEPARTEMENTS = LayerStyle(base=Look(stroke=Stroke("#6b6358", 2.5, (8, 4))), interactive=False)
# Names are escaped when the bundle is built; the marker only places them.
PLACES = LayerStyle(
    base=Look(),
    point=Symbol("label", text_prop="nom", css_class="erbm-place"),
    interactive=False,
)


def near(neighbours: gpd.GeoDataFrame, perimeter: gpd.GeoDataFrame, *, within_m: float = NEIGHBOURS_M):
    """The neighbours (EPSG:4326) that come within ``within_m`` metres of the perimeter communes."""
    zone = perimeter.to_crs(LAMBERT93).union_all().buffer(within_m)
    return neighbours[neighbours.to_crs(LAMBERT93).intersects(zone)]


def bundle_records(departements: gpd.GeoDataFrame, neighbours: gpd.GeoDataFrame) -> dict[str, list[Record]]:
    """Polygons for the static bundle (EPSG:4326): neighbours and départements share their borders.

    Drawn for context only (never clicked, no tooltip), they carry no properties at all, and the
    neighbours travel as one multipolygon: one layer for the browser to build and draw instead of
    hundreds, each commune still outlined (each of its rings is stroked).
    """
    for gdf in (departements, neighbours):
        require_crs(gdf, WGS84, what="couche contexte")
    polygons = [p for g in neighbours.geometry for p in getattr(g, "geoms", [g])]
    return {
        "voisines": [(shapely.MultiPolygon(polygons), {})] if polygons else [],
        "departements": [(g, {}) for g in departements.geometry],
    }


def bundle_places(labels: gpd.GeoDataFrame) -> dict[str, object]:
    """The towns' names, most populous first: where two names would overlap, the map keeps the
    first one (layers/style.js)."""
    ordered = labels.sort_values("population", ascending=False, kind="stable")
    return features(ordered, ["nom"], kind="ville", id_column="nom")


def build(*, neighbours: int = 0) -> BuiltLayer:
    legend = LegendSection(
        "Contexte",
        (
            LegendEntry("Limite de département", DEPARTEMENTS.base.stroke.color, "dashed"),  # type: ignore[union-attr]
            LegendEntry("Commune hors périmètre", NEIGHBOURS.base.fill.color),  # type: ignore[union-attr]
        ),
        note="Contours : IGN ADMIN EXPRESS 2018 (Licence Ouverte)",
    )
    parts = (Part("voisines", NEIGHBOURS), Part("departements", DEPARTEMENTS), Part("villes", PLACES))
    return BuiltLayer("contexte", TITLE, parts, legend, feature_count=neighbours)
