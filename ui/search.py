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


# The suggestions of a query sit in a container keyed by the query (``hits_key``): the page's
# script static/erbm-search.js clicks the first button of the container of what was typed when the
# reader presses Enter. Streamlit's field commits on a typing pause and on Enter alike, and does not
# tell the app which, hence the page's script.
HITS_KEY_PREFIX = "search_hits-"


def hits_key(query: str) -> str:
    """The key of ``query``'s suggestions: its UTF-8 bytes in hex, a valid CSS class as is."""
    return HITS_KEY_PREFIX + query.encode("utf-8").hex()


def sidebar_search(t: Territory) -> None:
    """Suggestions while the reader types (the field commits after a short pause, ``live``), each a
    button: one click, or Enter for the first, frames the map on it and opens its record."""
    st.sidebar.subheader("Rechercher")
    query = st.sidebar.text_input(
        "Commune, code INSEE, EPCI ou cité",
        key="search_query",
        placeholder="ex. Lievin, 62510, CAPH, Cite Barrois",
        help="Entrée ouvre la première suggestion. Les accents et les majuscules sont facultatifs ; "
        "les sigles des EPCI (CALL, CAPH, CAVM…) aussi.",
        live="300ms",
    )
    if not query.strip():
        return
    hits = search(t, query)
    if not hits:
        st.sidebar.warning(f"Aucun résultat pour « {md_escape(query)} ».")
        return
    box = st.sidebar.container(key=hits_key(query))
    box.caption(f"{len(hits)} suggestion(s) — Entrée ouvre la première")
    for n, hit in enumerate(hits):
        box.button(
            hit.label,
            key=f"hit-{hit.kind}-{hit.ref}",
            on_click=go_to,
            args=(t, hit.kind, hit.ref),
            width="stretch",
            type="primary" if n == 0 else "secondary",
        )
