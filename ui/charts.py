"""Programme charts (Altair is bundled with Streamlit and renders offline)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from domain.programme import SeriesSpec


def series_chart(spec: SeriesSpec, points: pd.DataFrame) -> None:
    st.markdown(f"**{spec.title}**")
    if points.empty:
        st.caption("non renseigné : aucun point daté dans les documents chargés")
        return
    data = points.assign(valeur_txt=points["valeur"].map(lambda v: f"{v:,.0f}".replace(",", "\u202f")))
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title="Date", axis=alt.Axis(format="%Y")),
        y=alt.Y("valeur:Q", title=None, scale=alt.Scale(zero=True)),
        tooltip=[
            alt.Tooltip("valeur_txt:N", title="Valeur"),
            alt.Tooltip("periode:N", title="Période"),
            alt.Tooltip("source:N", title="Source"),
            alt.Tooltip("section:N", title="Section"),
            alt.Tooltip("citation:N", title="Citation"),
        ],
    )
    chart = base.mark_line(strokeDash=[4, 3], color="#0072B2") + base.mark_point(filled=True, size=90, color="#0072B2")
    if spec.target is not None:
        target = pd.DataFrame(
            {"valeur": [spec.target], "label": [f"objectif {spec.target:,.0f} en {spec.target_year}"]}
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
