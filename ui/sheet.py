"""The territory sheet: key figures, cités, roads and comparisons, every figure sourced."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.panel import CSS, _fact_html


@st.cache_data(show_spinner="Préparation de la fiche PDF…", max_entries=64)
def fiche_pdf(kind: str, ref: str, built: str, values_version: str) -> bytes:
    """The A4 PDF, cached per territory, data build and version of the cités' values.

    ``built`` and ``values_version`` are cache keys: a rebuild or another version gives another PDF.
    """
    from fiche.pdf import render_fiche
    from ui.asof import caption
    from ui.data import territory

    del built, values_version
    return render_fiche(territory(), kind, ref, values_version=caption())


def _table(rows: list[dict[str, object]], *, empty: str) -> None:
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption(empty)


def show(content) -> None:  # content: fiche.content.FicheContent
    st.subheader("Chiffres clés")
    st.markdown(
        CSS + "".join(_fact_html(f.label, f.value, f.source, f.date, f.quote) for f in content.figures),
        unsafe_allow_html=True,
    )
    st.subheader(f"Cités ({len(content.cites)})")
    _table(
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
        ],
        empty="Aucune cité de l'inventaire ERBM dans ce territoire.",
    )
    st.subheader(f"Projets routiers ({len(content.roads)})")
    _table(
        [
            {"Projet": r.nom, "Avancement": r.avancement, "Longueur": r.longueur, "Tracé": r.trace, "Source": r.source}
            for r in content.roads
        ],
        empty="Aucun projet routier ne traverse ni ne touche ce territoire.",
    )
    if content.comparisons:
        st.subheader("Comparaisons")
        _table(
            [
                {"Comparaison": c.label, "Valeur": c.value, "Méthode": c.method, "Source": c.source}
                for c in content.comparisons
            ],
            empty="",
        )
    for note in content.notes:
        st.caption(note)
    with st.expander("Sources de la fiche"):
        for doc in content.documents:
            # Document titles include planner-typed names (« saisie par … »): never Markdown.
            st.text(f"• {doc}")
        st.caption(" · ".join(content.attributions) + f" · Données construites le {content.built}")
