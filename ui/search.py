"""Search box: find a commune, an EPCI or a cité, select it and zoom the map to it."""

from __future__ import annotations

import streamlit as st

from domain.search import search
from domain.territory import feature_frame
from geo.extent import display_bounds
from geo.load import Territory
from ui.mapview import zoom_to
from ui.panel import select
from ui.text import md_escape


def go_to(t: Territory, kind: str, ref: str) -> None:
    frame = feature_frame(t, kind, ref)
    if len(frame):
        zoom_to(display_bounds(frame, pad_m=1500))
    select(kind, ref)


def sidebar_search(t: Territory) -> None:
    """Suggestions while the reader types (the field commits after a short pause, ``live``), each a
    button: one click frames the map on it and opens its record."""
    st.sidebar.subheader("Rechercher")
    query = st.sidebar.text_input(
        "Commune, code INSEE, EPCI ou cité",
        key="search_query",
        placeholder="ex. Lievin, 62510, CAPH, Cite Barrois",
        help="Les accents et les majuscules sont facultatifs ; les sigles des EPCI (CALL, CAPH, CAVM…) aussi.",
        live="300ms",
    )
    if not query.strip():
        return
    hits = search(t, query)
    if not hits:
        st.sidebar.warning(f"Aucun résultat pour « {md_escape(query)} ».")
        return
    st.sidebar.caption(f"{len(hits)} suggestion(s)")
    for n, hit in enumerate(hits):
        st.sidebar.button(
            hit.label,
            key=f"hit-{hit.kind}-{hit.ref}",
            on_click=go_to,
            args=(t, hit.kind, hit.ref),
            width="stretch",
            type="primary" if n == 0 else "secondary",
        )
