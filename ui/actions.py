"""The actions layer on the map: its theme and status filters (sidebar, with counts) and the layer
built from them, kept across reruns like the cités' filters."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from core.text import format_int
from core.vocab import NON_RENSEIGNE
from domain.actions import (
    FACETS,
    POSITIONS,
    SUM_METHOD,
    THEMES,
    ActionFilter,
    counts,
    facet_counts,
    load_actions,
    theme_summary,
)
from domain.profile import Profile
from domain.profile.programme import programme_here
from domain.records import Record
from geo.crs import to_display
from layers import actions as actions_layer
from layers.spec import BuiltLayer
from ui import panel
from ui.text import md_escape

STATE_KEY = "action_filter"


def current() -> ActionFilter:
    return st.session_state.get(STATE_KEY, ActionFilter())


GENERATION_KEY = "action_filter_generation"


def _key(facet: str) -> str:
    # A reset starts new widgets (a new key): the old ones' values, still shown by the browser,
    # would otherwise come back with the next run.
    return f"wa_{facet}_{st.session_state.get(GENERATION_KEY, 0)}"


def _store(facet: str) -> None:
    st.session_state[STATE_KEY] = current().with_facet(facet, st.session_state[_key(facet)])


def reset() -> None:
    st.session_state[STATE_KEY] = ActionFilter()
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1


@st.cache_resource(show_spinner=False)
def display_points() -> gpd.GeoDataFrame:
    """The actions' points in EPSG:4326, once per server."""
    return to_display(load_actions().points)


@st.cache_resource(show_spinner=False, max_entries=256)
def _layer(flt: ActionFilter, show: bool) -> BuiltLayer:
    points = display_points()
    kept = flt.apply(points)
    return actions_layer.build(kept, show=show, total=points["id"].nunique(), filtered=not flt.is_empty())


def bundle_features() -> dict[str, object]:
    """The actions' circles for the map's static bundle."""
    return actions_layer.bundle_features(display_points())


def map_layer(*, show: bool) -> BuiltLayer:
    """The « Actions du programme » layer for the session's filter."""
    return _layer(current(), show)


def sidebar_filters() -> None:
    """One multiselect per facet (thème, statut), each value with its number of actions."""
    flt = current()
    table = load_actions().table
    st.sidebar.subheader("Filtrer les actions du programme")
    for facet, (label, values) in FACETS.items():
        key = _key(facet)
        counts = facet_counts(table, flt, facet)
        if key not in st.session_state:
            st.session_state[key] = [v for v in flt.selected(facet) if v in counts]
        st.sidebar.multiselect(
            label,
            options=list(counts),
            format_func=lambda v, c=counts, names=values, f=facet: f"{names[v] if f == 'theme' else v} ({c[v]})",
            key=key,
            on_change=_store,
            args=(facet,),
            placeholder="Tous",
        )
    flt = current()
    st.sidebar.caption(f"{len(flt.apply(table))} action(s) sur {len(table)} après filtres.")
    if not flt.is_empty():
        st.sidebar.button("Effacer les filtres des actions", on_click=reset, width="stretch")


def show_programme(profile: Profile) -> None:
    """« Ce que le programme fait ici » on the Mon territoire page: actions by theme, then the
    indicators the documents give for this commune or EPCI."""
    here = profile.programme
    if here is None:
        return
    st.subheader(f"Ce que le programme fait ici ({here.count} actions)")
    st.caption(f"Actions du programme que ses documents situent dans {here.scope} : {here.total}. {here.method}")
    if not here.themes:
        st.caption("Aucune action des documents du programme n'est située dans ce territoire.")
    for label, lines in here.themes:
        st.markdown(f"**{md_escape(label)}** ({len(lines)})")
        rows = [
            {
                "Action": a.nom,
                "Communes": a.communes,
                "Statut": a.statut,
                "Montant": a.montant,
                "Dates": a.dates,
                "Source": a.source,
            }
            for a in lines
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if here.indicators:
        st.markdown(f"**Chiffres que les documents donnent pour ce territoire** ({len(here.indicators)})")
        rows = [
            {"Indicateur": i.label, "Valeur": i.value, "Date": i.date, "Source": i.source, "Citation": i.quote}
            for i in here.indicators
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _euros(value: object) -> str:
    return NON_RENSEIGNE if pd.isna(value) else f"{format_int(int(value))} €"  # type: ignore[arg-type]


def programme_section() -> None:
    """Programme page: per theme, the number of actions, the sum of their amounts and how many have none."""
    actions = load_actions()
    summary = theme_summary(actions)
    st.subheader("Les actions du programme, par thème")
    st.caption(
        f"{len(actions.table)} actions que les documents du programme situent dans une ou plusieurs communes. "
        + SUM_METHOD
    )
    rows = [
        {
            "Thème": r.libelle,
            "Actions": r.actions,
            "Somme des montants donnés": f"{format_int(r.montant)} €" if r.avec_montant else NON_RENSEIGNE,
            "Actions avec un montant": r.avec_montant,
            "Actions sans montant": r.sans_montant,
        }
        for r in summary.itertuples(index=False)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    with st.expander("Toutes les actions (nom, communes, statut, montant, source)"):
        table = actions.table
        st.dataframe(
            pd.DataFrame(
                {
                    "Action": table["nom"],
                    "Thème": table["theme"].map(THEMES),
                    "Communes": table["communes_noms"],
                    "Statut": table["statut"],
                    "Montant": table["montant"].map(
                        lambda v: NON_RENSEIGNE if pd.isna(v) else f"{format_int(int(v))} €"
                    ),
                    "Document": table["document"],
                    "Section": table["section"],
                    "Citation": table["citation"],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def sources_section() -> None:
    """Sources page: the actions counted by theme and by position method, and what the documents
    mention without placing it."""
    actions = load_actions()
    c = counts(actions)
    st.subheader("Actions du programme : ce qui est lu et comment c'est placé")
    st.markdown(
        f"**{c['count']} actions** lues dans les cinq documents du programme "
        f"(`data/sources/actions.csv`, chaque action avec sa citation), reliées à {c['links_to_communes']} "
        f"communes (une action nommée dans plusieurs communes compte dans chacune) ; "
        f"{c['with_amount']} avec un montant, {c['with_date']} avec au moins une date "
        "(`data/sources/actions_faits.csv`, un fait par ligne, avec sa citation)."
    )
    left, right = st.columns(2)
    with left:
        st.dataframe(
            pd.DataFrame({"Thème": [THEMES[k] for k in c["by_theme"]], "Actions": list(c["by_theme"].values())}),
            hide_index=True,
            width="stretch",
        )
    with right:
        st.dataframe(
            pd.DataFrame(
                {"Position": [POSITIONS[k] for k in c["by_position"]], "Actions": list(c["by_position"].values())}
            ),
            hide_index=True,
            width="stretch",
        )
    st.caption(
        "Aucun des documents ne publie les coordonnées d'un site : chaque action est dessinée en un point "
        "conventionnel à l'intérieur de sa commune (cercle pointillé). Les cités et les quatre projets routiers "
        "ont leurs propres couches et ne sont pas repris comme actions."
    )
    st.markdown(f"**Mentionné dans les documents mais non placé** ({len(actions.non_placed)})")
    st.dataframe(
        actions.non_placed.assign(theme=actions.non_placed["theme"].map(THEMES)).rename(
            columns={
                "nom": "Mention",
                "theme": "Thème",
                "document": "Document",
                "section": "Section",
                "citation": "Citation",
                "raison": "Pourquoi non placé",
            }
        ),
        hide_index=True,
        width="stretch",
    )


# A record's side panel lists the programme's actions in its territory: one button each, which
# opens the action's own record (facts, amounts, dates and quotes).
PANEL_KINDS = ("commune", "epci", "cite")
PANEL_SHOWN = 6  # per theme before « … et N autres » folds the rest


def _panel_buttons(rec_key: str, lines: tuple) -> None:
    for a in lines:
        st.button(
            f"{a.nom} ({a.statut})",
            key=f"act-{rec_key}-{a.id}",
            on_click=panel.select,
            args=("action", a.id),
        )


@panel.add_section
def panel_actions(rec: Record) -> None:
    """« Actions du programme ici » in the panel of a commune, an EPCI or a cité (its commune)."""
    if rec.kind not in PANEL_KINDS:
        return
    from ui import data

    here = programme_here(data.territory(), rec.kind, rec.ref, actions=load_actions())
    st.markdown(f"**Actions du programme ici ({here.count})**")
    if not here.themes:
        st.caption(f"Aucune action des documents du programme n'est située dans {here.scope}.")
        return
    st.caption(f"Situées dans {here.scope} par les documents du programme : {here.total}.")
    key = f"{rec.kind}-{rec.ref}"
    for label, lines in here.themes:
        st.markdown(f"*{md_escape(label)}* ({len(lines)})")
        _panel_buttons(key, lines[:PANEL_SHOWN])
        if len(lines) > PANEL_SHOWN:
            with st.expander(f"… et {len(lines) - PANEL_SHOWN} autres"):
                _panel_buttons(key, lines[PANEL_SHOWN:])
