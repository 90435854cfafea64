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


def cites_table(cites: pd.DataFrame) -> str | None:
    """Show the cités; return the id of the row the user selected, if any."""
    frame = pd.DataFrame(cites[["id", *COLUMNS]]).rename(columns=COLUMNS).set_index("id")
    frame["Logements"] = frame["Logements"].astype("Int64")
    frame["Date du statut"] = frame["Date du statut"].replace("", "non renseigné")
    event = st.dataframe(
        frame,
        width="stretch",
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="cites-table",
        column_config={"Logements": st.column_config.NumberColumn(format="%d")},
    )
    rows = event.selection.rows if event and event.selection else []
    return str(frame.index[rows[0]]) if rows else None
