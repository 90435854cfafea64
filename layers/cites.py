"""Cités as their inventory outlines filled by status (Okabe-Ito palette, with an outline pattern per
status: never colour alone), and, at the zooms where an outline is a speck, as circles at a point
inside it, sized by housing count. A cité without a usable outline keeps its circle at every zoom."""

from __future__ import annotations

import dataclasses
import math

import geopandas as gpd

from core.text import format_count
from core.vocab import NON_RENSEIGNE, STATUSES
from layers._geojson import Record, features, records
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
# From this zoom on (about 9 m a pixel) a 2-ha cité is some 15 pixels wide: its outline stands alone.
MARKER_MAX_ZOOM = 15.0
MARKER_STYLE = dataclasses.replace(STYLE, max_zoom=MARKER_MAX_ZOOM)
# Each status's outline pattern (CSS px, on/off): the status reads without its colour.
STATUS_DASHES: dict[str, tuple[float, ...] | None] = {
    NON_RENSEIGNE: (1, 3),
    "études": (6, 4),
    "travaux logements": (10, 3, 2, 3),
    "travaux espaces publics": (2, 2),
    "livrée": None,
}
STATUS_PATTERN_FR: dict[str, str] = {
    NON_RENSEIGNE: "contour pointillé",
    "études": "contour en tirets",
    "travaux logements": "contour tiret-point",
    "travaux espaces publics": "contour en petits tirets",
    "livrée": "contour plein",
}
OUTLINE_STYLE = LayerStyle(
    base=Look(stroke=Stroke(RING, 2, STATUS_DASHES[NON_RENSEIGNE]), fill=Fill(STATUS_COLORS[NON_RENSEIGNE], 0.6)),
    variants=tuple(
        Variant(When("statut", s), Look(stroke=Stroke(RING, 2 if dash else 2.5, dash)))
        for s, dash in STATUS_DASHES.items()
    ),
    palette=PALETTE,
    hover=Hover(width=4),
    tooltip=STYLE.tooltip,
    label=STYLE.label,
)
TITLE = "Cités minières"
# A click on an outline selects its cité like a click on its circle (ui/mapview.clicked_feature);
# its own kind keeps the count of drawn cités one per cité.
OUTLINE_KIND = "cite_contour"
# The static bundle's object that holds every cité's outline (layers/bundle.py).
SHAPES = "cites_formes"


def outlines_of(cites: gpd.GeoDataFrame, outlines: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """The outlines of these cités (same CRS), with the cités' columns; none when ``outlines`` is None."""
    if outlines is None:
        return cites.iloc[0:0]
    shapes = outlines.set_index("id").geometry
    kept = cites[cites["id"].isin(shapes.index)]
    return kept.set_geometry(shapes.reindex(kept["id"]).to_numpy(), crs=cites.crs)


def bundle_records(outlines: gpd.GeoDataFrame) -> list[Record]:
    """Every cité's outline for the static bundle (object :data:`SHAPES`), with its ``ref`` only:
    the shapes never change while the server runs; what a run shows of them (which cités, their
    status and names) comes with the run and is joined to them by ``ref`` in the browser."""
    return [(geom, {"ref": props["ref"]}) for geom, props in records(outlines, [], kind=OUTLINE_KIND, id_column="id")]


def _outline_rows(shapes: gpd.GeoDataFrame, columns: list[str]) -> dict[str, object]:
    """The filtered cités' outlines as sent with each run: no geometry, one row of shown values per
    cité, joined by ``ref`` to the shapes of the static bundle (``layers/map.js``). A filter then
    sends some 2 KB for the outlines instead of a 30 KB topology that the browser decoded again."""
    fields = ["kind", "ref", *columns]
    rows = [[props[f] for f in fields] for _, props in records(shapes, columns, kind=OUTLINE_KIND, id_column="id")]
    return {"join": SHAPES, "fields": fields, "rows": rows}


def _legend(cites: gpd.GeoDataFrame, *, with_outlines: bool) -> LegendSection:
    counts = cites["statut"].value_counts()
    entries = tuple(
        LegendEntry(
            f"{s} ({int(counts.get(s, 0))})" + (f" — {STATUS_PATTERN_FR[s]}" if with_outlines else ""),
            STATUS_COLORS[s],
            "square" if with_outlines else "circle",
            glyph=STATUS_GLYPHS[s],
        )
        for s in STATUSES
    ) + (
        LegendEntry(
            "cercle (vue éloignée) : taille selon le nombre de logements, pointillé si non renseigné",
            "#ffffff",
            "circle",
            10,
        ),
    )
    note = "Statut déduit des faits sourcés datés"
    if with_outlines:
        note += " ; contours : inventaire de la Mission Bassin Minier (Licence Ouverte), cercles jusqu'au zoom 15"
    return LegendSection(f"Cités ({len(cites)} affichées)", entries, note=note)


def build(cites: gpd.GeoDataFrame, *, outlines: gpd.GeoDataFrame | None = None, show: bool = True) -> BuiltLayer:
    """``cites``: the filtered cités in EPSG:4326, sent with each run (they follow the filters);
    ``outlines``: every cité's outline (``cite_contours``, EPSG:4326), or None to draw circles only."""
    gdf = cites.assign(
        logements_txt=cites["logements"].map(lambda v: format_count(v, "logements")),
        _r=cites["logements"].map(radius).round(2),
        _known=cites["logements"].notna(),
    )
    shapes = outlines_of(gdf, outlines)
    # A cité with an outline has its circle only at small zooms; one without keeps it at every zoom.
    has = gdf["id"].isin(shapes["id"])
    columns = ["nom", "commune", "statut", "logements_txt"]
    data = {
        "cites_contours": _outline_rows(shapes, columns),
        "cites_marqueurs": features(gdf[has], [*columns, "_r", "_known"], kind="cite", id_column="id"),
        "cites": features(gdf[~has], [*columns, "_r", "_known"], kind="cite", id_column="id"),
    }
    return BuiltLayer(
        "cites",
        TITLE,
        # The circles of cités without an outline first: the web map's tests and code know this part.
        (
            Part("cites", STYLE, follows_filters=True),
            Part("cites_contours", OUTLINE_STYLE, follows_filters=True),
            Part("cites_marqueurs", MARKER_STYLE, follows_filters=True),
        ),
        _legend(cites, with_outlines=outlines is not None),
        show=show,
        feature_count=len(cites),
        features=data,
    )
