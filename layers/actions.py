"""The programme's located actions: a circle per action and commune, its colour and its glyph
saying the theme (the glyph, so that colour is never the only cue), a dashed ring when the point
only stands for the commune (« position : commune »: no source publishes the site).

The circles, with what their tooltip reads, travel once in the static bundle
(:func:`bundle_features`); each run sends only the glyphs of the actions the filters keep and,
when a filter is on, the references it keeps (the others are drawn empty: ``dimmed``)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from core.text import format_int
from core.vocab import NON_RENSEIGNE
from domain.actions import THEMES
from layers._geojson import features
from layers.escape import escape_text
from layers.spec import BuiltLayer, LegendEntry, LegendSection, Part
from layers.style import Fill, Hover, LayerStyle, Look, Palette, Row, Stroke, Symbol, Variant, When

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), one per theme.
THEME_COLORS: dict[str, str] = {
    "logement": "#CC79A7",
    "mobilité": "#0072B2",
    "santé": "#D55E00",
    "éducation-insertion": "#E69F00",
    "économie-foncier": "#000000",
    "énergie-environnement": "#F0E442",
    "culture-patrimoine-nature": "#009E73",
    "centralités": "#56B4E9",
}
# Glyphs of the common text fonts (no emoji font needed offline).
THEME_GLYPHS: dict[str, str] = {
    "logement": "⌂",
    "mobilité": "⇄",
    "santé": "✚",
    "éducation-insertion": "✎",
    "économie-foncier": "€",
    "énergie-environnement": "ϟ",
    "culture-patrimoine-nature": "✿",
    "centralités": "◎",
}
RADIUS = 8.0
RING = "#111111"
STYLE = LayerStyle(
    # The radius is restated so that a circle a filter emptied comes back at its size.
    base=Look(stroke=Stroke(RING, 2), fill=Fill(THEME_COLORS["économie-foncier"], 0.95), radius=RADIUS),
    variants=(
        Variant(When("position", "commune"), Look(stroke=Stroke(RING, 1.5, (3, 2)))),
        # Left out by the filters: nothing drawn, nothing to hover (Leaflet's setStyle ignores a
        # radius of 0, hence a tenth of a pixel).
        Variant(When(state="dimmed"), Look(stroke=Stroke(RING, 0, opacity=0), fill=Fill(RING, 0), radius=0.1)),
    ),
    palette=Palette("theme", tuple(THEME_COLORS.items()), "#8c8c8c"),
    point=Symbol("circle", RADIUS),
    hover=Hover(width=4),
    tooltip=(
        Row("Action", "nom"),
        Row("Thème", "theme"),
        Row("Commune", "commune"),
        Row("Statut", "statut"),
        Row("Montant", "montant_txt"),
        Row("Position", "position"),
    ),
)
# The glyph drawn over each circle: never clicked, the circle beneath takes the clicks.
GLYPH_STYLE = LayerStyle(
    base=Look(),
    point=Symbol("label", text_prop="glyph", css_class="erbm-action-glyph"),
    interactive=False,
)
TITLE = "Actions du programme"


def _amount_text(value: object) -> str:
    return NON_RENSEIGNE if pd.isna(value) else f"{format_int(int(value))} €"  # type: ignore[arg-type]


def _glyph_features(gdf: gpd.GeoDataFrame) -> dict[str, object]:
    """The glyphs' points: never clicked, so no ``kind`` nor ``ref``, only the glyph."""
    coords = zip(gdf.geometry.x.round(5), gdf.geometry.y.round(5), strict=True)
    feats = [
        {
            "type": "Feature",
            "properties": {"glyph": escape_text(g)},
            "geometry": {"type": "Point", "coordinates": [x, y]},
        }
        for g, (x, y) in zip(gdf["glyph"], coords, strict=True)
    ]
    return {"type": "FeatureCollection", "features": feats}


def bundle_features(points: gpd.GeoDataFrame) -> dict[str, object]:
    """Every action's circle (EPSG:4326) with what its style and tooltip read: static bundle."""
    gdf = points.assign(montant_txt=points["montant"].map(_amount_text))
    shown = ["nom", "theme", "commune", "statut", "montant_txt", "position"]
    return features(gdf, shown, kind="action", id_column="id")


def build(
    points: gpd.GeoDataFrame, *, show: bool = True, total: int | None = None, filtered: bool = False
) -> BuiltLayer:
    """``points``: the actions the filters keep (one row per action and commune), EPSG:4326;
    ``filtered``: whether a filter is on (the circles of the others are then left empty)."""
    glyphs = _glyph_features(points.assign(glyph=points["theme"].map(THEME_GLYPHS)))
    state = {"dim": True, "highlight": {str(ref): 1 for ref in sorted(set(points["id"]))}} if filtered else {}
    per_theme = points.drop_duplicates("id")["theme"].value_counts()
    entries = tuple(
        LegendEntry(f"{THEME_GLYPHS[t]} {label} ({int(per_theme.get(t, 0))})", THEME_COLORS[t], "circle")
        for t, label in THEMES.items()
    ) + (LegendEntry("cercle pointillé : position : commune (lieu exact non publié)", "#ffffff", "circle", 12),)
    n = points["id"].nunique()
    of = f" sur {total}" if total is not None else ""
    legend = LegendSection(
        f"Actions du programme ({n}{of} affichées)", entries, note="Lues dans les documents du programme"
    )
    return BuiltLayer(
        "actions",
        TITLE,
        (Part("actions", STYLE, follows_filters=True), Part("actions_glyphes", GLYPH_STYLE)),
        legend,
        show=show,
        feature_count=len(points),
        features={"actions_glyphes": glyphs},
        state=state,
    )
