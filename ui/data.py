"""Data loaded once per server and prepared once for display (cached), at the version a session views.

The build (``data/``) is static for a server's lifetime; the cités' values come from the planners'
store and change with each version. Each page run asks the store for its head version number (one
small query), so an instance sees the versions written by another instance on the same database.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import streamlit as st

from domain.versions import territory_at
from geo.crs import to_display
from geo.extent import Bounds, display_bounds
from geo.load import Territory, load_territory
from settings import get_settings
from ui.memo import process_cache

if TYPE_CHECKING:
    from store import Store

log = logging.getLogger("carte_erbm")

CONTEXT_BUFFER_M = 10_000.0
# The version a session looks at: None (absent) means the latest one.
VERSION_KEY = "data_version"
STORE_DOWN_KEY = "store_unavailable"


# Process-level (ui.memo), not Streamlit's caches: a client's « clear caches » message must not
# make every session load and prepare the data again (issue #18, finding 6).
@process_cache(maxsize=4)
def _territory(data_dir: str) -> Territory:
    return load_territory(data_dir=Path(data_dir))


def build_territory() -> Territory:
    """The validated datasets of the configured data folder (``ERBM_DATA_DIR``), as built."""
    data_dir = str(get_settings().data_dir)
    if _territory.is_cached(data_dir):
        return _territory(data_dir)
    with st.spinner("Chargement des données…"):
        return _territory(data_dir)


@process_cache(maxsize=8)
def _store(url: str, data_dir: str) -> Store:
    from domain.provenance import manifest
    from store import Store, build_label, build_values, cite_names

    cites = _territory(data_dir).cites
    db = Store(url, cite_names=cite_names(cites))
    built = manifest(data_dir=Path(data_dir))["built"]
    db.ensure_build(build_values(cites), label=build_label(str(built)))
    return db


def store() -> Store:
    """The planners' versioned store (``ERBM_DATABASE_URL``, SQLite by default), seeded from the build."""
    settings = get_settings()
    return _store(settings.store_url(), str(settings.data_dir))


def selected_version() -> int | None:
    """The version chosen in the session (« données au … »), or None for the latest."""
    value = st.session_state.get(VERSION_KEY)
    return int(value) if value is not None else None


def viewed_version() -> int | None:
    """The version number the session's pages show; None when the store could not be reached."""
    try:
        return selected_version() or store().head_number()
    except Exception:  # any database failure: the map still works from the build
        log.exception("store unavailable")
        st.session_state[STORE_DOWN_KEY] = True
        return None


@process_cache(maxsize=32)
def _territory_at(url: str, data_dir: str, number: int) -> Territory:
    return territory_at(_territory(data_dir), _store(url, data_dir), number)


def territory() -> Territory:
    """The datasets with the cités' values of the version the session looks at (the latest by default).

    When the store cannot be reached, the build's values are shown and the page says so.
    """
    settings = get_settings()
    number = viewed_version()
    if number is None:
        return build_territory()
    st.session_state[STORE_DOWN_KEY] = False
    return _territory_at(settings.store_url(), str(settings.data_dir), number)


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
    # Changes whenever the cités' values change (a new data version, or an "as of" view): any cache
    # of prepared map pieces that includes the cités must key on it. The other layers never change.
    cites_version: str = "build"
    # The cités' outlines and the UNESCO property (issue 16): static, like the communes.
    cite_contours: gpd.GeoDataFrame | None = None
    unesco: gpd.GeoDataFrame | None = None


@process_cache(maxsize=4)
def _static_display(data_dir: str) -> DisplayData:
    t = _territory(data_dir)
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
        cite_contours=to_display(t.cite_contours),
        unesco=to_display(t.unesco),
    )


@process_cache(maxsize=32)
def _display_at(url: str, data_dir: str, number: int) -> DisplayData:
    return replace(
        _static_display(data_dir),
        cites=to_display(_territory_at(url, data_dir, number).cites),
        # The URL may hold a password: the key only needs to tell databases apart.
        cites_version=f"v{number}-{hashlib.sha256(url.encode()).hexdigest()[:12]}",
    )


def display_data() -> DisplayData:
    """The layers to draw, with the cités of the version the session looks at."""
    settings = get_settings()
    number = viewed_version()
    if number is None:
        return _static_display(str(settings.data_dir))
    return _display_at(settings.store_url(), str(settings.data_dir), number)
