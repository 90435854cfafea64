"""The fiche map's data, prepared once per loaded territory: plain arrays of the columns the map
reads and matplotlib paths made from the shapely geometries, kept for the process's life.

A batch of fiches draws the same communes, departements, roads and cités map after map. Each
map now only picks, with vectorised shapely tests, what its frame shows and hands matplotlib one
collection per layer and style, made from paths built once: no GeoDataFrame indexing and no
geopandas ``plot`` per layer and status, which cost half of a fiche's time.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.load import Territory


@dataclass(frozen=True)
class MapData:
    """The columns the fiche's map reads, as numpy arrays (one row per feature, the frames' order)."""

    communes: np.ndarray  # shapely geometries
    insee: np.ndarray
    nom: np.ndarray
    epci_siren: np.ndarray
    perimeter: np.ndarray  # bool
    population: np.ndarray  # float, NaN when unknown
    area: np.ndarray  # m², for ordering the neighbours' names
    epci: dict[str, BaseGeometry]  # SIREN -> outline
    departements: np.ndarray
    roads: np.ndarray
    cites: np.ndarray  # points
    cite_id: np.ndarray
    cite_nom: np.ndarray
    cite_insee: np.ndarray
    cite_statut: np.ndarray
    contours: dict[str, BaseGeometry]  # cité id -> inventory outline


_PREPARED: dict[int, tuple[Any, MapData]] = {}  # id(territory) -> (weak reference, its data)
_PATHS: dict[int, tuple[BaseGeometry, Any]] = {}  # id(geometry) -> (geometry, its path)
_LINES: dict[int, tuple[BaseGeometry, list[np.ndarray]]] = {}  # id(geometry) -> (geometry, boundary)
# A territory has about 1 600 outlines; a long-lived app also draws one-off shapes (a cover's union
# of communes) and loads new versions: past this many, a cache starts again rather than grow.
MAX_CACHED = 8192


def _column(frame: Any, name: str) -> np.ndarray:
    return np.asarray(frame[name].astype(object).to_numpy(), dtype=object)


def _prepare(t: Territory) -> MapData:
    communes, cites = t.communes, t.cites
    return MapData(
        communes=np.asarray(communes.geometry.values, dtype=object),
        insee=_column(communes, "insee"),
        nom=_column(communes, "nom"),
        epci_siren=_column(communes, "epci_siren"),
        perimeter=communes["perimetre_erbm"].to_numpy(dtype=bool),
        population=communes["population"].to_numpy(dtype=float, na_value=np.nan),
        area=shapely.area(np.asarray(communes.geometry.values)),
        epci=dict(zip(t.epci["siren"].astype(str), t.epci.geometry, strict=True)),
        departements=np.asarray(t.departements.geometry.values, dtype=object),
        roads=np.asarray(t.roads.geometry.values, dtype=object),
        cites=np.asarray(cites.geometry.values, dtype=object),
        cite_id=_column(cites, "id"),
        cite_nom=_column(cites, "nom"),
        cite_insee=_column(cites, "insee"),
        cite_statut=_column(cites, "statut"),
        contours=dict(zip(t.cite_contours["id"].astype(str), t.cite_contours.geometry, strict=True)),
    )


def map_data(t: Territory) -> MapData:
    """The prepared data of ``t``, made on first use and kept while ``t`` lives (a fiche batch's
    worker forked from a process that made it inherits it)."""
    key = id(t)
    hit = _PREPARED.get(key)
    if hit is not None and hit[0]() is t:
        return hit[1]
    data = _prepare(t)
    _PREPARED[key] = (weakref.ref(t, lambda _ref: _PREPARED.pop(key, None)), data)
    return data


def within(geometries: np.ndarray, box: BaseGeometry) -> np.ndarray:
    """Indices of the ``geometries`` that touch ``box`` (the map's frame), in their order."""
    if len(geometries) == 0:
        return np.zeros(0, dtype=int)
    return np.flatnonzero(shapely.intersects(np.asarray(geometries), box))


def polygon_path(geometry: BaseGeometry) -> Any:
    """The compound matplotlib Path of a (multi)polygon, every ring of every part, the way geopandas
    draws one (a dash pattern runs on around all its rings); made once per geometry."""
    hit = _PATHS.get(id(geometry))
    if hit is not None and hit[0] is geometry:
        return hit[1]
    from matplotlib.path import Path

    rings = [r for p in shapely.get_parts(geometry) if not p.is_empty for r in (p.exterior, *p.interiors)]
    path = Path.make_compound_path(*(Path(np.asarray(r.coords)[:, :2], closed=True) for r in rings))
    if len(_PATHS) >= MAX_CACHED:
        _PATHS.clear()
    _PATHS[id(geometry)] = (geometry, path)
    return path


def boundary_lines(geometry: BaseGeometry) -> list[np.ndarray]:
    """The (x, y) arrays of the lines of ``geometry``, or of its boundary for a polygon; made once."""
    hit = _LINES.get(id(geometry))
    if hit is not None and hit[0] is geometry:
        return hit[1]
    lines = geometry.boundary if geometry.geom_type in ("Polygon", "MultiPolygon") else geometry
    parts = [np.asarray(p.coords)[:, :2] for p in shapely.get_parts(lines) if not p.is_empty]
    if len(_LINES) >= MAX_CACHED:
        _LINES.clear()
    _LINES[id(geometry)] = (geometry, parts)
    return parts


def add_polygons(ax: Any, geometries: Any, *, zorder: float = 1, **style: Any) -> None:
    """One collection of the polygons ``geometries`` with ``style`` (fiche.maplook.polygons, plus
    ``linestyle``); nothing for none."""
    from matplotlib.collections import PathCollection

    paths = [polygon_path(g) for g in geometries]
    if not paths:
        return
    options = {"facecolors": style.pop("color"), "edgecolors": style.pop("edgecolor")}
    options |= {"linewidths": style.pop("linewidth"), "linestyles": style.pop("linestyle", "solid")}
    ax.add_collection(PathCollection(paths, zorder=zorder, **options, **style), autolim=False)


def add_lines(ax: Any, geometries: Any, *, zorder: float = 2, **style: Any) -> None:
    """One collection of the lines of ``geometries`` (a polygon's: its boundary) with ``style``
    (fiche.maplook.line); nothing for none."""
    from matplotlib.collections import LineCollection

    segments = [s for g in geometries for s in boundary_lines(g)]
    if not segments:
        return
    options = {"colors": style.pop("color"), "linewidths": style.pop("linewidth")}
    options["linestyles"] = style.pop("linestyle", "solid")
    ax.add_collection(LineCollection(segments, zorder=zorder, **options, **style), autolim=False)


def add_points(ax: Any, points: Any, *, zorder: float = 1, size: float, marker: str = "o", **style: Any) -> None:
    """Markers at ``points`` (shapely points), filled and outlined as ``style`` (fiche.maplook.polygons)."""
    xy = shapely.get_coordinates(np.asarray(list(points), dtype=object))
    if len(xy) == 0:
        return
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=size,
        marker=marker,
        facecolors=style["color"],
        edgecolors=style["edgecolor"],
        linewidths=style["linewidth"],
        zorder=zorder,
    )
