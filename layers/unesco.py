"""« Patrimoine mondial UNESCO »: the bien inscrit (2012) and its cités minières, off by default.

Both come from the Mission Bassin Minier's UNESCO layers (L93 2018, Licence Ouverte); their
geometry never changes while the server runs, so it travels in the static bundle.
"""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import Record, records
from layers.spec import BuiltLayer, LegendEntry, LegendSection, Part
from layers.style import Fill, Hover, LayerStyle, Look, Row, Stroke, Variant, When

KEY = "unesco"
TITLE = "Patrimoine mondial UNESCO"
PROPERTY = "#6A3D9A"
CITE = "#CC79A7"
BIEN = "bien inscrit"
CITE_MINIERE = "cité minière du bien inscrit"

STYLE = LayerStyle(
    base=Look(stroke=Stroke(PROPERTY, 1.5), fill=Fill(PROPERTY, 0.18)),
    variants=(Variant(When("nature", CITE_MINIERE), Look(stroke=Stroke(CITE, 1.2, (3, 2)), fill=Fill(CITE, 0.12))),),
    hover=Hover(width=3),
    tooltip=(Row("", "nature"), Row("Nom", "nom"), Row("", "detail")),
)
CITE_LOOK = STYLE.variant(prop="nature", equals=CITE_MINIERE)


def bundle_records(unesco: gpd.GeoDataFrame) -> list[Record]:
    """The property's elements, then its cités minières on top (EPSG:4326), for the static bundle."""
    ordered = unesco.sort_values("nature", key=lambda s: s != BIEN, kind="stable")
    return records(ordered, ["nature", "nom", "detail"], kind="unesco", id_column="id")


def build(unesco: gpd.GeoDataFrame, *, show: bool = False) -> BuiltLayer:
    """``unesco``: the layer's attributes (its geometries travel in the static bundle)."""
    counts = unesco["nature"].value_counts()
    legend = LegendSection(
        "Patrimoine mondial UNESCO (bien inscrit en 2012)",
        (
            LegendEntry(f"Élément du bien inscrit ({int(counts.get(BIEN, 0))})", PROPERTY),
            LegendEntry(f"Cité minière du bien inscrit ({int(counts.get(CITE_MINIERE, 0))})", CITE, "hatched"),
        ),
        note="Mission Bassin Minier, couches UNESCO - L93 2018 (Licence Ouverte)",
    )
    return BuiltLayer(KEY, TITLE, (Part(KEY, STYLE),), legend, show=show, feature_count=len(unesco))
