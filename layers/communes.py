"""Communes of the perimeter, coloured by the indicator the user picks (choropleth)."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

from domain.metrics import CommuneIndicator
from layers._geojson import features
from layers.escape import escape_text
from layers.spec import BuiltLayer, LegendEntry, LegendSection

NO_DATA_COLOR = "#d9d9d9"
ZERO_COLOR = "#ffffff"


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def classify(values: pd.Series, *, k: int = 5) -> tuple[pd.Series, list[LegendEntry]]:
    """Colour per commune and legend for a numeric indicator.

    Natural breaks (Fisher-Jenks, mapclassify) on the positive values; zero is its own class
    because « aucune cité » is a fact, and missing values are « non renseigné ».
    """
    import branca.colormap as cm
    import mapclassify

    colors = pd.Series(NO_DATA_COLOR, index=values.index, dtype=object)
    entries: list[LegendEntry] = []
    known = values.dropna().astype(float)
    zero = known[known == 0]
    positive = known[known > 0]
    if len(zero):
        colors[zero.index] = ZERO_COLOR
        entries.append(LegendEntry(f"0 ({len(zero)})", ZERO_COLOR))
    if len(positive):
        classes = min(k, positive.nunique())
        if classes > 1:
            with warnings.catch_warnings():
                # Without numba mapclassify falls back to pure Python: fine for 250 values.
                warnings.simplefilter("ignore", UserWarning)
                scheme = mapclassify.FisherJenks(positive.to_numpy(), k=classes)
            bins, yb = scheme.bins, scheme.yb
        else:
            bins, yb = np.array([positive.max()]), np.zeros(len(positive), dtype=int)
        palette = cm.linear.YlGnBu_09.scale(0, len(bins)).to_step(len(bins))
        hexes = [palette.rgb_hex_str(i + 0.5) for i in range(len(bins))]
        colors[positive.index] = [hexes[c] for c in yb]
        low = positive.min()
        for i, upper in enumerate(bins):
            n = int((yb == i).sum())
            entries.append(LegendEntry(f"{_fmt(low)} – {_fmt(upper)} ({n})", hexes[i]))
            low = upper
    missing = int(values.isna().sum())
    if missing:
        entries.append(LegendEntry(f"non renseigné ({missing})", NO_DATA_COLOR))
    return colors, entries


def categorical(values: pd.Series, categories: tuple[tuple[str, str], ...]) -> tuple[pd.Series, list[LegendEntry]]:
    palette = dict(categories)
    colors = values.map(palette).fillna(NO_DATA_COLOR)
    counts = values.value_counts()
    entries = [LegendEntry(f"{v} ({int(counts.get(v, 0))})", c) for v, c in categories if counts.get(v, 0)]
    return colors, entries


def build(
    communes: gpd.GeoDataFrame,
    values: pd.Series,
    indicator: CommuneIndicator,
    *,
    highlight: set[str] | None = None,
    dim_others: bool = False,
    show: bool = True,
) -> BuiltLayer:
    """``communes``: perimeter communes in EPSG:4326; ``values``: indicator by INSEE code."""
    import folium

    values = values.reindex(communes["insee"].to_numpy())
    values.index = communes.index
    if indicator.kind == "numeric":
        colors, entries = classify(values)
        shown = values.map(lambda v: "non renseigné" if pd.isna(v) else f"{_fmt(v)} {indicator.unit}")
    else:
        colors, entries = categorical(values, indicator.categories)
        shown = values.fillna("non renseigné")
    gdf = communes.assign(_color=colors.to_numpy(), valeur=shown.to_numpy())
    data = features(gdf, ["nom", "insee", "valeur", "_color"], kind="commune", id_column="insee")
    highlight = highlight or set()

    def style(feature: dict) -> dict:
        hl = feature["properties"]["ref"] in highlight
        # « Mon territoire » dims the rest of the perimeter so the chosen territory stands out.
        faded = dim_others and not hl
        return {
            "fillColor": feature["properties"]["_color"],
            "fillOpacity": 0.2 if faded else 0.75,
            "color": "#000000" if hl else "#555555",
            "weight": 3 if hl else 0.6,
        }

    group = folium.FeatureGroup(name="Communes du périmètre", show=show)
    folium.GeoJson(
        data,
        name="Communes du périmètre",
        style_function=style,
        highlight_function=lambda _f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["nom", "insee", "valeur"],
            aliases=["Commune", "INSEE", escape_text(indicator.label)],
            sticky=True,
        ),
        smooth_factor=0.5,
    ).add_to(group)
    legend = LegendSection(f"Communes : {indicator.label}", tuple(entries), note=f"Source : {indicator.source}")
    return BuiltLayer("communes", "Communes du périmètre", group, legend, show=show, feature_count=len(gdf))
