"""Key figures: one Markdown table (label, value, then source and date in small type).

A table, not a row of ``st.metric``: Streamlit loads the code of each kind of element on first
use, and a metric's (nine files, number formatting and chart libraries included) held back the
map on a browser's first view (ui/firstpaint.py), while Markdown is part of the page's own code.
The labels are the table's column headers, so a screen reader reads each value with its label.
"""

from __future__ import annotations

import streamlit as st

from domain.keyfigures import KeyFigure, key_figures
from geo.load import Territory
from settings import get_settings
from ui.memo import process_cache
from ui.text import md_literal


@process_cache(maxsize=32)
def _markdown(data_dir: str, cites_version: str, _t: Territory) -> str:
    """Once per data folder and version of the cités: computing the figures took ≈ 12 ms of every
    run, ahead of the map on a browser's first view."""
    del data_dir, cites_version
    return key_figures_markdown(key_figures(_t))


def _small(text: str) -> str:
    return f":gray[:small[{md_literal(text)}]]"


def key_figures_markdown(figures: list[KeyFigure]) -> str:
    """The figures as a GitHub-flavoured Markdown table; the sources' own sentences as notes."""
    quoted = [f for f in figures if f.quote]
    marks = {f.label: f"{i}" for i, f in enumerate(quoted, start=1)}

    def label(f: KeyFigure) -> str:
        return md_literal(f.label) + (f" ({marks[f.label]})" if f.label in marks else "")

    rows = [
        "| " + " | ".join(label(f) for f in figures) + " |",
        "|" + "|".join(":--" for _ in figures) + "|",
        "| " + " | ".join(f"**{md_literal(f.value)}**" for f in figures) + " |",
        "| " + " | ".join(_small(f"{f.source} · {f.date}" if f.date else f.source) for f in figures) + " |",
    ]
    notes = [_small(f"({marks[f.label]}) {f.label} : « {f.quote} »") for f in quoted]
    return "\n".join(rows) + ("\n\n" + "  \n".join(notes) if notes else "")


def key_figures_row(t: Territory, *, cites_version: str) -> None:
    """``cites_version``: that of the display data drawn with ``t`` (``DisplayData.cites_version``)."""
    st.markdown(_markdown(str(get_settings().data_dir), cites_version, t))
