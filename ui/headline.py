"""Key figures row: value, then its source and date in small type."""

from __future__ import annotations

import streamlit as st

from domain.keyfigures import KeyFigure, key_figures
from geo.load import Territory
from settings import get_settings


@st.cache_resource(show_spinner=False, max_entries=32)
def _figures(data_dir: str, cites_version: str, _t: Territory) -> tuple[KeyFigure, ...]:
    """Once per data folder and version of the cités: computing them took ≈ 12 ms of every run,
    ahead of the map on a browser's first view."""
    del data_dir, cites_version
    return tuple(key_figures(_t))


def key_figures_row(t: Territory, *, cites_version: str) -> None:
    """``cites_version``: that of the display data drawn with ``t`` (``DisplayData.cites_version``)."""
    figures = _figures(str(get_settings().data_dir), cites_version, t)
    for col, fig in zip(st.columns(len(figures)), figures, strict=True):
        # A metric's value does not wrap: « plus de 15 500 » was cut to « plus de 1… ».
        col.metric(fig.label, fig.short_value or fig.value, help=f"« {fig.quote} »" if fig.quote else None)
        col.caption(f"{fig.source} · {fig.date}" if fig.date else fig.source)
