"""Page Carte : l'explorateur (couches, indicateur, recherche, filtres, fiche)."""

import streamlit as st

from ui.guard import run_page


def render() -> None:
    from domain.metrics import INDICATORS
    from layers.map import BASEMAPS
    from ui import data, explorer, filters, headline, mapview, search, urlsync

    t = data.territory()
    dd = data.display_data()
    urlsync.load_once(t)
    st.title("Carte ERBM")
    st.caption("Engagement pour le renouveau du bassin minier du Nord et du Pas-de-Calais (2017-2027)")
    urlsync.show_warnings()
    headline.key_figures_row(t)

    search.sidebar_search(t)
    st.sidebar.subheader("Affichage")
    indicator = urlsync.kept_widget(
        st.sidebar.selectbox,
        "indicator",
        "Colorer les communes selon",
        options=list(INDICATORS),
        format_func=lambda k: INDICATORS[k].label,
    )
    basemap_label = urlsync.kept_widget(
        st.sidebar.selectbox,
        "basemap",
        "Fond de carte",
        options=list(BASEMAPS),
        help="Les fonds en ligne demandent internet ; sans réseau, le contexte vectoriel reste affiché.",
    )
    large = urlsync.kept_widget(st.sidebar.toggle, "large_type", "Grands caractères (projection)")
    flt, filtered = filters.sidebar_filters(t.cites)
    options = mapview.MapOptions(
        indicator=indicator,
        basemap=BASEMAPS[basemap_label],
        large_type=large,
        layers=tuple(st.session_state.get(urlsync.LAYERS_KEY, mapview.DEFAULT_LAYERS)),
    )
    explorer.map_and_panel(t, dd, filtered, flt, options)


run_page(render)
