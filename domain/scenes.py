"""Where a presentation scene is: the features it may name, the extent it is fitted to, the
feature it highlights and the cités it shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd

from core.text import fold
from domain.filters import apply as apply_cite_filter
from domain.territory import feature_frame
from geo.extent import Bounds, display_bounds
from geo.load import Territory

if TYPE_CHECKING:
    from domain.scenario import Scene

BUD_PARTS: tuple[str, ...] = ("classée", "à confirmer")


def feature_problem(t: Territory, kind: str, ref: str) -> str | None:
    """None when the feature exists, else the French reason."""
    if kind == "commune":
        return None if ref in set(t.communes["insee"]) else f"commune {ref} inconnue"
    if kind == "epci":
        return None if ref in set(t.epci["siren"]) else f"EPCI {ref} inconnu"
    if kind == "cite":
        return None if ref in set(t.cites["id"]) else f"cité {ref} inconnue"
    if kind == "route":
        ids = list(t.roads["id"])
        return None if ref in ids else f"projet routier « {ref} » inconnu (projets : {', '.join(ids)})"
    if kind == "bud":
        return None if bud_part(ref) else f"partie de la zone BUD « {ref} » inconnue (admis : {', '.join(BUD_PARTS)})"
    return f"type « {kind} » inconnu"


def bud_part(ref: str) -> str | None:
    """The part of the BUD zone ``ref`` names, accents and case aside (« a confirmer »)."""
    return next((p for p in BUD_PARTS if fold(p) == fold(ref)), None)


def scene_cites(t: Territory, scene: Scene) -> gpd.GeoDataFrame:
    """The cités a scene shows (all of them without filters)."""
    if scene.filters is None:
        return t.cites
    return apply_cite_filter(t.cites, scene.filters.as_cite_filter())


def _feature_frame(t: Territory, kind: str, ref: str) -> gpd.GeoDataFrame:
    return feature_frame(t, kind, bud_part(ref) if kind == "bud" else ref)


def scene_bounds(t: Territory, scene: Scene) -> Bounds:
    """The extent to fit, (south, west, north, east) in degrees."""
    e = scene.extent
    if e.kind == "bounds" and e.bounds is not None:
        return e.bounds
    if e.kind == "perimetre":
        return display_bounds(t.perimeter_communes, pad_m=1500)
    if e.kind == "bud":
        return display_bounds(t.communes[t.communes["bud_statut"] != "non classée"], pad_m=1500)
    if e.kind == "cites":
        return display_bounds(scene_cites(t, scene), pad_m=2500)
    if e.kind == "roads":
        return display_bounds(t.roads, pad_m=2500)
    frame = _feature_frame(t, e.kind, e.ref or "")
    return display_bounds(frame, pad_m={"commune": 800, "epci": 1500, "cite": 1200, "route": 2000}[e.kind])


def highlight_feature(t: Territory, ref: str) -> tuple[str, gpd.GeoDataFrame]:
    """Label and Lambert-93 geometry of the feature a scene highlights."""
    kind, _, key = ref.partition(":")
    frame = _feature_frame(t, kind, key)
    if kind == "bud":
        if bud_part(key) == "à confirmer":
            pending = sorted(t.communes.loc[t.communes["bud_statut"] == "à confirmer", "nom"])
            names = ", ".join(pending[:-1]) + (f" ou {pending[-1]}" if len(pending) > 1 else "".join(pending))
            return f"À confirmer : {names}", frame
        return "Communes classées BUD", frame
    row = frame.iloc[0]
    label = f"{row['nom']} ({row['commune']})" if kind == "cite" else str(row["nom"])
    return label, frame


def describe_filters(scene: Scene) -> str:
    """French summary of a scene's cité filters, '' without filters."""
    if scene.filters is None:
        return ""
    flt = scene.filters.as_cite_filter()
    return "" if flt.is_empty() else flt.describe()
