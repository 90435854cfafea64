"""Road projects, drawn dashed and labelled « tracé indicatif » unless a real geometry was supplied."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import features
from layers.spec import BuiltLayer, LegendEntry, LegendSection, Part
from layers.style import Fill, Hover, LayerStyle, Look, Row, Stroke, Symbol, Variant, When

COLOR = "#000000"
TITLE = "Projets routiers"
INDICATIVE = "tracé indicatif"

STYLE = LayerStyle(
    base=Look(stroke=Stroke(COLOR, 5, opacity=0.85), fill=Fill("#ffffff", 1), radius=9),
    variants=(Variant(When("trace", INDICATIVE), Look(stroke=Stroke(COLOR, 5, (10, 8), opacity=0.85))),),
    point=Symbol("circle", 9),
    hover=Hover(width=8),
    tooltip=(Row("Projet", "nom_trace"), Row("Avancement", "statut"), Row("Coût", "cout")),
)


def bundle_features(roads: gpd.GeoDataFrame) -> dict[str, object]:
    """The road projects (EPSG:4326) for the static bundle, as GeoJSON (lines and interchanges)."""
    gdf = roads.assign(nom_trace=roads["nom"] + " (" + roads["trace"] + ")")
    if "cout" not in gdf.columns:  # data built before the roads had their own figures
        gdf = gdf.assign(cout="non renseigné")
    return features(gdf, ["nom_trace", "statut", "trace", "cout"], kind="route", id_column="id")


def build(roads: gpd.GeoDataFrame, *, show: bool = True) -> BuiltLayer:
    """``roads``: the attributes of the projects (geometries travel in the static bundle)."""
    legend = LegendSection(
        "Projets routiers",
        (
            LegendEntry("tracé indicatif (pas de géométrie levée)", COLOR, "dashed"),
            *(
                [LegendEntry("géométrie fournie (levée)", COLOR, "line")]
                if (roads["trace"] != INDICATIVE).any()
                else []
            ),
            LegendEntry("échangeur (position indicative)", STYLE.base.fill.color, "circle"),  # type: ignore[union-attr]
        ),
        note="Tracé indicatif : passe par les points d'ancrage publiés ou, à défaut, par les communes citées",
    )
    return BuiltLayer("routes", TITLE, (Part("routes", STYLE),), legend, show=show, feature_count=len(roads))
