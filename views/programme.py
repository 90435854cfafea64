"""Page Programme : les indicateurs du programme dans le temps, face à leurs objectifs."""

import streamlit as st

from ui.guard import run_page


def _charts() -> None:
    from domain.programme import charted_series, series
    from ui import charts, data

    t = data.territory()
    specs = charted_series(t)
    st.subheader("Les séries")
    st.caption(
        "Seuls les indicateurs publiés pour au moins deux années, pour une même mesure (même définition, "
        "même unité) sont tracés ; chaque point est daté avec la précision du document (« mi-2025 » reste mi-2025)."
    )
    cols = st.columns(2)
    for i, spec in enumerate(specs):
        with cols[i % 2]:
            charts.series_chart(spec, series(t, spec.indicator))
            st.caption(f"Définition : {spec.definition}")


def _facts_table() -> None:
    from core.text import search_key
    from domain.programme import single_facts
    from ui import data

    facts = single_facts(data.territory())
    st.subheader("Les autres chiffres publiés")
    st.caption(
        "Un chiffre publié une seule fois (ou à une seule date) n'est pas une série : il est listé ici, avec sa "
        "définition, sa source et sa citation."
    )
    query = st.text_input("Rechercher un chiffre (mot du libellé, de la définition ou de la citation)", key="prog_q")
    if query.strip():
        words = search_key(query).split()
        haystack = (facts["Indicateur"] + " " + facts["Définition"] + " " + facts["Citation"]).map(search_key)
        facts = facts[haystack.map(lambda text: all(w in text for w in words))]
        st.caption(f"{len(facts)} chiffre(s) trouvé(s)")
    st.dataframe(facts, hide_index=True, width="stretch")


def render() -> None:
    from domain.programme import epci_breakdown
    from ui import actions as actions_ui
    from ui import data

    t = data.territory()
    st.title("Le programme en chiffres")
    st.caption(
        "Chaque point est un chiffre publié dans un document du programme ou une page officielle, "
        "à la date qu'il décrit ; survolez un point pour lire sa source et sa citation."
    )
    _charts()
    st.subheader("Par EPCI")
    st.caption("Seuls les chiffres publiés pour un EPCI sont montrés ; les autres sont « non renseigné ».")
    st.dataframe(epci_breakdown(t), hide_index=True, width="stretch")
    _facts_table()
    actions_ui.programme_section()


run_page(render)
