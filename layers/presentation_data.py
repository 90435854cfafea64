"""The presentation's data: every layer once, the scenes, and the layers' looks, as JSON-ready values.

Every text is escaped with :func:`layers.escape.escape_text`; the looks are the layers' own styles,
the web map's, as drawn on a projector (:data:`layers.style.PROJECTOR`), read by ``layers/style.js``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import shapely
import shapely.ops

from core.vocab import STATUSES
from domain.figures import ResolvedFigure, figures_of
from domain.scenario import Scenario, Scene
from domain.scenes import describe_filters, highlight_feature, scene_bounds, scene_cites
from geo.crs import LAMBERT93, to_display
from geo.load import Territory
from layers import bud, cites, communes, context, epci, roads
from layers._geojson import features
from layers.escape import escape_text
from layers.style import PROJECTOR, Fill, LayerStyle, Look, Stroke, on_medium, style_json

PLACE_BUFFER_M = 12_000.0
PLACE_SPACING_M = 9_000.0
CONTEXT_SIMPLIFY_M = 150.0

# The scene's highlight: a yellow halo under a black line, and the leader lines of moved labels.
HALO = LayerStyle(base=Look(stroke=Stroke("#FFD400", 13, opacity=0.95)), interactive=False)
HALO_POINT = LayerStyle(base=Look(stroke=Stroke("#FFD400", 9), radius=22), interactive=False)
LINE = LayerStyle(base=Look(stroke=Stroke("#000000", 4)), interactive=False)
LINE_POINT = LayerStyle(base=Look(stroke=Stroke("#000000", 3), radius=22), interactive=False)
LEADER = LayerStyle(base=Look(stroke=Stroke("#000000", 2.5)), interactive=False)
# Only two looks are the presentation's own compositions of the layers' colours: with no
# neighbouring communes around it, the départements carry the context's ground colour, and the
# perimeter communes are a plain white ground under one dark outline (the highlight's stroke).
GROUND = LayerStyle(
    base=Look(stroke=communes.STYLE.base.stroke, fill=Fill(communes.ZERO_COLOR, 0.75)), interactive=False
)
DEPARTEMENTS = LayerStyle(
    base=Look(stroke=context.DEPARTEMENTS.base.stroke, fill=context.NEIGHBOURS.base.fill), interactive=False
)
OUTLINE = LayerStyle(base=Look(stroke=communes.HIGHLIGHT), interactive=False)
STYLES: dict[str, LayerStyle] = {
    **{
        name: on_medium(style, PROJECTOR)
        for name, style in {
            "departements": DEPARTEMENTS,
            "communes": GROUND,
            "outline": OUTLINE,
            "epci": epci.STYLE,
            "bud": bud.STYLE,
            "roads": roads.STYLE,
            "cites": cites.STYLE,
            "cites_contours": cites.OUTLINE_STYLE,
        }.items()
    },
    "halo": HALO,
    "halo_point": HALO_POINT,
    "line": LINE,
    "line_point": LINE_POINT,
    "leader": LEADER,
}

_EPCI_PREFIX = re.compile(
    r"^(Communauté d'agglomération|Communauté de communes|Communauté urbaine)\s+(de la |du |de |d')?"
)


def short_epci_name(nom: str) -> str:
    """« Communauté d'agglomération de Lens - Liévin » → « Lens - Liévin » (map labels only)."""
    return _EPCI_PREFIX.sub("", nom).strip() or nom


# --------------------------------------------------------------------------- data


def _label_points(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """A point inside each polygon, half-way along each line (Lambert-93 in, WGS84 out)."""
    pts = [
        g.interpolate(0.5, normalized=True) if g.geom_type in ("LineString", "MultiLineString") else g
        for g in gdf.geometry.values
    ]
    pts = [p if p.geom_type == "Point" else p.representative_point() for p in pts]
    return gpd.GeoSeries(pts, crs=LAMBERT93, index=gdf.index).to_crs("EPSG:4326")


def _with_label_point(gdf: gpd.GeoDataFrame, *, within: object | None = None) -> gpd.GeoDataFrame:
    """Adds ``lat``/``lon`` of a label point; ``within`` keeps polygon labels inside that area."""
    frame = gdf
    if within is not None:
        clipped = []
        for g in gdf.geometry.values:
            inside = g.intersection(within)
            parts = getattr(inside, "geoms", [inside])
            polys = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
            # The pole of inaccessibility sits well inside the shape, away from neighbours' labels.
            clipped.append(shapely.ops.polylabel(max(polys, key=lambda p: p.area), tolerance=200) if polys else g)
        frame = gdf.set_geometry(gpd.GeoSeries(clipped, crs=LAMBERT93, index=gdf.index))
    pts = _label_points(frame)
    return gdf.assign(lat=pts.y.round(5), lon=pts.x.round(5))


def _places(t: Territory) -> list[list[object]]:
    """Town names for context, the larger first, none closer than PLACE_SPACING_M to a kept one."""
    zone = t.perimeter_communes.union_all().buffer(PLACE_BUFFER_M)
    labels = t.labels[t.labels.within(zone)].sort_values("population", ascending=False)
    kept: list[Any] = []
    for row in labels.itertuples(index=False):
        if all(row.geometry.distance(k.geometry) >= PLACE_SPACING_M for k in kept):
            kept.append(row)
    if not kept:
        return []
    pts = gpd.GeoSeries([k.geometry for k in kept], crs=LAMBERT93).to_crs("EPSG:4326")
    return [[round(p.y, 5), round(p.x, 5), escape_text(k.nom)] for k, p in zip(kept, pts, strict=True)]


def _geometry(gdf: gpd.GeoDataFrame) -> dict[str, object]:
    return json.loads(to_display(gdf).geometry.to_json())


def layer_data(t: Territory) -> dict[str, object]:
    """Every layer the scenes can show, once, in EPSG:4326 with only the displayed columns."""
    perim = t.perimeter_communes
    union = shapely.coverage_union_all(perim.geometry.values)
    outline = gpd.GeoDataFrame(geometry=[union], crs=LAMBERT93)
    epci_gdf = _with_label_point(t.epci, within=union).assign(court=t.epci["nom"].map(short_epci_name))
    cites_gdf = t.cites.assign(
        _r=t.cites["logements"].map(lambda v: round(cites.radius(v) * PROJECTOR.radius, 1)),
        _known=t.cites["logements"].notna(),
    )
    cites_gdf = _with_label_point(cites_gdf)
    roads_gdf = _with_label_point(t.roads)
    deps = t.departements.assign(geometry=t.departements.geometry.simplify(CONTEXT_SIMPLIFY_M))
    return {
        "communes": features(to_display(perim), ["nom"], kind="commune", id_column="insee"),
        "outline": _geometry(outline),
        "epci": features(
            to_display(epci_gdf), ["nom", "court", "signataire", "lat", "lon"], kind="epci", id_column="siren"
        ),
        "bud": features(to_display(t.bud_zone), ["statut"], kind="bud", id_column="statut"),
        "cites": features(
            to_display(cites_gdf),
            ["nom", "commune", "statut", "_r", "_known", "lat", "lon"],
            kind="cite",
            id_column="id",
        ),
        "cites_contours": features(
            to_display(cites.outlines_of(t.cites, t.cite_contours)),
            ["nom", "commune", "statut"],
            kind=cites.OUTLINE_KIND,
            id_column="id",
        ),
        "roads": features(to_display(roads_gdf), ["nom", "trace", "lat", "lon"], kind="route", id_column="id"),
        "departements": features(to_display(deps), ["nom"], kind="departement", id_column="code"),
        "places": _places(t),
    }


def _text(value: object) -> str:
    """Escaped text for the panel; « 2018-2019 » keeps together (non-breaking hyphen)."""
    return re.sub(r"(?<=\d)-(?=\d)", "\u2011", escape_text(value))


def _entry(label: str, color: str, shape: str = "fill") -> dict[str, str]:
    return {"label": escape_text(label), "color": color, "shape": shape}


def _stroke(style: LayerStyle, look: Look | None = None) -> str:
    stroke = (look or style.base).stroke
    return stroke.color if stroke else ""


def _fill(style: LayerStyle, look: Look | None = None) -> str:
    fill = (look or style.base).fill
    return fill.color if fill else ""


def _legend(t: Territory, scene: Scene, shown: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """The scene's legend, its colours read from the layers' presentation styles."""
    sections: list[dict[str, object]] = []
    for layer in scene.layers:
        if layer == "communes":
            entries = [
                _entry("Commune du périmètre ERBM", _fill(GROUND)),
                _entry("Limite du périmètre", _stroke(OUTLINE), "line"),
            ]
            sections.append({"title": "Communes", "entries": entries})
        elif layer == "epci":
            n_sig = int(t.epci["signataire"].sum())
            entries = [
                _entry(f"EPCI signataire ({n_sig})", _stroke(epci.STYLE, epci.SIGNATORY_LOOK), "line"),
                _entry(f"Autre EPCI touchant le périmètre ({len(t.epci) - n_sig})", _stroke(epci.STYLE), "dashed"),
            ]
            sections.append({"title": "Intercommunalités", "entries": entries})
        elif layer == "bud":
            counts = dict(zip(t.bud_zone["statut"], t.bud_zone["communes"], strict=True))
            entries = [_entry(f"Commune classée ({counts.get('classée', 0)})", _fill(bud.STYLE))]
            if counts.get("à confirmer"):
                label = f"À confirmer : 1 commune parmi {counts['à confirmer']}"
                entries.append(_entry(label, _fill(bud.STYLE, bud.PENDING_LOOK), "dashed-fill"))
            sections.append({"title": "Bassin urbain à dynamiser", "entries": entries})
        elif layer == "cites":
            sections.append(_cites_legend(t, shown))
        elif layer == "roads":
            entries = [
                _entry("Tracé indicatif (pas un relevé)", _stroke(roads.STYLE), "dashed"),
                _entry("Échangeur (position indicative)", _fill(roads.STYLE), "circle"),
            ]
            sections.append({"title": "Projets routiers", "entries": entries})
    return sections


def _cites_legend(t: Territory, shown: gpd.GeoDataFrame) -> dict[str, object]:
    counts = shown["statut"].value_counts()
    palette = cites.STYLE.palette
    entries = [
        _entry(f"{s} ({int(counts[s])})", palette.color(s) if palette else "", "circle")
        for s in STATUSES
        if counts.get(s, 0)
    ]
    entries.append(_entry("taille : nombre de logements (pointillé : inconnu)", "#ffffff", "circle-dashed"))
    entries.append(_entry("contour de la cité (Mission Bassin Minier)", palette.default if palette else "", "fill"))
    title = f"Cités ({len(shown)} sur {len(t.cites)})" if len(shown) != len(t.cites) else "Cités"
    return {"title": escape_text(title), "entries": entries}


def _figure(f: ResolvedFigure) -> dict[str, object]:
    return {
        "label": _text(f.label),
        "value": escape_text(f.value_text),
        "unit": escape_text(f.unit),
        "source": escape_text(f.source),
        "date": escape_text(f.date),
        "target": escape_text(f.target_text) if f.target_text else None,
        "progress": round(f.progress, 4) if f.progress is not None else None,
    }


def scene_data(t: Territory, scene: Scene, *, inv: Mapping[str, Any]) -> dict[str, object]:
    """One scene as the browser needs it; every text escaped, every figure resolved from the data."""
    shown = scene_cites(t, scene)
    highlight = None
    if scene.highlight:
        label, frame = highlight_feature(t, scene.highlight)
        highlight = {"label": escape_text(label), "geometry": _geometry(frame)}
    return {
        "title": _text(scene.title),
        "caption": _text(scene.caption),
        "bounds": [round(b, 5) for b in scene_bounds(t, scene)],
        "layers": list(scene.layers),
        "labels": list(scene.labels),
        "cites": None if scene.filters is None else [escape_text(i) for i in shown["id"]],
        "filters": escape_text(describe_filters(scene)),
        "highlight": highlight,
        "figures": [_figure(f) for f in figures_of(t, scene, inv=dict(inv))],
        "legend": _legend(t, scene, shown),
    }


def presentation_data(t: Territory, scenario: Scenario) -> dict[str, object]:
    from domain.inventory import inventory
    from domain.provenance import MAP_ATTRIBUTION

    inv = inventory(t)
    return {
        "title": escape_text(scenario.title),
        "layers": layer_data(t),
        "scenes": [scene_data(t, s, inv=inv) for s in scenario.scenes],
        "attribution": escape_text(MAP_ATTRIBUTION),
        "styles": {name: style_json(style) for name, style in STYLES.items()},
    }
