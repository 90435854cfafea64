"""Cité filter widgets (sidebar), their state kept across pages and reruns."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from domain.filters import FACET_LABELS, FACETS, CiteFilter, apply, facet_counts
from ui import data
from ui.memo import process_cache

STATE_KEY = "cite_filter"


def current() -> CiteFilter:
    return st.session_state.get(STATE_KEY, CiteFilter())


def _store(facet: str) -> None:
    st.session_state[STATE_KEY] = current().with_facet(facet, st.session_state[f"w_{facet}"])


def set_filter(flt: CiteFilter) -> None:
    """Replace the kept filter; widgets are re-seeded from it on their next draw."""
    st.session_state[STATE_KEY] = flt
    for facet in FACETS:
        st.session_state.pop(f"w_{facet}", None)


def reset() -> None:
    set_filter(CiteFilter())


@process_cache(maxsize=2048)
def _facet_counts(version: str, flt: CiteFilter, facet: str, _cites: pd.DataFrame) -> dict[str, int]:
    """Counts per value of ``facet``, once per version of the cités and filter (a filter rerun is hot)."""
    del version
    return facet_counts(_cites, flt, facet)


def sidebar_filters(cites: pd.DataFrame) -> tuple[CiteFilter, pd.DataFrame]:
    """Draw one multiselect per facet, each option with its count; return the filter and the filtered cités."""
    flt = current()
    version = data.display_data().cites_version
    st.sidebar.subheader("Filtrer les cités")
    for facet in FACETS:
        key = f"w_{facet}"
        counts = _facet_counts(version, flt, facet, cites)
        # The kept filter is the one truth, whichever page (or link) set it: the widget is set from
        # it on every draw (a change in the widget has already updated it, in ``_store``), so that
        # a widget never says « Toutes » while the cités are filtered.
        st.session_state[key] = [v for v in flt.selected(facet) if v in counts]
        st.sidebar.multiselect(
            f"{FACET_LABELS[facet]}",
            options=list(counts),
            format_func=lambda v, c=counts: f"{v} ({c[v]})",
            key=key,
            on_change=_store,
            args=(facet,),
            placeholder="Toutes",
        )
    flt = current()
    filtered = apply(cites, flt)
    st.sidebar.caption(f"{len(filtered)} cité(s) sur {len(cites)} après filtres.")
    if not flt.is_empty():
        st.sidebar.button("Effacer les filtres", on_click=reset, width="stretch")
    return flt, filtered
