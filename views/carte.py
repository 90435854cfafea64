"""Page Carte : l'explorateur (couches, indicateur, recherche, filtres, fiche)."""

import streamlit as st

from ui.guard import run_page


def render() -> None:
    from domain.metrics import INDICATORS
    from layers.map import BASEMAPS
    from ui import communetable, data, explorer, firstpaint, headline, mapview, search, urlsync

    t = data.territory()
    dd = data.display_data()
    urlsync.load_once(t)
    # The slim header sits above the map and the key figures under it (the map fills the window
    # below the header), both sent after the map: the browser starts loading the map while the
    # rest of the page arrives.
    top = st.container()

    def options() -> mapview.MapOptions:
        # The display widgets keep their value in the session (urlsync.kept_widget), set by their
        # callbacks before the run: the map can be drawn before them.
        indicator = st.session_state.get("indicator")
        basemap = st.session_state.get("basemap")
        return mapview.MapOptions(
            indicator=indicator if indicator in INDICATORS else next(iter(INDICATORS)),
            basemap=BASEMAPS.get(basemap) if basemap in BASEMAPS else None,
            large_type=bool(st.session_state.get("large_type", False)),
            layers=tuple(st.session_state.get(urlsync.LAYERS_KEY, mapview.DEFAULT_LAYERS)),
        )

    def controls() -> None:
        search.sidebar_search(t)
        st.sidebar.subheader("Affichage")
        urlsync.kept_widget(
            st.sidebar.selectbox,
            "indicator",
            "Colorer les communes selon",
            options=list(INDICATORS),
            format_func=lambda k: INDICATORS[k].label,
        )
        urlsync.kept_widget(
            st.sidebar.selectbox,
            "basemap",
            "Fond de carte",
            options=list(BASEMAPS),
            help="Les fonds en ligne demandent internet ; sans réseau, le contexte vectoriel reste affiché.",
        )
        urlsync.kept_widget(st.sidebar.toggle, "large_type", "Grands caractères (projection)")

    def header() -> None:
        with top:
            mapview.slim_header(
                "Carte ERBM", "Engagement pour le renouveau du bassin minier du Nord et du Pas-de-Calais (2017-2027)"
            )
            urlsync.show_warnings()

    # A browser's first view holds the widgets back until the map is shown (ui/firstpaint.py); the
    # header (Markdown: no code to load) is drawn with the map.
    header_first = firstpaint.holds_widgets()
    if header_first:
        header()
    explorer.filtered_map_and_panel(t, dd, options, controls)
    if not header_first:
        header()
    # Under the map, never above it: the map fills the window below the header. On a first view
    # they come with the widgets, once the map is drawn: below the fold, their Markdown (a table
    # and its notes) was parsed by the browser ahead of the map's mounting (ui/firstpaint.py).
    if not header_first:
        st.subheader("Chiffres clés")
        headline.key_figures_row(t, cites_version=dd.cites_version)
        st.caption(f"Communes BUD : {mapview.bud_note(t, dd)}")
        communetable.show(t, dd, options().indicator)


run_page(render)
