"""Data loaded once per server and prepared once for display (cached)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.crs import to_display
from geo.extent import Bounds, display_bounds
from geo.load import Territory, load_territory
from settings import get_settings

CONTEXT_BUFFER_M = 10_000.0


@st.cache_resource(show_spinner="Chargement des données…")
def _territory(data_dir: str) -> Territory:
    return load_territory(data_dir=Path(data_dir))


def territory() -> Territory:
    """The validated datasets of the configured data folder (``ERBM_DATA_DIR``)."""
    return _territory(str(get_settings().data_dir))


@dataclass(frozen=True)
class DisplayData:
    """Every layer in EPSG:4326, coordinates rounded, columns unchanged."""

    communes: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    labels: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    bud_zone: gpd.GeoDataFrame
    cites: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    perimeter_bounds: Bounds


@st.cache_resource(show_spinner=False)
def display_data() -> DisplayData:
    t = territory()
    perim = t.perimeter_communes
    # Only the neighbours near the perimeter are context; the rest would be payload for nothing.
    zone = perim.union_all().buffer(CONTEXT_BUFFER_M)
    near = t.communes[~t.communes["perimetre_erbm"] & t.communes.intersects(zone)]
    labels = t.labels[t.labels.within(zone)]
    return DisplayData(
        communes=to_display(perim),
        neighbours=to_display(near),
        departements=to_display(t.departements),
        labels=to_display(labels),
        epci=to_display(t.epci),
        bud_zone=to_display(t.bud_zone),
        cites=to_display(t.cites),
        roads=to_display(t.roads),
        perimeter_bounds=display_bounds(perim, pad_m=2000),
    )
