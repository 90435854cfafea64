"""Key figures row: value, then its source and date in small type."""

from __future__ import annotations

import streamlit as st

from domain.keyfigures import key_figures
from geo.load import Territory


def key_figures_row(t: Territory) -> None:
    figures = key_figures(t)
    for col, fig in zip(st.columns(len(figures)), figures, strict=True):
        col.metric(fig.label, fig.value, help=f"« {fig.quote} »" if fig.quote else None)
        col.caption(f"{fig.source} · {fig.date}" if fig.date else fig.source)
