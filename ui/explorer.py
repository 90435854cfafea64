"""The map and its side panel, rerun alone (a fragment) when the user clicks the map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from domain.filters import CiteFilter
from domain.records import record
from geo.load import Territory
from ui import exports, mapview, panel, urlsync
from ui.data import DisplayData


@st.fragment
def map_and_panel(
    t: Territory,
    dd: DisplayData,
    filtered: pd.DataFrame,
    flt: CiteFilter,
    options: mapview.MapOptions,
    *,
    territory_communes: set[str] | None = None,
    write_url: bool = True,
    show_exports: bool = True,
) -> None:
    selected = panel.selection()
    highlight = set(territory_communes or ())
    if selected and selected[0] == "commune" and not territory_communes:
        highlight.add(selected[1])
    col_map, col_panel = st.columns([3.2, 1], gap="medium")
    with col_map:
        mapview.show(t, dd, cite_ids=filtered["id"].tolist(), options=options, highlight=highlight, fragment=True)
        if show_exports:
            st.markdown(f"**{len(filtered)} cité(s) affichée(s) sur {len(t.cites)}** · {flt.describe()}")
            exports.cite_downloads(t, filtered, flt, key="carte-export")
    with col_panel:
        rec = record(t, *selected) if selected else None
        if rec is None:
            st.info("Cliquez sur une commune, une cité, un EPCI ou un projet routier, ou utilisez la recherche.")
        else:
            panel.show_record(rec)
    if write_url:
        urlsync.write(t)
