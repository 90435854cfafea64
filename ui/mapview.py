"""The explorer map: built from the cached display data and the session's state.

The map is mounted once per set of display options (basemap, large type, layers shown): its
script holds no data, the geometries come from the static bundle, and it is rendered once and
kept. Each run then only sends the per-run state (colours, highlight, filtered cités, legend),
which the mounted map applies without being rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from domain.provenance import MAP_ATTRIBUTION
from domain.urlstate import DEFAULT_LAYERS
from geo.extent import Bounds, center_of, zoom_for
from geo.load import Territory
from layers import bud, cites, communes, context, epci, roads, unesco
from layers.map import MapView, build_map, update_payload
from layers.spec import BuiltLayer
from ui import actions as actions_ui
from ui import mapcache, mapcomponent, preload
from ui.data import DisplayData
from ui.panel import select

VIEW_KEY = "map_view"
COMPONENT_KEY = "carte"
# The map fills the window's height below the page's slim header (Streamlit's top bar and one line
# of title), on every screen: the header's height is this CSS length (ui/mapview.css).
FILL = {"fill": "6.5rem", "min": 300}
# The layout of a page with a map (slim padding, the record over the map), a file beside this module.
# It travels in the map's published style sheet, which the map's component loads (and the next
# documents announce): as a Markdown ``<style>`` element, the browser's Markdown parser spent
# 80 to 250 ms on it in every first view, ahead of the map (bench/README.md).
PAGE_CSS = Path(__file__).with_suffix(".css").read_text(encoding="utf-8")


def slim_header(title: str, subtitle: str = "") -> None:
    """The page's title on one line (the page's only ``h1``), its subtitle beside it."""
    from layers.escape import escape_text

    sub = f' <span class="erbm-sub">{escape_text(subtitle)}</span>' if subtitle else ""
    html = f'<div class="erbm-slim"><h1>{escape_text(title)}</h1>{sub}</div>'
    st.markdown(html, unsafe_allow_html=True)


@dataclass(frozen=True)
class MapOptions:
    indicator: str = "population"
    basemap: str | None = None
    large_type: bool = False
    layers: tuple[str, ...] = DEFAULT_LAYERS
    dim_others: bool = False


def zoom_to(bounds: Bounds) -> None:
    """Ask the map to move to ``bounds`` on the next run, without rebuilding it."""
    # The center and zoom go into shared links; the browser frames the bounds at its map's size.
    st.session_state[VIEW_KEY] = {"center": center_of(bounds), "zoom": zoom_for(bounds), "bounds": tuple(bounds)}


@st.cache_resource(show_spinner=False, max_entries=8)
def _bud_note(cites_version: str, _t: Territory) -> str:
    from domain.inventory import bud_explained, inventory

    del cites_version
    return bud_explained(inventory(_t)["bud"])


def bud_note(t: Territory, dd: DisplayData) -> str:
    """The BUD counts in words, once per version of the data (the legend's note, the key figures')."""
    return _bud_note(dd.cites_version, t)


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
        bud.build(dd.bud_zone, show="bud" in options.layers, note=bud_note(t, dd)),
        epci.build(dd.epci, show="epci" in options.layers),
        roads.build(dd.roads, show="routes" in options.layers),
        *([unesco.build(dd.unesco, show="unesco" in options.layers)] if dd.unesco is not None else []),
        mapcache.cites_layer(dd, cite_ids, show="cites" in options.layers),
        actions_ui.map_layer(show="actions" in options.layers),
    ]


def base_map(dd: DisplayData, layers: list[BuiltLayer], options: MapOptions) -> mapcomponent.Rendered:
    """The rendered base map for these options: built and rendered once, then reused."""
    assets = mapcache.assets(dd, layers, page_css=PAGE_CSS)
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

    return mapcomponent.rendered(key, COMPONENT_KEY, build, (assets.bundle_url,))


def show(
    t: Territory,
    dd: DisplayData,
    *,
    cite_ids: list[str],
    options: MapOptions,
    highlight: set[str],
    height: int | dict[str, object] = FILL,
    on_drawn: Callable[[], None] | None = None,
    selection: dict[str, str] | None = None,
) -> list[BuiltLayer]:
    """Draw the map; ``on_drawn`` runs once the browser has drawn its communes (ui/firstpaint.py)."""
    layers = layers_for(t, dd, cite_ids=cite_ids, options=options, highlight=highlight)
    base = base_map(dd, layers, options)
    mapcache.freeze_long_lived()
    if on_drawn is not None:
        # A first view: the next documents announce its files (serve.py, ui/preload.py).
        preload.remember(base)
    view = st.session_state.get(VIEW_KEY)
    mapcomponent.show(
        base,
        update_payload(layers, selection=selection),
        key=COMPONENT_KEY,
        height=height,
        on_click=on_click,
        on_drawn=on_drawn,
        center=view["center"] if view else None,
        zoom=view["zoom"] if view else None,
        bounds=view.get("bounds") if view else None,
    )
    return layers


def on_click() -> None:
    """Select the clicked feature; a callback, so the run it triggers already draws the selection."""
    clicked = clicked_feature(st.session_state.get(COMPONENT_KEY))
    if clicked:
        select(*clicked)


# Longest kind or reference a click may carry (INSEE codes, SIREN, cité ids are far shorter): a
# browser can send anything as a trigger value, and the selection is kept in the session.
MAX_CLICK_TEXT = 64


def clicked_feature(state: object) -> tuple[str, str] | None:
    """The (kind, ref) of the click the component reported, if it is a well-formed one."""
    value = (
        state.get(mapcomponent.CLICKED_FEATURE)
        if isinstance(state, dict)
        else getattr(state, mapcomponent.CLICKED_FEATURE, None)
    )
    if not isinstance(value, dict):
        return None
    kind, ref = value.get("kind"), value.get("ref")
    if not (isinstance(kind, str) and isinstance(ref, str)):
        return None
    if 0 < len(kind) <= MAX_CLICK_TEXT and 0 < len(ref) <= MAX_CLICK_TEXT:
        return ("cite" if kind == cites.OUTLINE_KIND else kind), ref
    return None
