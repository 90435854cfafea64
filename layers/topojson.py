"""TopoJSON encoding of the map's polygon layers: each shared border stored once, coordinates
quantized to the display grid and delta-encoded.

The communes form a coverage, and the EPCI, the BUD zone and the neighbouring communes are made
of the same borders: as GeoJSON every border between two polygons is written twice (once per
side, in opposite directions, which gzip cannot match); as TopoJSON it is one arc that both
polygons reference. The grid is the one :func:`geo.crs.to_display` already rounds to (10⁻⁵°,
about 1 m), so the encoding loses nothing that the display data had.

The browser decodes it with ``layers/topojson.js``, a few lines that follow the TopoJSON 1.0
specification (quantized, delta-encoded arcs; a negative index ``~i`` is arc ``i`` reversed).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

Point = tuple[int, int]
Ring = list[Point]


@dataclass(frozen=True)
class Grid:
    """Integer grid of step ``10**-precision`` degrees, whose origin is (tx, ty) in grid units."""

    precision: int
    tx: int
    ty: int

    @property
    def step(self) -> float:
        return 10.0**-self.precision

    def transform(self) -> dict[str, list[float]]:
        return {
            "scale": [self.step, self.step],
            "translate": [round(self.tx * self.step, self.precision), round(self.ty * self.step, self.precision)],
        }


def _grid(geometries: Iterable[BaseGeometry], precision: int) -> Grid:
    bounds = np.array([g.bounds for g in geometries if g is not None and not g.is_empty])
    factor = 10**precision
    return Grid(precision, int(np.floor(bounds[:, 0].min() * factor)), int(np.floor(bounds[:, 1].min() * factor)))


def _ring(coords: np.ndarray, grid: Grid) -> Ring:
    """Grid points of a ring, without the closing point nor consecutive duplicates."""
    q = np.rint(coords[:, :2] * 10**grid.precision).astype(np.int64) - (grid.tx, grid.ty)
    points: Ring = []
    for x, y in q.tolist():
        if not points or points[-1] != (x, y):
            points.append((x, y))
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def _polygons(geom: BaseGeometry | None, grid: Grid) -> list[list[Ring]]:
    """Each polygon as its rings (exterior first); degenerate rings and polygons dropped."""
    if geom is None or geom.is_empty:
        return []
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for poly in parts:
        if poly.geom_type != "Polygon":
            raise ValueError(f"TopoJSON : géométrie {poly.geom_type} non prise en charge (polygones seulement)")
        rings = [_ring(np.asarray(r.coords), grid) for r in (poly.exterior, *poly.interiors)]
        if len(rings[0]) < 3:
            continue
        out.append([r for r in rings if len(r) >= 3])
    return out


def _junctions(rings: Iterable[Ring]) -> set[Point]:
    """Points where borders meet or part: visited with different neighbours by different rings."""
    seen: dict[Point, tuple[Point, Point]] = {}
    junctions: set[Point] = set()
    for ring in rings:
        n = len(ring)
        for i, p in enumerate(ring):
            a, b = ring[i - 1], ring[(i + 1) % n]
            pair = (a, b) if a <= b else (b, a)
            known = seen.setdefault(p, pair)
            if known != pair:
                junctions.add(p)
    return junctions


class _Arcs:
    """Arcs in the order first met; a border met again, in either direction, reuses its arc."""

    def __init__(self) -> None:
        self.arcs: list[list[Point]] = []
        self.users: list[set[str]] = []  # the objects whose features use each arc
        self.current = ""
        self._index: dict[tuple[Point, ...], int] = {}

    def add(self, points: list[Point]) -> int:
        key = tuple(points)
        found = self._index.get(key)
        if found is None:
            back = self._index.get(tuple(reversed(points)))
            if back is not None:
                self.users[back].add(self.current)
                return ~back
            found = self._index[key] = len(self.arcs)
            self.arcs.append(points)
            self.users.append(set())
        self.users[found].add(self.current)
        return found

    def closed(self, ring: Ring) -> int:
        """A ring that meets no other border: one closed arc, started at its smallest point."""
        start = ring.index(min(ring))
        return self.add([*ring[start:], *ring[:start], ring[start]])

    def ring(self, ring: Ring, junctions: set[Point]) -> list[int]:
        cuts = [i for i, p in enumerate(ring) if p in junctions]
        if not cuts:
            return [self.closed(ring)]
        start = cuts[0]
        rotated = ring[start:] + ring[:start] + [ring[start]]
        marks = [i for i, p in enumerate(rotated) if p in junctions]
        if marks[-1] != len(rotated) - 1:
            marks.append(len(rotated) - 1)
        return [self.add(rotated[s : e + 1]) for s, e in itertools.pairwise(marks)]


def _kept(points: np.ndarray, tolerance: float) -> list[int]:
    """Indexes of the vertices Douglas-Peucker keeps (both ends always): a subset, never a new point."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        inner = points[first + 1 : last]
        ab = b - a
        norm = float(np.hypot(*ab))
        if norm == 0:
            dist = np.hypot(*(inner - a).T)
        else:
            dist = np.abs(ab[0] * (inner[:, 1] - a[1]) - ab[1] * (inner[:, 0] - a[0])) / norm
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            keep.add(first + 1 + i)
            stack += [(first, first + 1 + i), (first + 1 + i, last)]
    return sorted(keep)


def _simplified(arc: list[Point], tolerance_m: float, grid: Grid) -> list[Point]:
    """The arc with fewer vertices, within ``tolerance_m`` metres; its ends (junctions) stay put,
    so every polygon that uses the arc still meets its neighbours exactly."""
    lat = (grid.ty + np.mean([p[1] for p in arc])) * grid.step
    metres = 111_320.0 * grid.step
    xy = np.asarray(arc, dtype=float) * (metres * np.cos(np.radians(lat)), metres)
    kept = [arc[i] for i in _kept(xy, tolerance_m)]
    closed = arc[0] == arc[-1]
    return kept if len(kept) >= (4 if closed else 2) else arc


def _delta(arc: list[Point]) -> list[list[int]]:
    out = [list(arc[0])]
    for (x0, y0), (x1, y1) in itertools.pairwise(arc):
        out.append([x1 - x0, y1 - y0])
    return out


def topology(
    objects: Mapping[str, Sequence[tuple[BaseGeometry | None, Mapping[str, object]]]],
    *,
    precision: int = 5,
    coarse: Mapping[str, float] | None = None,
) -> dict[str, object]:
    """A TopoJSON Topology: one GeometryCollection per object name, features as (geometry, properties).

    Geometries are (Multi)Polygons in EPSG:4326. Properties are written as given: escape them
    before, as for any GeoJSON sent to the browser. ``coarse`` maps object names to a
    simplification tolerance in metres, applied to the arcs that only those objects use (a
    border shared with any other object keeps every vertex): topology-preserving, since arcs
    are simplified once, ends fixed, whichever polygons share them.
    """
    grid = _grid((g for feats in objects.values() for g, _ in feats), precision)
    shapes = {name: [(_polygons(g, grid), props) for g, props in feats] for name, feats in objects.items()}
    junctions = _junctions(r for feats in shapes.values() for polys, _ in feats for poly in polys for r in poly)
    arcs = _Arcs()
    out: dict[str, object] = {}
    for name, feats in shapes.items():
        arcs.current = name
        geometries = []
        for polys, props in feats:
            encoded = [[arcs.ring(r, junctions) for r in poly] for poly in polys]
            if not encoded:
                geometry: dict[str, object] = {"type": None}
            elif len(encoded) == 1:
                geometry = {"type": "Polygon", "arcs": encoded[0]}
            else:
                geometry = {"type": "MultiPolygon", "arcs": encoded}
            if props:
                geometry["properties"] = dict(props)
            geometries.append(geometry)
        out[name] = {"type": "GeometryCollection", "geometries": geometries}
    coarse = coarse or {}
    final = [
        _simplified(arc, min(coarse[u] for u in users), grid) if users and users <= coarse.keys() else arc
        for arc, users in zip(arcs.arcs, arcs.users, strict=True)
    ]
    return {
        "type": "Topology",
        "transform": grid.transform(),
        "arcs": [_delta(a) for a in final],
        "objects": out,
    }


def decode(topo: Mapping[str, object], name: str) -> list[tuple[BaseGeometry | None, dict[str, object]]]:
    """The features of one object, as shapely geometries: the Python twin of ``layers/topojson.js``."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]  # type: ignore[index]
    arcs = []
    for arc in topo["arcs"]:  # type: ignore[union-attr]
        q = np.cumsum(np.asarray(arc, dtype=np.int64), axis=0)
        arcs.append(np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty]))

    def ring(indexes: list[int]) -> np.ndarray:
        parts = [arcs[~i][::-1] if i < 0 else arcs[i] for i in indexes]
        return np.concatenate([parts[0], *(p[1:] for p in parts[1:])])

    def polygon(rings: list[list[int]]) -> shapely.Polygon:
        return shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])

    out = []
    for g in topo["objects"][name]["geometries"]:  # type: ignore[index]
        if g["type"] == "Polygon":
            geom: BaseGeometry | None = polygon(g["arcs"])
        elif g["type"] == "MultiPolygon":
            geom = shapely.MultiPolygon([polygon(p) for p in g["arcs"]])
        else:
            geom = None
        out.append((geom, dict(g.get("properties", {}))))
    return out
