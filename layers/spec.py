"""Typed specifications shared by every layer module: legend entries and the built layer."""

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


@dataclass
class BuiltLayer:
    """A layer ready to add to a map: its key, its French title, its folium group and legend."""

    key: str
    title: str
    group: object  # folium.FeatureGroup; typed loosely so this module needs no folium import
    legend: LegendSection | None
    show: bool = True
    feature_count: int = 0
    extra: dict[str, object] = field(default_factory=dict)
