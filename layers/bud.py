"""The Bassin urbain à dynamiser: the classed zone, and the one unresolved slot kept apart."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import features
from layers.spec import BuiltLayer, LegendEntry, LegendSection

CLASSED = "#CC79A7"
PENDING = "#E69F00"


def build(zone: gpd.GeoDataFrame, *, show: bool = False) -> BuiltLayer:
    import folium

    data = features(zone, ["statut", "communes", "libelle"], kind="bud", id_column="statut")

    def style(feature: dict) -> dict:
        pending = feature["properties"]["statut"] == "à confirmer"
        return {
            "fillColor": PENDING if pending else CLASSED,
            "fillOpacity": 0.35,
            "color": PENDING if pending else CLASSED,
            "weight": 2.5,
            "dashArray": "4 4" if pending else None,
        }

    group = folium.FeatureGroup(name="Zone BUD", show=show)
    folium.GeoJson(
        data,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["libelle", "communes"], aliases=["", "Communes"], sticky=True),
    ).add_to(group)
    counts = dict(zip(zone["statut"], zone["communes"], strict=True))
    legend = LegendSection(
        "Bassin urbain à dynamiser (BUD)",
        (
            LegendEntry(f"Commune classée ({counts.get('classée', 0)})", CLASSED),
            LegendEntry(f"Créneau à confirmer : 1 commune parmi {counts.get('à confirmer', 0)}", PENDING, "hatched"),
        ),
        note="159 communes (arrêtés du 14/02/2018 et du 11/04/2019), dont 14 hors périmètre ERBM",
    )
    return BuiltLayer("bud", "Zone BUD", group, legend, show=show, feature_count=len(zone))
