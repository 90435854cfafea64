"""Keep the URL in step with the session, and restore a session from a shared link."""

from __future__ import annotations

import streamlit as st

from domain.territory import feature_frame
from domain.urlstate import BASEMAP_KEYS, DEFAULT_LAYERS, ViewState, from_params, to_params
from geo.extent import display_bounds
from geo.load import Territory
from layers.map import BASEMAPS
from ui import asof, filters, panel
from ui.mapview import VIEW_KEY, zoom_to
from ui.text import md_escape

LOADED_KEY = "url_loaded"
LAYERS_KEY = "layers"
WARNINGS_KEY = "url_warnings"
_LABEL_TO_KEY = {label: key for key, label in BASEMAP_KEYS.items()}


def kept_widget(widget, key: str, label: str, **kwargs):
    """A widget whose value outlives page changes.

    Streamlit drops a widget's state when a page that does not draw it runs; the value is
    kept under ``key`` and the widget, keyed ``w_<key>``, is re-seeded from it.
    """
    wkey = f"w_{key}"
    if wkey not in st.session_state and key in st.session_state:
        st.session_state[wkey] = st.session_state[key]

    def keep() -> None:
        st.session_state[key] = st.session_state[wkey]

    value = widget(label, key=wkey, on_change=keep, **kwargs)
    st.session_state[key] = value
    return value


def _query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def load_once(t: Territory) -> None:
    """On a session's first run, apply the link's parameters; later runs keep the session's state."""
    if st.session_state.get(LOADED_KEY):
        return
    st.session_state[LOADED_KEY] = True
    state, warnings = from_params(_query(), t)
    st.session_state["indicator"] = state.indicator
    st.session_state["basemap"] = BASEMAP_KEYS[state.basemap] if state.basemap else next(iter(BASEMAPS))
    for key in ("indicator", "basemap"):
        st.session_state.pop(f"w_{key}", None)
    st.session_state[LAYERS_KEY] = state.layers
    filters.set_filter(state.cite_filter)
    if state.selection:
        panel.select(*state.selection)
    if state.center is not None:
        st.session_state[VIEW_KEY] = {"center": state.center, "zoom": state.zoom or 12}
    elif state.selection:
        frame = feature_frame(t, *state.selection)
        if len(frame):
            zoom_to(display_bounds(frame, pad_m=1500))
    st.session_state[WARNINGS_KEY] = warnings


def show_warnings() -> None:
    for message in st.session_state.get(WARNINGS_KEY, []):
        st.warning(f"Lien : {md_escape(message, limit=240)}")


def current_state() -> ViewState:
    view = st.session_state.get(VIEW_KEY)
    return ViewState(
        indicator=st.session_state.get("indicator", "population"),
        basemap=_LABEL_TO_KEY.get(st.session_state.get("basemap", "")),
        layers=tuple(st.session_state.get(LAYERS_KEY, DEFAULT_LAYERS)),
        center=tuple(view["center"]) if view else None,  # type: ignore[arg-type]
        zoom=view["zoom"] if view else None,
        cite_filter=filters.current(),
        selection=panel.selection(),
    )


def write(t: Territory) -> None:
    """Put the session's state in the address bar, so the page's own URL is always shareable."""
    params = to_params(current_state(), t) | asof.url_params()
    if params != _query():
        st.query_params.from_dict(params)
