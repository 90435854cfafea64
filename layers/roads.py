"""Road projects, drawn dashed and labelled « tracé indicatif » unless a real geometry was supplied."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import features
from layers.spec import BuiltLayer, ClientSpec, LegendEntry, LegendSection, Part

COLOR = "#000000"
TITLE = "Projets routiers"
INDICATIVE = "tracé indicatif"

CLIENT = ClientSpec(
    style=f"""function(f){{
  return {{color: '{COLOR}', weight: 5, opacity: 0.85, dashArray: f.properties.trace === '{INDICATIVE}' ? '10 8' : null,
    radius: 9, fillColor: '#ffffff', fillOpacity: 1}};
}}""",
    point="function(f, ll){ return L.circleMarker(ll, {radius: 9}); }",
    tooltip="""function(f){
  return erbm.table([['Projet', f.properties.nom_trace], ['Avancement', f.properties.statut]]);
}""",
    hover="{weight: 8}",
)


def bundle_features(roads: gpd.GeoDataFrame) -> dict[str, object]:
    """The road projects (EPSG:4326) for the static bundle, as GeoJSON (lines and interchanges)."""
    gdf = roads.assign(nom_trace=roads["nom"] + " (" + roads["trace"] + ")")
    return features(gdf, ["nom_trace", "statut", "trace"], kind="route", id_column="id")


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
            LegendEntry("échangeur (position indicative)", "#ffffff", "circle"),
        ),
        note="Tracé indicatif : passe par les points d'ancrage publiés ou, à défaut, par les communes citées",
    )
    return BuiltLayer("routes", TITLE, (Part("routes", CLIENT),), legend, show=show, feature_count=len(roads))
