"""Typed specifications shared by every layer module: legend entries, client behaviour, built layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Shape = Literal["square", "circle", "line", "dashed", "hatched", "outline"]


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    shape: Shape = "square"
    size_px: int = 14


@dataclass(frozen=True)
class LegendSection:
    """What one layer looks like; shown only while that layer is shown on the map."""

    title: str
    entries: tuple[LegendEntry, ...]
    note: str = ""


@dataclass(frozen=True)
class ClientSpec:
    """How the browser draws a layer's features: JS source of Leaflet options, written by the layer.

    ``style`` is a JS ``function(feature)`` returning path options (it may read the per-run
    state ``erbm.state``); ``point`` a JS ``function(feature, latlng)`` for point features;
    ``hover`` a JS object of path options applied while the pointer is over a feature;
    ``tooltip`` a JS ``function(feature)`` returning the tooltip's HTML from escaped values;
    ``helpers`` JS function declarations these functions share. ``outline`` draws polygons as
    their rings only: on a canvas, an unfilled polygon would still catch every click and hover
    inside it (Leaflet hit-tests the interior), hiding the layers beneath.
    """

    style: str
    tooltip: str | None = None
    interactive: bool = True
    hover: str | None = None
    point: str | None = None
    helpers: str = ""
    outline: bool = False


@dataclass(frozen=True)
class Part:
    """One GeoJSON layer of a map layer: its name (shared with its data) and how it draws."""

    name: str
    client: ClientSpec


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
