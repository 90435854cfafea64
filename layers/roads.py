"""Road projects, drawn dashed and labelled « tracé indicatif » unless a real geometry was supplied."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import features
from layers.spec import BuiltLayer, LegendEntry, LegendSection

COLOR = "#000000"


def build(roads: gpd.GeoDataFrame, *, show: bool = True) -> BuiltLayer:
    import folium

    gdf = roads.assign(nom_trace=roads["nom"] + " (" + roads["trace"] + ")")
    data = features(gdf, ["nom_trace", "statut", "trace"], kind="route", id_column="id")

    def style(feature: dict) -> dict:
        indicative = feature["properties"]["trace"] == "tracé indicatif"
        return {
            "color": COLOR,
            "weight": 5,
            "opacity": 0.85,
            "dashArray": "10 8" if indicative else None,
            "radius": 9,
            "fillColor": "#ffffff",
            "fillOpacity": 1,
        }

    group = folium.FeatureGroup(name="Projets routiers", show=show)
    folium.GeoJson(
        data,
        style_function=style,
        marker=folium.CircleMarker(radius=9),
        tooltip=folium.GeoJsonTooltip(fields=["nom_trace", "statut"], aliases=["Projet", "Avancement"], sticky=True),
        highlight_function=lambda _f: {"weight": 8},
    ).add_to(group)
    legend = LegendSection(
        "Projets routiers",
        (
            LegendEntry("tracé indicatif (pas de géométrie levée)", COLOR, "dashed"),
            *(
                [LegendEntry("géométrie fournie (levée)", COLOR, "line")]
                if (roads["trace"] != "tracé indicatif").any()
                else []
            ),
            LegendEntry("échangeur (position indicative)", "#ffffff", "circle"),
        ),
        note="Tracé indicatif : passe par les points d'ancrage publiés ou, à défaut, par les communes citées",
    )
    return BuiltLayer("routes", "Projets routiers", group, legend, show=show, feature_count=len(roads))
