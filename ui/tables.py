"""Tables shown in the pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

COLUMNS = {
    "nom": "Cité",
    "commune": "Commune",
    "epci_nom": "EPCI",
    "bailleur": "Bailleur",
    "statut": "Statut",
    "statut_date": "Date du statut",
    "logements": "Logements",
    "interet_patrimonial": "Intérêt patrimonial",
    "unesco": "UNESCO",
    "premieres_operations": "Premières opérations",
}


def cites_table(cites: pd.DataFrame, *, selected: str | None = None) -> str | None:
    """Show the cités; return the id of the row the user selected, if any.

    ``selected``: the cité selected elsewhere (a click on the map), shown selected in the table.
    A table's selection can only be set when it is first drawn: the table is keyed by it, so that
    a cité chosen on the map draws a new table with that row selected.
    """
    frame = pd.DataFrame(cites[["id", *COLUMNS]]).rename(columns=COLUMNS).set_index("id")
    frame["Logements"] = frame["Logements"].astype("Int64")
    frame["Date du statut"] = frame["Date du statut"].replace("", "non renseigné")
    rows_of = {ref: i for i, ref in enumerate(frame.index)}
    default = {"selection": {"rows": [rows_of[selected]]}} if selected in rows_of else None
    event = st.dataframe(
        frame,
        width="stretch",
        height=520,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        selection_default=default,
        key=f"cites-table-{selected or ''}",
        column_config={"Logements": st.column_config.NumberColumn(format="%d")},
    )
    rows = event.selection.rows if event and event.selection else []
    return str(frame.index[rows[0]]) if rows else None
