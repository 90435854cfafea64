"""The communes as a table: the text alternative to the choropleth (what Géoclip and ArcGIS call
the table view). Each commune with the indicator that colours it, its class and the class's
colour named by its legend line, in the map's own classes (the same Colouring)."""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from geo.load import Territory
from layers.communes import Colouring
from ui.data import DisplayData


def frame(dd: DisplayData, col: Colouring) -> pd.DataFrame:
    """One row per perimeter commune, in the map's order: name, INSEE, indicator, class."""
    # The legend's line without its count: « 108 – 3 187 (134) » is the class « 108 – 3 187 ».
    classes = {e.color: re.sub(r" \(\d+\)$", "", html.unescape(e.label)) for e in col.legend.entries}
    names = dd.communes["nom"].astype(str).tolist() if "nom" in dd.communes else [""] * len(col.values)
    rows = []
    for insee, name, value in zip(dd.communes["insee"].astype(str), names, col.values, strict=True):
        index, shown = value if isinstance(value, tuple) else (value, None)
        color, text = col.palette[index]
        number = shown if isinstance(value, tuple) else text
        number = html.unescape(number) if number is not None else "non renseigné"
        if isinstance(value, tuple) and shown is not None and col.unit:
            number = f"{number} {html.unescape(col.unit)}"
        rows.append(
            {
                "Commune": name,
                "Code INSEE": insee,
                html.unescape(col.label): number,
                "Classe (légende)": classes.get(color, number),
            }
        )
    return pd.DataFrame(rows).sort_values("Commune", key=lambda s: s.str.normalize("NFD")).reset_index(drop=True)


def show(t: Territory, dd: DisplayData, indicator: str) -> None:
    """The table under the map, drawn only once the reader asks for it (a toggle): the Carte page
    does not load a table's code for a reader who does not open it."""
    from ui import mapcache

    col = mapcache.colouring(t, dd, indicator)
    label = html.unescape(col.label)
    if not st.toggle(f"Tableau des communes : {label} et sa classe sur la carte", key="communes-table"):
        return
    st.caption(
        "La même information que les couleurs des communes, en texte : la valeur de l'indicateur "
        "et la classe de la légende où elle tombe. Source : " + html.unescape(col.legend.note.removeprefix("Source : "))
    )
    st.dataframe(frame(dd, col), hide_index=True, width="stretch", height=360)
