"""Page Programme : les indicateurs du programme dans le temps, face à leurs objectifs."""

import streamlit as st

from ui.guard import run_page


def render() -> None:
    from domain.programme import HEADLINE, epci_breakdown, series
    from ui import actions as actions_ui
    from ui import charts, data

    t = data.territory()
    st.title("Le programme en chiffres")
    st.caption(
        "Chaque point est un chiffre publié dans un document du programme ou une page officielle, "
        "à la date qu'il décrit ; survolez un point pour lire sa source et sa citation."
    )
    cols = st.columns(2)
    for i, spec in enumerate(HEADLINE):
        with cols[i % 2]:
            charts.series_chart(spec, series(t, spec.indicator))
    st.subheader("Par EPCI")
    st.caption("Seuls les chiffres publiés pour un EPCI sont montrés ; les autres sont « non renseigné ».")
    st.dataframe(epci_breakdown(t), hide_index=True, width="stretch")
    st.subheader("Tous les indicateurs")
    st.dataframe(
        t.indicators[["label_fr", "value", "unit", "approx", "as_of", "scope", "doc_id", "section", "quote"]].rename(
            columns={
                "label_fr": "Indicateur",
                "value": "Valeur",
                "unit": "Unité",
                "approx": "Approché",
                "as_of": "Date",
                "scope": "Portée",
                "doc_id": "Document",
                "section": "Section",
                "quote": "Citation",
            }
        ),
        hide_index=True,
        width="stretch",
    )
    actions_ui.programme_section()


run_page(render)
