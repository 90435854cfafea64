"""Cités as circles coloured by status (Okabe-Ito palette) and sized by housing count."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd

from domain.status import NON_RENSEIGNE, STATUS_COLORS, STATUSES
from layers._geojson import features
from layers.spec import BuiltLayer, LegendEntry, LegendSection

BASE_RADIUS = 5.0


def radius(logements: object) -> float:
    """Area proportional to housing count; unknown counts get the base size and a dashed ring."""
    try:
        n = float(logements)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return BASE_RADIUS
    if math.isnan(n) or n <= 0:
        return BASE_RADIUS
    return BASE_RADIUS + 0.6 * math.sqrt(n)


def build(cites: gpd.GeoDataFrame, *, show: bool = True) -> BuiltLayer:
    """``cites``: the filtered cités in EPSG:4326."""
    import folium

    gdf = cites.assign(
        logements_txt=cites["logements"].map(lambda v: NON_RENSEIGNE if pd.isna(v) else f"{int(v)} logements"),
        _r=cites["logements"].map(radius),
        _known=cites["logements"].notna(),
    )
    data = features(
        gdf,
        ["nom", "commune", "statut", "logements_txt", "bailleur", "_r", "_known"],
        kind="cite",
        id_column="id",
    )

    def style(feature: dict) -> dict:
        p = feature["properties"]
        return {
            "radius": p["_r"],
            "fill": True,
            "fillColor": STATUS_COLORS.get(p["statut"], STATUS_COLORS[NON_RENSEIGNE]),
            "fillOpacity": 0.9,
            "color": "#111111",
            "weight": 1.5 if p["_known"] else 1,
            "dashArray": None if p["_known"] else "2 2",
        }

    group = folium.FeatureGroup(name="Cités minières", show=show)
    # folium's tooltip refuses an empty collection: a filter matching no cité keeps an empty layer.
    if len(gdf):
        folium.GeoJson(
            data,
            style_function=style,
            marker=folium.CircleMarker(radius=BASE_RADIUS),
            tooltip=folium.GeoJsonTooltip(
                fields=["nom", "commune", "statut", "logements_txt"],
                aliases=["Cité", "Commune", "Statut", "Logements"],
                sticky=True,
            ),
            highlight_function=lambda _f: {"weight": 4},
        ).add_to(group)
    counts = cites["statut"].value_counts()
    entries = tuple(LegendEntry(f"{s} ({int(counts.get(s, 0))})", STATUS_COLORS[s], "circle") for s in STATUSES) + (
        LegendEntry("taille : nombre de logements (cercle pointillé : non renseigné)", "#ffffff", "circle", 10),
    )
    legend = LegendSection(f"Cités ({len(cites)} affichées)", entries, note="Statut déduit des faits sourcés datés")
    return BuiltLayer("cites", "Cités minières", group, legend, show=show, feature_count=len(cites))
