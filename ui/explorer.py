"""The map and its side panel, rerun alone (a fragment) when the user clicks the map or, on the
Carte page, changes a filter, the search or a display option: the rest of the page (header, key
figures) does not depend on them and is not rebuilt."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from domain.filters import CiteFilter, apply
from domain.records import record
from geo.load import Territory
from ui import actions as actions_ui
from ui import exports, filters, firstpaint, mapview, panel, urlsync
from ui.data import DisplayData


def _map_and_panel(
    t: Territory,
    dd: DisplayData,
    filtered: pd.DataFrame,
    flt: CiteFilter,
    options: mapview.MapOptions,
    *,
    territory_communes: set[str] | None = None,
    write_url: bool = True,
    show_exports: bool = True,
    sidebar: Callable[[], object] | None = None,
    on_map_drawn: Callable[[], None] | None = None,
) -> None:
    firstpaint.rerun_if_full_page_due()
    selected = panel.selection()
    highlight = set(territory_communes or ())
    if selected and selected[0] == "commune" and not territory_communes:
        highlight.add(selected[1])
    # The map takes the page's whole width; the selected element's record is drawn over its right
    # side (under it on a phone: ui/mapview.css), only while something is selected.
    rec = record(t, *selected) if selected else None
    chosen = {"kind": rec.kind, "ref": rec.ref, "label": rec.title} if rec is not None else None
    with st.container(key="erbm-stage"):
        mapview.show(
            t,
            dd,
            cite_ids=filtered["id"].tolist(),
            options=options,
            highlight=highlight,
            on_drawn=on_map_drawn,
            selection=chosen,
        )
        if rec is not None:
            with st.container(key="erbm-fiche"):
                st.button("Fermer la fiche", key="erbm-fiche-close", on_click=panel.clear, icon=":material/close:")
                panel.show_record(rec)
    if show_exports:
        st.markdown(f"**{len(filtered)} cité(s) affichée(s) sur {len(t.cites)}** · {flt.describe()}")
        exports.cite_downloads(t, filtered, flt, key="carte-export")
    if sidebar is not None:
        sidebar()
    if write_url:
        urlsync.write(t)


def page_map_and_panel(
    t: Territory,
    dd: DisplayData,
    filtered: pd.DataFrame,
    flt: CiteFilter,
    options: mapview.MapOptions,
) -> None:
    """The map and its panel as part of the whole page (no fragment): a click on the map reruns
    the page, so that what else it shows (the Cités page's table) follows the selection."""
    _map_and_panel(t, dd, filtered, flt, options, write_url=False, show_exports=False)


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
    _map_and_panel(
        t,
        dd,
        filtered,
        flt,
        options,
        territory_communes=territory_communes,
        write_url=write_url,
        show_exports=show_exports,
    )


@st.fragment
def filtered_map_and_panel(
    t: Territory,
    dd: DisplayData,
    options: Callable[[], mapview.MapOptions],
    controls: Callable[[], None],
) -> None:
    """The Carte page's explorer: the map, its panel and exports, and the sidebar controls
    (``controls``: search and display options; then the cité filters).

    Any change in them reruns this fragment only (Streamlit lets a fragment draw into the
    sidebar, and a widget it drew there reruns the fragment, not the page). The map goes out
    first and the sidebar's widgets last: their callbacks have already stored the options and
    the filter when the run starts. The browser then asks for the map's code before the widgets'
    (it loads each kind of element on first use, a few at a time), and loads the map while the
    rest arrives.
    """
    flt = filters.current()
    # A browser's first view: the map first, the widgets on the next run (ui/firstpaint.py).
    prelude = firstpaint.begin_prelude()

    def sidebar() -> None:
        controls()
        filters.sidebar_filters(t.cites)
        actions_ui.sidebar_filters()

    _map_and_panel(
        t,
        dd,
        apply(t.cites, flt),
        flt,
        options(),
        show_exports=not prelude,
        sidebar=None if prelude else sidebar,
        on_map_drawn=firstpaint.on_map_drawn if prelude else None,
    )
