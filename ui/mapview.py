"""The explorer map: built from the cached display data and the session's state.

The map is mounted once per set of display options (basemap, large type, layers shown): its
script holds no data, the geometries come from the static bundle, and it is rendered once and
kept. Each run then only sends the per-run state (colours, highlight, filtered cités, legend),
which the mounted map applies without being rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from domain.provenance import MAP_ATTRIBUTION
from domain.urlstate import DEFAULT_LAYERS
from geo.extent import Bounds, center_of, zoom_for
from geo.load import Territory
from layers import bud, communes, context, epci, roads
from layers.map import MapView, build_map, update_payload, update_script
from layers.spec import BuiltLayer
from ui import mapcache, mapcomponent
from ui.data import DisplayData
from ui.panel import select

VIEW_KEY = "map_view"
# The click counter of the mounted map last acted upon (see ``show``).
CLICK_SEEN_KEY = "map_click_seen"
COMPONENT_KEY = "carte"
# What the mounted map reports before any click (streamlit-folium's order: the counter first).
RETURNED = {"last_object_clicked_count": 0, "last_active_drawing": None}


@dataclass(frozen=True)
class MapOptions:
    indicator: str = "population"
    basemap: str | None = None
    large_type: bool = False
    layers: tuple[str, ...] = DEFAULT_LAYERS
    dim_others: bool = False


def zoom_to(bounds: Bounds) -> None:
    """Ask the map to move to ``bounds`` on the next run, without rebuilding it."""
    st.session_state[VIEW_KEY] = {"center": center_of(bounds), "zoom": zoom_for(bounds)}


def layers_for(
    t: Territory, dd: DisplayData, *, cite_ids: list[str], options: MapOptions, highlight: set[str]
) -> list[BuiltLayer]:
    """Every layer, bottom to top, with the session's options and state."""
    return [
        context.build(),
        communes.build(
            mapcache.colouring(t, dd, options.indicator),
            highlight=highlight,
            dim_others=options.dim_others,
            show="communes" in options.layers,
        ),
        bud.build(dd.bud_zone, show="bud" in options.layers),
        epci.build(dd.epci, show="epci" in options.layers),
        roads.build(dd.roads, show="routes" in options.layers),
        mapcache.cites_layer(dd, cite_ids, show="cites" in options.layers),
    ]


def base_map(dd: DisplayData, layers: list[BuiltLayer], options: MapOptions) -> mapcomponent.Rendered:
    """The rendered base map for these options: built and rendered once, then reused."""
    assets = mapcache.assets(dd, layers)
    view = MapView(dd.perimeter_bounds)
    shown = tuple(layer.show for layer in layers)
    key = (options.basemap, options.large_type, shown, assets, view, MAP_ATTRIBUTION)

    def build():
        return build_map(
            layers,
            view=view,
            assets=assets,
            basemap=options.basemap,
            attribution=MAP_ATTRIBUTION,
            large_type=options.large_type,
        )

    return mapcomponent.rendered(key, COMPONENT_KEY, build)


def show(
    t: Territory,
    dd: DisplayData,
    *,
    cite_ids: list[str],
    options: MapOptions,
    highlight: set[str],
    height: int = 680,
    fragment: bool = False,
) -> list[BuiltLayer]:
    layers = layers_for(t, dd, cite_ids=cite_ids, options=options, highlight=highlight)
    base = base_map(dd, layers, options)
    mapcache.freeze_long_lived()
    view = st.session_state.get(VIEW_KEY)
    out = mapcomponent.show(
        base,
        update_script(update_payload(layers)),
        key=COMPONENT_KEY,
        height=height,
        initial=RETURNED,
        center=view["center"] if view else None,
        zoom=view["zoom"] if view else None,
    )
    handle_click(out or {}, fragment=fragment)
    return layers


def handle_click(out: dict, *, fragment: bool) -> None:
    """Select the feature of a new click on the map.

    The mounted map keeps reporting its last click on every run; only a new one (its click
    counter moved) changes the selection, so an old click never overrides a search. A freshly
    mounted map reports no click yet: its counter starts again.
    """
    count = out.get("last_object_clicked_count")
    if not count:
        st.session_state.pop(CLICK_SEEN_KEY, None)
        return
    if st.session_state.get(CLICK_SEEN_KEY) == count:
        return
    st.session_state[CLICK_SEEN_KEY] = count
    props = (out.get("last_active_drawing") or {}).get("properties") or {}
    kind, ref = props.get("kind"), props.get("ref")
    if kind and ref:
        select(str(kind), str(ref))
        st.rerun(scope="fragment" if fragment else "app")
