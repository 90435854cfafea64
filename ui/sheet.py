"""The territory sheet: key figures, cités, roads and comparisons, every figure sourced."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.panel import CSS, _fact_html


@st.cache_data(show_spinner="Préparation de la fiche PDF…", max_entries=64)
def fiche_pdf(kind: str, ref: str, built: str) -> bytes:
    """The A4 PDF, cached per territory and data build (``built`` invalidates it on a rebuild)."""
    from fiche.pdf import render_fiche
    from ui.data import territory

    del built
    return render_fiche(territory(), kind, ref)


def show(content) -> None:  # content: fiche.content.FicheContent
    st.subheader("Chiffres clés")
    st.markdown(
        CSS + "".join(_fact_html(f.label, f.value, f.source, f.date, f.quote) for f in content.figures),
        unsafe_allow_html=True,
    )
    st.subheader(f"Cités ({len(content.cites)})")
    if content.cites:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Cité": c.nom,
                        "Commune": c.commune,
                        "Statut": c.statut,
                        "Date du statut": c.statut_date,
                        "Logements": c.logements,
                        "Source": c.source,
                    }
                    for c in content.cites
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("Aucune cité de l'inventaire ERBM dans ce territoire.")
    st.subheader(f"Projets routiers ({len(content.roads)})")
    if content.roads:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Projet": r.nom,
                        "Avancement": r.avancement,
                        "Longueur": r.longueur,
                        "Tracé": r.trace,
                        "Source": r.source,
                    }
                    for r in content.roads
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("Aucun projet routier ne traverse ni ne touche ce territoire.")
    if content.comparisons:
        st.subheader("Comparaisons")
        st.dataframe(
            pd.DataFrame(
                [
                    {"Comparaison": c.label, "Valeur": c.value, "Méthode": c.method, "Source": c.source}
                    for c in content.comparisons
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    for note in content.notes:
        st.caption(note)
    with st.expander("Sources de la fiche"):
        for doc in content.documents:
            st.markdown(f"- {doc}")
        st.caption(" · ".join(content.attributions) + f" · Données construites le {content.built}")
