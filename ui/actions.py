"""The actions layer on the map: its theme and status filters (sidebar, with counts) and the layer
built from them, kept across reruns like the cités' filters."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from domain.actions import FACETS, ActionFilter, facet_counts, load_actions
from geo.crs import to_display
from layers import actions as actions_layer
from layers.spec import BuiltLayer

STATE_KEY = "action_filter"


def current() -> ActionFilter:
    return st.session_state.get(STATE_KEY, ActionFilter())


def _store(facet: str) -> None:
    st.session_state[STATE_KEY] = current().with_facet(facet, st.session_state[f"wa_{facet}"])


def reset() -> None:
    st.session_state[STATE_KEY] = ActionFilter()
    for facet in FACETS:
        st.session_state.pop(f"wa_{facet}", None)


@st.cache_resource(show_spinner=False)
def display_points() -> gpd.GeoDataFrame:
    """The actions' points in EPSG:4326, once per server."""
    return to_display(load_actions().points)


@st.cache_resource(show_spinner=False, max_entries=256)
def _layer(flt: ActionFilter, show: bool) -> BuiltLayer:
    points = display_points()
    return actions_layer.build(flt.apply(points), show=show, total=points["id"].nunique())


def map_layer(*, show: bool) -> BuiltLayer:
    """The « Actions du programme » layer for the session's filter."""
    return _layer(current(), show)


def sidebar_filters() -> None:
    """One multiselect per facet (thème, statut), each value with its number of actions."""
    flt = current()
    table = load_actions().table
    st.sidebar.subheader("Filtrer les actions du programme")
    for facet, (label, values) in FACETS.items():
        key = f"wa_{facet}"
        counts = facet_counts(table, flt, facet)
        if key not in st.session_state:
            st.session_state[key] = [v for v in flt.selected(facet) if v in counts]
        st.sidebar.multiselect(
            label,
            options=list(counts),
            format_func=lambda v, c=counts, names=values, f=facet: f"{names[v] if f == 'theme' else v} ({c[v]})",
            key=key,
            on_change=_store,
            args=(facet,),
            placeholder="Tous",
        )
    flt = current()
    st.sidebar.caption(f"{len(flt.apply(table))} action(s) sur {len(table)} après filtres.")
    if not flt.is_empty():
        st.sidebar.button("Effacer les filtres des actions", on_click=reset, width="stretch")
