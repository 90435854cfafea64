"""Page Carte : l'explorateur (couches, indicateur, recherche, filtres, fiche)."""

import streamlit as st

from ui.guard import run_page


def render() -> None:
    from domain.metrics import INDICATORS
    from domain.records import record
    from layers.map import BASEMAPS
    from ui import data, exports, filters, headline, mapview, panel, search

    t = data.territory()
    dd = data.display_data()
    st.title("Carte ERBM")
    st.caption("Engagement pour le renouveau du bassin minier du Nord et du Pas-de-Calais (2017-2027)")
    headline.key_figures_row(t)

    search.sidebar_search(t)
    st.sidebar.subheader("Affichage")
    indicator = st.sidebar.selectbox(
        "Colorer les communes selon",
        options=list(INDICATORS),
        format_func=lambda k: INDICATORS[k].label,
        key="indicator",
    )
    basemap_label = st.sidebar.selectbox(
        "Fond de carte",
        options=list(BASEMAPS),
        key="basemap",
        help="Les fonds en ligne demandent internet ; sans réseau, le contexte vectoriel reste affiché.",
    )
    large = st.sidebar.toggle("Grands caractères (projection)", key="large_type")
    flt, filtered = filters.sidebar_filters(t.cites)

    selected = panel.selection()
    highlight = {selected[1]} if selected and selected[0] == "commune" else set()
    col_map, col_panel = st.columns([3.2, 1], gap="medium")
    with col_map:
        mapview.show(
            t,
            dd,
            cite_ids=filtered["id"].tolist(),
            options=mapview.MapOptions(indicator=indicator, basemap=BASEMAPS[basemap_label], large_type=large),
            highlight=highlight,
        )
        st.markdown(f"**{len(filtered)} cité(s) affichée(s) sur {len(t.cites)}** · {flt.describe()}")
        exports.cite_downloads(t, filtered, flt, key="carte-export")
    with col_panel:
        rec = record(t, *selected) if selected else None
        if rec is None:
            st.info("Cliquez sur une commune, une cité, un EPCI ou un projet routier, ou utilisez la recherche.")
        else:
            panel.show_record(rec)


run_page(render)
