"""Key figures row: value, then its source and date in small type."""

from __future__ import annotations

import streamlit as st

from domain.keyfigures import key_figures
from geo.load import Territory


def key_figures_row(t: Territory) -> None:
    figures = key_figures(t)
    for col, fig in zip(st.columns(len(figures)), figures, strict=True):
        # A metric's value does not wrap: « plus de 15 500 » was cut to « plus de 1… ».
        col.metric(fig.label, fig.short_value or fig.value, help=f"« {fig.quote} »" if fig.quote else None)
        col.caption(f"{fig.source} · {fig.date}" if fig.date else fig.source)
