"""The fiche's map extract, drawn offline (no tiles, no network) with matplotlib's Agg backend.

Everything is drawn in Lambert-93 (EPSG:2154), so the km scale bar is exact on the page.
matplotlib is imported only when a map is drawn. Colours, dash patterns and widths come from the
layers' styles (``layers/*.py`` ``STYLE``), the web map's own, so the fiche reads like the map.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from core.text import format_number
from core.vocab import STATUSES
from domain.profile import check_ref
from fiche.glyphs import map_text
from fiche.mapdata import MapData, add_lines, add_points, add_polygons, map_data, within
from fiche.maplook import (
    CITES,
    DEPARTEMENT,
    HIGHLIGHT,
    HIGHLIGHT_FILL,
    MAP_FRACTION,
    NAME_SIZE,
    OUTLINES,
    OUTSIDE,
    PERIMETER,
    ROAD,
    SCALE_STEPS_KM,
    legend_image,
    line,
    marker_area,
    polygons,
    status_color,
)
from geo.crs import LAMBERT93, require_crs
from geo.load import Territory
from layers import communes as commune_layer
from layers.style import Fill, Look, mpl_dashes


@dataclass(frozen=True)
class Focus:
    """What the map centres on and highlights."""

    geometry: BaseGeometry
    members: np.ndarray  # indices (MapData.communes) of the communes drawn highlighted
    label: str  # legend text of the highlight
    cite_ids: frozenset[str]  # cités whose names are written on the map
    selected_cite: str | None
    pad_ratio: float
    min_pad_m: float


def _focus(d: MapData, kind: str, ref: str) -> Focus:
    if kind == "commune":
        members = np.flatnonzero(d.insee == ref)
        cites = frozenset(d.cite_id[d.cite_insee == ref])
        return Focus(d.communes[members[0]], members, "Commune de la fiche", cites, None, 0.45, 2500)
    if kind == "epci":
        members = np.flatnonzero(d.epci_siren == ref)
        return Focus(d.epci[ref], members, "Communes de l'EPCI", frozenset(), None, 0.06, 1500)
    insee = d.cite_insee[d.cite_id == ref][0]
    members = np.flatnonzero(d.insee == insee)
    return Focus(d.communes[members[0]], members, "Commune de la cité", frozenset([ref]), ref, 0.45, 2500)


def _extent(bounds: tuple[float, float, float, float], *, pad: float, aspect: float) -> tuple[float, ...]:
    """Padded bounds grown on one axis so that width / height == ``aspect``."""
    minx, miny, maxx, maxy = bounds
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    width, height = maxx - minx, maxy - miny
    if width / height < aspect:
        extra = (height * aspect - width) / 2
        minx, maxx = minx - extra, maxx + extra
    else:
        extra = (width / aspect - height) / 2
        miny, maxy = miny - extra, maxy + extra
    return minx, miny, maxx, maxy


def _scale_km(width_m: float) -> float:
    """The longest round length (km) that fits in a fifth of the map width."""
    fitting = [s for s in SCALE_STEPS_KM if s * 1000 <= width_m / 5]
    return fitting[-1] if fitting else SCALE_STEPS_KM[0]


def _draw_scale(ax: Any, extent: tuple[float, ...], *, patheffects: Any) -> None:
    minx, miny, maxx, maxy = extent
    km = _scale_km(maxx - minx)
    x0, y0 = minx + (maxx - minx) * 0.03, miny + (maxy - miny) * 0.05
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    ax.plot([x0, x0 + km * 1000], [y0, y0], color="black", linewidth=2.2, solid_capstyle="butt", path_effects=halo)
    label = f"{format_number(km)} km"
    ax.text(x0, y0 + (maxy - miny) * 0.025, label, fontsize=6.5, path_effects=halo, va="bottom")


def _label(ax: Any, point: BaseGeometry, text: str, *, patheffects: Any, **style: Any) -> None:
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    ax.annotate(map_text(text), (point.x, point.y), ha="center", va="center", path_effects=halo, clip_on=True, **style)


def _text_box(point: BaseGeometry, text: str, *, size: float, m_per_pt: float) -> BaseGeometry:
    """The area a centred label of ``size`` points takes on the map (a slight overestimate)."""
    half_w, half_h = len(text) * 0.3 * size * m_per_pt, 0.65 * size * m_per_pt
    return shapely.box(point.x - half_w, point.y - half_h, point.x + half_w, point.y + half_h)


def _draw_base(ax: Any, d: MapData, focus: Focus, box: BaseGeometry) -> None:
    near = within(d.communes, box)
    inside = d.perimeter[near]
    add_polygons(ax, d.communes[near[~inside]], **polygons(OUTSIDE))
    add_polygons(ax, d.communes[near[inside]], **polygons(PERIMETER))
    add_polygons(ax, d.communes[focus.members], **polygons(Look(stroke=PERIMETER.stroke, fill=Fill(HIGHLIGHT_FILL))))
    add_lines(ax, [focus.geometry], **line(HIGHLIGHT))
    add_lines(ax, d.departements[within(d.departements, box)], **line(DEPARTEMENT))


def _label_point(geometry: BaseGeometry, avoid: BaseGeometry) -> BaseGeometry:
    """The point of ``geometry`` farthest from its edges and from ``avoid`` (the cités and their names)."""
    from shapely.ops import polylabel

    area = geometry.difference(avoid)
    if area.is_empty:
        area = geometry
    parts = list(getattr(area, "geoms", [area]))
    faces = [p for p in parts if p.geom_type == "Polygon"]
    if not faces:
        return geometry.representative_point()
    return polylabel(max(faces, key=lambda p: p.area), tolerance=10)


def _name_candidates(d: MapData, focus: Focus, kind: str) -> np.ndarray:
    """The communes whose names may be written (indices, best first): an EPCI's ten most populous,
    else the neighbours of the fiche's commune, largest first."""
    if kind == "epci":
        known = focus.members[~np.isnan(d.population[focus.members])]
        return known[np.argsort(-d.population[known], kind="stable")][:10]
    touching = np.flatnonzero(shapely.intersects(d.communes, focus.geometry.buffer(10)))
    near = touching[~np.isin(touching, focus.members)]
    return near[np.argsort(-d.area[near], kind="stable")]


def _draw_labels(
    ax: Any, d: MapData, focus: Focus, kind: str, box: BaseGeometry, avoid: BaseGeometry, **kw: Any
) -> None:
    """Commune names: the focus commune in bold, then the neighbours (EPCI: its largest communes)
    wherever they fit; a name that would overlap another label is left out."""
    m_per_pt, patheffects = kw["m_per_pt"], kw["patheffects"]
    taken: list[BaseGeometry] = [avoid]
    names = commune_layer.STYLE.label
    size, colour = (names.size_pt, names.color) if names else (5.5, "#555555")
    if kind == "epci":
        colour = "#333"
    else:
        geom, name = focus.geometry, str(d.nom[focus.members[0]])
        point = _label_point(geom, avoid)
        _label(ax, point, name, patheffects=patheffects, fontsize=8, fontweight="bold", color="#222")
        taken.append(_text_box(point, name, size=8, m_per_pt=m_per_pt))
    inner = box.buffer(-(box.bounds[3] - box.bounds[1]) * 0.04)
    for i in _name_candidates(d, focus, kind):
        nom = str(d.nom[i])
        point = _label_point(d.communes[i].intersection(inner), shapely.union_all(taken))
        label_box = _text_box(point, nom, size=size, m_per_pt=m_per_pt)
        if label_box.intersects(shapely.union_all(taken[1:])) or not inner.contains(label_box):
            continue
        _label(ax, point, nom, patheffects=patheffects, fontsize=size, color=colour)
        taken.append(label_box)


def _draw_roads(ax: Any, d: MapData, box: BaseGeometry) -> tuple[bool, bool]:
    roads = d.roads[within(d.roads, box)]
    kinds = shapely.get_type_id(roads) if len(roads) else np.zeros(0, dtype=int)
    lines = roads[np.isin(kinds, (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING))]
    spots = roads[np.isin(kinds, (shapely.GeometryType.POINT, shapely.GeometryType.MULTIPOINT))]
    add_lines(ax, lines, **line(ROAD.stroke))
    add_points(ax, spots, size=marker_area(), **polygons(ROAD))
    return len(lines) > 0, len(spots) > 0


def _name_boxes(point: BaseGeometry, text: str, *, m_per_pt: float) -> list[tuple[str, str, float, float, Any]]:
    """Candidate placements of a cité name around its point: (ha, va, x, y, box), best first."""
    width, height, gap = len(text) * 0.56 * NAME_SIZE * m_per_pt, 1.3 * NAME_SIZE * m_per_pt, 5 * m_per_pt
    x, y, d = point.x, point.y, gap * 0.7
    return [
        ("left", "center", x + gap, y, shapely.box(x + gap, y - height / 2, x + gap + width, y + height / 2)),
        ("right", "center", x - gap, y, shapely.box(x - gap - width, y - height / 2, x - gap, y + height / 2)),
        ("left", "bottom", x + d, y + d, shapely.box(x + d, y + d, x + d + width, y + d + height)),
        ("left", "top", x + d, y - d, shapely.box(x + d, y - d - height, x + d + width, y - d)),
        ("right", "bottom", x - d, y + d, shapely.box(x - d - width, y + d, x - d, y + d + height)),
        ("right", "top", x - d, y - d, shapely.box(x - d - width, y - d - height, x - d, y - d)),
    ]


def _draw_names(ax: Any, d: MapData, shown: np.ndarray, focus: Focus, box: BaseGeometry, **kw: Any) -> list[Any]:
    """Write the focus cités' names where they overlap neither markers nor each other; return their
    boxes. ``shown``: indices of the cités in the frame."""
    m_per_pt, patheffects = kw["m_per_pt"], kw["patheffects"]
    markers = dict(zip(d.cite_id[shown], shapely.buffer(d.cites[shown], 4 * m_per_pt), strict=True))
    placed: list[BaseGeometry] = []
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    named = [i for i in shown if d.cite_id[i] in focus.cite_ids]
    for i in sorted(named, key=lambda i: -d.cites[i].y):  # top to bottom
        obstacles = shapely.union_all([*placed, *(m for cid, m in markers.items() if cid != d.cite_id[i])])
        name = map_text(str(d.cite_nom[i]))
        options = _name_boxes(d.cites[i], name, m_per_pt=m_per_pt)
        free = [o for o in options if box.contains(o[4]) and not o[4].intersects(obstacles)]
        ha, va, x, y, area = (free or options)[0]
        ax.annotate(
            name,
            (x, y),
            ha=ha,
            va=va,
            fontsize=NAME_SIZE,
            fontstyle="italic" if CITES.label and CITES.label.italic else "normal",
            path_effects=halo,
            zorder=7,
        )
        placed.append(area)
    return placed


def _draw_outlines(ax: Any, d: MapData, shown: np.ndarray, focus: Focus) -> None:
    """The cités' inventory outlines, filled by status with the web map's outline pattern per status,
    under their markers; the fiche's own cité outlined like its commune."""
    kept = [i for i in shown if d.cite_id[i] in d.contours]
    for status in STATUSES:
        group = [d.contours[d.cite_id[i]] for i in kept if d.cite_statut[i] == status]
        if group:
            look = OUTLINES.look(statut=status)
            look = Look(stroke=look.stroke, fill=Fill(status_color(status), look.fill.opacity if look.fill else 1))
            dashes = mpl_dashes(look.stroke) if look.stroke else "solid"
            add_polygons(ax, group, zorder=4, linestyle=dashes, **polygons(look))
    if focus.selected_cite in {d.cite_id[i] for i in kept}:
        add_lines(ax, [d.contours[focus.selected_cite]], zorder=4.5, **line(HIGHLIGHT))


def _draw_cites(
    ax: Any, d: MapData, focus: Focus, box: BaseGeometry, *, patheffects: Any, m_per_pt: float
) -> tuple[list[str], BaseGeometry]:
    """Draw the cités; return the statuses shown and the area their markers and names cover."""
    shown = within(d.cites, box)
    _draw_outlines(ax, d, shown, focus)
    statuses = [s for s in STATUSES if (d.cite_statut[shown] == s).any()]
    for status in statuses:
        look = Look(stroke=CITES.base.stroke, fill=Fill(status_color(status)))
        add_points(ax, d.cites[shown[d.cite_statut[shown] == status]], size=30, zorder=5, **polygons(look))
    if focus.selected_cite is not None:
        point = d.cites[np.flatnonzero(d.cite_id == focus.selected_cite)[0]]
        ring = line(HIGHLIGHT)
        ax.scatter(
            [point.x],
            [point.y],
            s=150,
            facecolors="none",
            edgecolors=[ring["color"]],
            linewidths=ring["linewidth"],
            zorder=6,
        )
    names = _draw_names(ax, d, shown, focus, box, m_per_pt=m_per_pt, patheffects=patheffects)
    covered = [*shapely.buffer(d.cites[shown], 12 * m_per_pt), *(n.buffer(2 * m_per_pt) for n in names)]
    return statuses, shapely.union_all(covered)


def map_png(t: Territory, kind: str, ref: str, *, width_px: int = 1500, height_px: int = 760, dpi: int = 200) -> bytes:
    """PNG of the map extract of a fiche: ``kind`` (commune, epci, cite) ``ref``.

    Raises ValueError (French message) for an unknown identifier, like :func:`domain.profile.profile`.
    """
    fig = map_figure(t, kind, ref, width_px=width_px, height_px=height_px, dpi=dpi)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def map_pixels(t: Territory, kind: str, ref: str, *, width_px: int = 1500, height_px: int = 760, dpi: int = 200) -> Any:
    """The map extract of :func:`map_png` as an RGB PIL image: the PDF embeds the pixels as they are,
    with no PNG to encode here and decode again in reportlab at each layout attempt."""
    from PIL import Image

    fig = map_figure(t, kind, ref, width_px=width_px, height_px=height_px, dpi=dpi)
    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=dpi)
    width, height = (round(v * dpi) for v in fig.get_size_inches())
    return Image.frombuffer("RGBA", (width, height), buf.getvalue(), "raw", "RGBA", 0, 1).convert("RGB")


def map_figure(t: Territory, kind: str, ref: str, *, width_px: int = 1500, height_px: int = 760, dpi: int = 200):
    """The matplotlib Figure of :func:`map_png` (Agg canvas), its map in the first axes."""
    for name in ("communes", "epci", "departements", "cites", "roads"):
        require_crs(getattr(t, name), LAMBERT93, what=f"couche {name}")
    check_ref(t, kind, str(ref).strip())  # the same French messages as domain.profile.profile
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # geopandas imports pyplot; never let it pick an interactive backend
    d = map_data(t)
    return _figure(d, _focus(d, kind, str(ref).strip()), kind, width_px=width_px, height_px=height_px, dpi=dpi)


def _figure(d: MapData, focus: Focus, kind: str, *, width_px: int, height_px: int, dpi: int):
    from matplotlib import patheffects
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    aspect = (width_px * MAP_FRACTION) / height_px
    span = max(focus.geometry.bounds[2] - focus.geometry.bounds[0], focus.geometry.bounds[3] - focus.geometry.bounds[1])
    extent = _extent(focus.geometry.bounds, pad=max(focus.min_pad_m, span * focus.pad_ratio), aspect=aspect)
    box = shapely.box(*extent)

    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(fig)  # drawn once, by savefig
    ax = fig.add_axes((0, 0, MAP_FRACTION, 1))
    ax.set_facecolor("white")
    _draw_base(ax, d, focus, box)
    roads = _draw_roads(ax, d, box)
    m_per_pt = (extent[2] - extent[0]) / (width_px * MAP_FRACTION / dpi * 72)
    statuses, covered = _draw_cites(ax, d, focus, box, patheffects=patheffects, m_per_pt=m_per_pt)
    _draw_labels(ax, d, focus, kind, box, covered, patheffects=patheffects, m_per_pt=m_per_pt)
    _draw_scale(ax, extent, patheffects=patheffects)
    _frame(ax, extent)
    left, legend = legend_image((width_px, height_px), dpi, focus.label, statuses, roads)
    fig.figimage(legend, xo=left, yo=0)
    return fig


def _frame(ax: Any, extent: tuple[float, ...]) -> None:
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)


def group_png(
    t: Territory,
    insee: list[str],
    *,
    label: str,
    cite_ids: frozenset[str] = frozenset(),
    width_px: int = 1500,
    height_px: int = 760,
    dpi: int = 200,
) -> bytes:
    """PNG of a map drawn as the fiche's, centred on several communes (a binder's cover: the whole
    perimeter, or the communes of a set of cités); ``label`` names them in the legend and the
    names of ``cite_ids`` are written. The ten most populous communes are named, as for an EPCI."""
    for name in ("communes", "epci", "departements", "cites", "roads"):
        require_crs(getattr(t, name), LAMBERT93, what=f"couche {name}")
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    d = map_data(t)
    members = np.flatnonzero(np.isin(d.insee, list(insee)))
    if len(members) == 0:
        raise ValueError("Aucune commune à dessiner")
    focus = Focus(shapely.union_all(d.communes[members]), members, label, cite_ids, None, 0.06, 1500)
    fig = _figure(d, focus, "epci", width_px=width_px, height_px=height_px, dpi=dpi)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
