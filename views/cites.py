"""Page Cités : les cités filtrées sur la carte et dans le tableau, liées l'une à l'autre."""

import streamlit as st

from ui.guard import run_page


def _follow_row(t, chosen: str | None) -> None:
    """A newly chosen row selects its cité and frames it on the map."""
    from domain.territory import feature_frame
    from geo.extent import display_bounds
    from ui import panel
    from ui.mapview import zoom_to

    if chosen and st.session_state.get("cites_table_last") != chosen:
        # Only a new row selection changes the record: « Voir aussi » buttons must not be overridden.
        st.session_state["cites_table_last"] = chosen
        panel.select("cite", chosen)
        frame = feature_frame(t, "cite", chosen)
        if len(frame):
            zoom_to(display_bounds(frame, pad_m=800))


def render() -> None:
    from ui import data, explorer, exports, filters, mapview, panel, recueil, tables, urlsync

    t = data.territory()
    dd = data.display_data()
    urlsync.load_once(t)
    mapview.slim_header("Cités minières de l'ERBM", "la carte et le tableau des cités filtrées")
    urlsync.show_warnings()
    flt, filtered = filters.sidebar_filters(t.cites)
    st.markdown(f"**{len(filtered)} cité(s) sur {len(t.cites)}** · {flt.describe()}")
    selected = panel.selection()
    selected_cite = selected[1] if selected and selected[0] == "cite" else None
    # The map beside the table (above it on a phone: Streamlit stacks columns on a narrow screen).
    col_map, col_table = st.columns([1.15, 1], gap="medium")
    with col_table:
        chosen = tables.cites_table(filtered, selected=selected_cite)
        _follow_row(t, chosen)
        exports.cite_downloads(t, filtered, flt, key="cites-export")
        recueil.cites_recueil(t, list(filtered["id"]), flt.describe())
    with col_map:
        options = mapview.MapOptions(layers=("communes", "epci", "cites"))
        explorer.page_map_and_panel(t, dd, filtered, flt, options)
    urlsync.write(t)


run_page(render)
