"""Typed specifications shared by every layer module: legend entries, parts, built layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from layers.style import LayerStyle

Shape = Literal["square", "circle", "line", "dashed", "hatched", "outline"]


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    shape: Shape = "square"
    size_px: int = 14
    # A mark drawn on the swatch (a cité status's shape: layers/cites.py), in black or white.
    glyph: str = ""


@dataclass(frozen=True)
class LegendSection:
    """What one layer looks like; shown only while that layer is shown on the map."""

    title: str
    entries: tuple[LegendEntry, ...]
    note: str = ""


@dataclass(frozen=True)
class Part:
    """One GeoJSON layer of a map layer: its name (shared with its data) and how it looks.

    ``follows_filters``: its features or their look change with the cité and action filters; the web
    map draws such parts apart from the communes and their context, so that a filter redraws them
    alone (layers/map.js)."""

    name: str
    style: LayerStyle
    follows_filters: bool = False


@dataclass
class BuiltLayer:
    """A layer ready for the map: key, French title, its parts, its legend and its per-run data.

    A part's features come from the static bundle (object ``part.name``: data that never
    changes while the server runs) unless ``features`` holds them (a GeoJSON FeatureCollection
    per part name, sent with each run: data that depends on the session, like filtered cités).
    """

    key: str
    title: str
    parts: tuple[Part, ...]
    legend: LegendSection | None
    show: bool = True
    feature_count: int = 0
    features: dict[str, dict[str, object]] = field(default_factory=dict)
    state: dict[str, object] = field(default_factory=dict)
