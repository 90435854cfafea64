"""Programme charts (Altair is bundled with Streamlit and renders offline)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from core.text import format_int
from domain.programme import SeriesSpec

# Vega formats numbers the English way (23,000); French readers expect 23 000, grouped with the
# narrow no-break space that core.text puts in every other number of the app.
FRENCH_NUMBER = "replace(format(datum.value, ',.0f'), regexp(',', 'g'), '\u202f')"


def series_chart(spec: SeriesSpec, points: pd.DataFrame) -> None:
    st.markdown(f"**{spec.title}**")
    if points.empty:
        st.caption("non renseigné : aucun point daté dans les documents chargés")
        return
    data = points.assign(
        valeur_txt=[
            f"{q} {format_int(v)}".strip() for q, v in zip(points["qualificatif"], points["valeur"], strict=True)
        ]
    )
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1})),
        y=alt.Y("valeur:Q", title=None, scale=alt.Scale(zero=True), axis=alt.Axis(labelExpr=FRENCH_NUMBER)),
        tooltip=[
            alt.Tooltip("valeur_txt:N", title="Valeur"),
            alt.Tooltip("date_txt:N", title="Date"),
            alt.Tooltip("source:N", title="Source"),
            alt.Tooltip("section:N", title="Section"),
            alt.Tooltip("citation:N", title="Citation"),
        ],
    )
    chart = base.mark_line(strokeDash=[4, 3], color="#0072B2") + base.mark_point(filled=True, size=90, color="#0072B2")
    if spec.target is not None:
        target = pd.DataFrame(
            {"valeur": [spec.target], "label": [f"objectif {format_int(spec.target)} en {spec.target_year}"]}
        )
        chart = (
            chart
            + alt.Chart(target).mark_rule(color="#D55E00", strokeWidth=2).encode(y="valeur:Q")
            + alt.Chart(target)
            .mark_text(align="left", dx=5, dy=-8, color="#D55E00")
            .encode(y="valeur:Q", text="label:N")
        )
    st.altair_chart(chart.properties(height=260), width="stretch")
    st.caption(" · ".join(f"{r.periode} : {r.source}" for r in points.itertuples()))
