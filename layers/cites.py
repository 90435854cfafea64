"""Cités as circles coloured by status (Okabe-Ito palette) and sized by housing count."""

from __future__ import annotations

import math

import geopandas as gpd

from core.text import format_count
from core.vocab import NON_RENSEIGNE, STATUSES
from layers._geojson import features
from layers.contrast import ink_on
from layers.spec import BuiltLayer, LegendEntry, LegendSection, Part
from layers.style import Fill, Hover, Label, LayerStyle, Look, Palette, Row, Stroke, Symbol, Variant, When

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


# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
STATUS_COLORS: dict[str, str] = {
    NON_RENSEIGNE: "#8c8c8c",
    "études": "#E69F00",
    "travaux logements": "#56B4E9",
    "travaux espaces publics": "#0072B2",
    "livrée": "#009E73",
}
PALETTE = Palette("statut", tuple(STATUS_COLORS.items()), STATUS_COLORS[NON_RENSEIGNE])
# Each status also has its shape, drawn on the circle (never colour alone: WCAG 1.4.1), in black or
# white, whichever contrasts most with the status colour (tests/test_palette.py).
STATUS_GLYPHS: dict[str, str] = {
    NON_RENSEIGNE: "?",
    "études": "▲",
    "travaux logements": "■",
    "travaux espaces publics": "◆",
    "livrée": "✔",
}
GLYPHS = tuple((s, STATUS_GLYPHS[s], ink_on(STATUS_COLORS[s])) for s in STATUS_COLORS)
RING = "#111111"
# A dashed, thinner ring: the housing count is unknown, so the circle's size says nothing.
STYLE = LayerStyle(
    base=Look(stroke=Stroke(RING, 1.5), fill=Fill(STATUS_COLORS[NON_RENSEIGNE], 0.9)),
    variants=(Variant(When("_known", False), Look(stroke=Stroke(RING, 1, (2, 2)))),),
    palette=PALETTE,
    radius_prop="_r",
    point=Symbol("circle", BASE_RADIUS, glyph_prop="statut", glyphs=GLYPHS),
    hover=Hover(width=4),
    tooltip=(Row("Cité", "nom"), Row("Commune", "commune"), Row("Statut", "statut"), Row("Logements", "logements_txt")),
    label=Label(6.0, color="#000000", italic=True),
)
TITLE = "Cités minières"


def build(cites: gpd.GeoDataFrame, *, show: bool = True) -> BuiltLayer:
    """``cites``: the filtered cités in EPSG:4326, sent with each run (they follow the filters)."""
    gdf = cites.assign(
        logements_txt=cites["logements"].map(lambda v: format_count(v, "logements")),
        _r=cites["logements"].map(radius).round(2),
        _known=cites["logements"].notna(),
    )
    data = features(gdf, ["nom", "commune", "statut", "logements_txt", "_r", "_known"], kind="cite", id_column="id")
    counts = cites["statut"].value_counts()
    entries = tuple(
        LegendEntry(f"{s} ({int(counts.get(s, 0))})", STATUS_COLORS[s], "circle", glyph=STATUS_GLYPHS[s])
        for s in STATUSES
    ) + (LegendEntry("taille : nombre de logements (cercle pointillé : non renseigné)", "#ffffff", "circle", 10),)
    legend = LegendSection(f"Cités ({len(cites)} affichées)", entries, note="Statut déduit des faits sourcés datés")
    return BuiltLayer(
        "cites",
        TITLE,
        (Part("cites", STYLE),),
        legend,
        show=show,
        feature_count=len(cites),
        features={"cites": data},
    )
