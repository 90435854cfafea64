"""The print map's look: the layers' styles on paper (widths in points), their matplotlib options
and the legend beside the map, shared by the fiche's map and the binder's cover."""

from __future__ import annotations

from typing import Any

from domain.provenance import MAP_ATTRIBUTION
from layers import cites as cite_layer
from layers import communes as commune_layer
from layers import context
from layers import roads as road_layer
from layers.style import PRINT, Fill, Look, Stroke, mpl_color, mpl_dashes, on_medium, points

MAP_FRACTION = 0.72  # share of the image width given to the map; the legend takes the rest
# The fiche's map draws the web map's own styles on paper (layers.style.PRINT: thinner lines).
COMMUNES = on_medium(commune_layer.STYLE, PRINT)
HIGHLIGHT = COMMUNES.variant(state="highlight").stroke  # the web map's outline of a chosen commune
HIGHLIGHT_FILL = "#FBE0C8"  # the fiche's subject, tinted (the web map has no such fill)
PERIMETER = COMMUNES.base  # no indicator on the fiche: the « non renseigné » ground
OUTSIDE = on_medium(context.NEIGHBOURS, PRINT).base
DEPARTEMENT = on_medium(context.DEPARTEMENTS, PRINT).base.stroke
ROAD = on_medium(road_layer.STYLE, PRINT).variant(prop="trace", equals=road_layer.INDICATIVE)
CITES = on_medium(cite_layer.STYLE, PRINT)
OUTLINES = on_medium(cite_layer.OUTLINE_STYLE, PRINT)
SCALE_STEPS_KM = (0.5, 1, 2, 5, 10, 20, 50)
NAME_SIZE = CITES.label.size_pt if CITES.label else 6.0  # points, cité names


def width(stroke: Stroke | None) -> float:
    return points(stroke.width) if stroke else 0.0


def line(stroke: Stroke | None) -> dict[str, Any]:
    """matplotlib line options of a stroke (colour with its opacity, width, dashes)."""
    if stroke is None:
        return {"linewidth": 0}
    return {
        "color": mpl_color(stroke.color, stroke.opacity),
        "linewidth": width(stroke),
        "linestyle": mpl_dashes(stroke),
    }


def polygons(look: Look) -> dict[str, Any]:
    """matplotlib polygon options of a look: face from its fill, edges from its stroke."""
    fill, stroke = look.fill, look.stroke
    return {
        "color": mpl_color(fill.color, fill.opacity) if fill else "none",
        "edgecolor": mpl_color(stroke.color, stroke.opacity) if stroke else "none",
        "linewidth": width(stroke),
    }


def marker_area() -> float:
    """A road interchange's circle (the web map's radius) as a scatter size, in points squared."""
    return (2 * points(ROAD.radius or 9)) ** 2


def status_color(status: str) -> str:
    return CITES.palette.color(status) if CITES.palette else "#8c8c8c"


def patch(look: Look, label: str) -> Any:
    from matplotlib.patches import Patch

    options = polygons(look)
    return Patch(
        facecolor=options["color"], edgecolor=options["edgecolor"], linewidth=options["linewidth"], label=label
    )


def legend_handles(focus_label: str, statuses: list[str], roads: tuple[bool, bool]) -> list[Any]:
    from matplotlib.lines import Line2D

    handles: list[Any] = [
        patch(Look(stroke=HIGHLIGHT, fill=Fill(HIGHLIGHT_FILL)), focus_label),
        patch(PERIMETER, "Commune du périmètre ERBM"),
        patch(OUTSIDE, "Commune hors périmètre"),
        Line2D([], [], **line(DEPARTEMENT), label="Limite de département"),
    ]
    if roads[0]:
        handles.append(Line2D([], [], **line(ROAD.stroke), label="Projet routier\n(tracé indicatif)"))
    if roads[1]:
        spot = polygons(ROAD)
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markerfacecolor=spot["color"],
                markeredgecolor=spot["edgecolor"],
                markeredgewidth=spot["linewidth"],
                markersize=marker_area() ** 0.5,
                label="Projet routier ponctuel\n(position indicative)",
            )
        )
    ring = polygons(CITES.base)
    for status in statuses:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markerfacecolor=mpl_color(status_color(status)),
                markeredgecolor=ring["edgecolor"],
                markersize=6,
                label=f"Cité : {status}\n({cite_layer.STATUS_PATTERN_FR[status]})",
            )
        )
    return handles


def draw_legend(fig: Any, handles: list[Any]) -> None:
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(MAP_FRACTION + 0.01, 0.99),
        fontsize=6,
        frameon=False,
        handlelength=2.2,
        labelspacing=0.7,
        borderaxespad=0,
    )
    credit = "Lambert-93 (EPSG:2154), nord en haut.\n" + MAP_ATTRIBUTION.replace(" · détail : page Sources", "")
    fig.text(MAP_FRACTION + 0.01, 0.01, wrap(credit, 42), fontsize=4.8, color="#555555", va="bottom", ha="left")


_LEGENDS: dict[tuple[Any, ...], tuple[int, Any]] = {}


def legend_image(
    size_px: tuple[int, int], dpi: int, focus_label: str, statuses: list[str], roads: tuple[bool, bool]
) -> tuple[int, Any]:
    """The legend and the credit beside the map, as the RGBA pixels of the figure's columns right of
    the map, and the first of those columns. Drawn once per legend and size, then pasted on each
    map (``Figure.figimage``, pixel for pixel): its text was a third of the time spent drawing a
    fiche's map, for the same few legends sheet after sheet."""
    key = (size_px, dpi, focus_label, tuple(statuses), roads)
    if key not in _LEGENDS:
        import numpy as np
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(size_px[0] / dpi, size_px[1] / dpi), dpi=dpi)
        canvas = FigureCanvasAgg(fig)
        draw_legend(fig, legend_handles(focus_label, statuses, roads))
        canvas.draw()
        left = int(MAP_FRACTION * size_px[0]) + 2  # clear of the map's frame
        _LEGENDS[key] = (left, np.asarray(canvas.buffer_rgba())[:, left:].copy())
    return _LEGENDS[key]


def wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.fill(part, width) for part in text.split("\n"))
