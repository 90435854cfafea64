"""A territory profile on the Mon territoire page (key figures, cités, roads and comparisons, every
figure sourced), and its PDF fiche, cached."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from domain.profile import Profile
from ui.actions import show_programme
from ui.panel import CSS, fact_html


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


def show_profile(profile: Profile) -> None:
    """The profile's tables, below the map of the Mon territoire page."""
    st.subheader("Chiffres clés")
    st.markdown(
        CSS + "".join(fact_html(f.label, f.value, f.source, f.date, f.quote) for f in profile.facts),
        unsafe_allow_html=True,
    )
    st.subheader(f"Cités ({len(profile.cites)})")
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
            for c in profile.cites
        ],
        empty="Aucune cité de l'inventaire ERBM dans ce territoire.",
    )
    st.subheader(f"Projets routiers ({len(profile.roads)})")
    _table(
        [
            {
                "Projet": r.nom,
                "Avancement": r.avancement,
                "Coût, financeurs, dates": r.chiffres or "non renseigné",
                "Longueur": r.longueur,
                "Tracé": r.trace,
                "Source": r.source,
            }
            for r in profile.roads
        ],
        empty="Aucun projet routier ne traverse ni ne touche ce territoire.",
    )
    show_programme(profile)
    if profile.comparisons:
        st.subheader("Comparaisons")
        _table(
            [
                {"Comparaison": c.label, "Valeur": c.value, "Méthode": c.method, "Source": c.source}
                for c in profile.comparisons
            ],
            empty="",
        )
    for note in profile.notes:
        st.caption(note)
    with st.expander("Sources de la fiche"):
        for doc in profile.documents:
            # Document titles include planner-typed names (« saisie par … »): never Markdown.
            st.text(f"• {doc}")
        st.caption(" · ".join(profile.attributions) + f" · Données construites le {profile.built}")
