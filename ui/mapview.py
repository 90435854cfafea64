"""The explorer map: built from the cached display data and the session's state."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from domain.metrics import INDICATORS, commune_values
from domain.provenance import MAP_ATTRIBUTION
from domain.urlstate import DEFAULT_LAYERS
from geo.extent import Bounds, center_of, zoom_for
from geo.load import Territory
from layers import bud, cites, communes, context, epci, roads
from layers.map import MapView, build_map
from ui.data import DisplayData
from ui.panel import select

VIEW_KEY = "map_view"
CLICK_KEY = "last_map_click"


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


def build(t: Territory, dd: DisplayData, *, cite_ids: list[str], options: MapOptions, highlight: set[str]):
    indicator = INDICATORS[options.indicator]
    layers = [
        context.build(dd.departements, dd.neighbours, dd.labels),
        communes.build(
            dd.communes,
            commune_values(t, indicator.key),
            indicator,
            highlight=highlight,
            dim_others=options.dim_others,
            show="communes" in options.layers,
        ),
        bud.build(dd.bud_zone, show="bud" in options.layers),
        epci.build(dd.epci, show="epci" in options.layers),
        roads.build(dd.roads, show="routes" in options.layers),
        cites.build(dd.cites[dd.cites["id"].isin(cite_ids)], show="cites" in options.layers),
    ]
    return build_map(
        layers,
        view=MapView(dd.perimeter_bounds),
        basemap=options.basemap,
        attribution=MAP_ATTRIBUTION,
        large_type=options.large_type,
    ), layers


def show(
    t: Territory,
    dd: DisplayData,
    *,
    cite_ids: list[str],
    options: MapOptions,
    highlight: set[str],
    height: int = 680,
    fragment: bool = False,
):
    from streamlit_folium import st_folium

    fmap, layers = build(t, dd, cite_ids=cite_ids, options=options, highlight=highlight)
    view = st.session_state.get(VIEW_KEY)
    out = st_folium(
        fmap,
        key="carte",
        height=height,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        center=view["center"] if view else None,
        zoom=view["zoom"] if view else None,
    )
    feature = (out or {}).get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    click = (props.get("kind"), props.get("ref"))
    if all(click) and st.session_state.get(CLICK_KEY) != click:
        # Only a new click changes the selection; an old one must not override a search.
        st.session_state[CLICK_KEY] = click
        select(str(click[0]), str(click[1]))
        st.rerun(scope="fragment" if fragment else "app")
    return layers
