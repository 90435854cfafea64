"""Map pieces prepared once and reused across runs and sessions.

- The static bundle (every geometry but the cités) is built and written once per display data.
- An indicator's colouring is computed once per data version (two indicators count cités).
- The cités' features are built once per (data version, filtered set).
- The map's code and style are published once, like the bundle, as static files.

Every cache here is per process (``ui.memo``): no client message can empty it. Keys that involve
the cités carry ``DisplayData.cites_version``: the cités' values can change
while the server runs; everything else is static for the server's lifetime and is keyed on the
bundle's content hash.
"""

from __future__ import annotations

import functools
import gc
import threading

from domain.metrics import INDICATORS, commune_values
from geo.load import Territory
from layers import cites, communes
from layers.bundle import Bundle, bundle_data, publish, publish_bytes
from layers.map import Assets, client_css, client_js
from layers.spec import BuiltLayer, Part
from ui import actions as actions_ui
from ui.data import DisplayData
from ui.memo import process_cache

_LOCK = threading.Lock()
_FROZEN = threading.Event()
# Keyed on the identity of the static frames, which the display data cache keeps alive; the
# entry holds them too, so an identity is never mistaken for a later object's.
_BUNDLES: dict[int, tuple[object, Bundle]] = {}


def bundle(dd: DisplayData) -> Bundle:
    """The static bundle of ``dd``, published under ``static/bundles/`` (again if it was removed)."""
    key = id(dd.communes)
    with _LOCK:
        hit = _BUNDLES.get(key)
        if hit is None or hit[0] is not dd.communes or not hit[1].path.exists():
            data = bundle_data(
                communes_gdf=dd.communes,
                neighbours=dd.neighbours,
                departements=dd.departements,
                labels=dd.labels,
                epci_gdf=dd.epci,
                bud_zone=dd.bud_zone,
                roads_gdf=dd.roads,
                unesco_gdf=dd.unesco,
                cite_outlines=dd.cite_contours,
                extra_geojson={"actions": actions_ui.bundle_features()},
            )
            hit = (dd.communes, publish(data))
            _BUNDLES[key] = hit
    return hit[1]


@functools.lru_cache(maxsize=8)
def _client(parts: tuple[Part, ...], bundle_url: str, page_css: str) -> tuple[Bundle, Bundle]:
    code = publish_bytes(client_js(parts, bundle_url=bundle_url).encode("utf-8"), name="carte", ext="js")
    style = publish_bytes((client_css() + "\n" + page_css).encode("utf-8"), name="carte", ext="css")
    return code, style


def assets(dd: DisplayData, layers: list[BuiltLayer], *, page_css: str = "") -> Assets:
    """Addresses of the static bundle and of the map's code and style, published if needed;
    ``page_css``: the layout of the page around the map, published with the map's style."""
    parts = tuple(part for layer in layers for part in layer.parts)
    data = bundle(dd)
    code, style = _client(parts, data.url, page_css)
    if not (code.path.exists() and style.path.exists()):
        _client.cache_clear()
        code, style = _client(parts, data.url, page_css)
    return Assets(bundle_url=data.url, js_url=code.url, css_url=style.url)


@process_cache(maxsize=64)
def _colouring(
    indicator: str, static_key: str, cites_version: str, _t: Territory, _dd: DisplayData
) -> communes.Colouring:
    order = _dd.communes["insee"].astype(str).tolist()  # the bundle's order
    return communes.colouring(commune_values(_t, indicator), INDICATORS[indicator], order)


def colouring(t: Territory, dd: DisplayData, indicator: str) -> communes.Colouring:
    return _colouring(indicator, bundle(dd).sha, dd.cites_version, t, dd)


@process_cache(maxsize=256)
def _cites(ids: tuple[str, ...], show: bool, static_key: str, cites_version: str, _dd: DisplayData) -> BuiltLayer:
    return cites.build(_dd.cites[_dd.cites["id"].isin(ids)], outlines=_dd.cite_contours, show=show)


def cites_layer(dd: DisplayData, ids: list[str], *, show: bool) -> BuiltLayer:
    """The filtered cités' layer; shared between sessions, so never modified by its users."""
    return _cites(tuple(sorted(ids)), show, bundle(dd).sha, dd.cites_version, dd)


def freeze_long_lived() -> None:
    """Once per process, after the data and map pieces are prepared: move every live object out of
    the garbage collector's reach.

    Streamlit runs a full collection after every script run (``runner.postScriptGC``). With
    pandas, geopandas, scipy and the loaded data, that is some 300 000 long-lived objects, about
    150 ms scanned again after each filter change, holding the GIL so the run's last message
    waits. Frozen, they are skipped; objects made afterwards are collected as usual.
    """
    if _FROZEN.is_set():
        return
    with _LOCK:
        if not _FROZEN.is_set():
            gc.collect()  # what is already garbage must not be frozen
            gc.freeze()
            _FROZEN.set()
