"""Page Cités : le tableau des cités filtrées, leurs comptes et leurs exports."""

import streamlit as st

from ui.guard import run_page


def render() -> None:
    from domain.records import record
    from ui import data, exports, filters, panel, recueil, tables, urlsync

    t = data.territory()
    urlsync.load_once(t)
    st.title("Cités minières de l'ERBM")
    urlsync.show_warnings()
    flt, filtered = filters.sidebar_filters(t.cites)
    st.markdown(f"**{len(filtered)} cité(s) sur {len(t.cites)}** · {flt.describe()}")
    chosen = tables.cites_table(filtered)
    if chosen and st.session_state.get("cites_table_last") != chosen:
        # Only a new row selection changes the record: « Voir aussi » buttons must not be overridden.
        st.session_state["cites_table_last"] = chosen
        panel.select("cite", chosen)
    exports.cite_downloads(t, filtered, flt, key="cites-export")
    recueil.cites_recueil(t, list(filtered["id"]), flt.describe())
    selected = panel.selection()
    if selected:
        rec = record(t, *selected)
        if rec is not None:
            st.divider()
            panel.show_record(rec)
    urlsync.write(t)


run_page(render)
