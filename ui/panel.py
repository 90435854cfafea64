"""The side panel: the widget that shows a feature's record, each fact with its source and date."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from domain.records import Record
from domain.search import KIND_LABELS
from layers.escape import escape_text

SELECTION_KEY = "selection"
# The facts' style, a file beside this module, read once.
CSS = "<style>\n" + Path(__file__).with_suffix(".css").read_text(encoding="utf-8") + "</style>"


def select(kind: str, ref: str) -> None:
    st.session_state[SELECTION_KEY] = (kind, ref)


def clear() -> None:
    st.session_state.pop(SELECTION_KEY, None)


def selection() -> tuple[str, str] | None:
    return st.session_state.get(SELECTION_KEY)


def _safe(text: str) -> str:
    # escape_text also neutralises $ (LaTeX in st.markdown) and braces; newlines would end the
    # HTML block and let Markdown parse the rest, so they become <br>.
    return escape_text(text).replace("\r", "").replace("\n", "<br>")


def fact_html(label: str, value: str, source: str, date: str, quote: str) -> str:
    """One fact as HTML (every text escaped), styled by ``CSS``: label, value, source · date, quote."""
    src = " · ".join(b for b in (source, date) if b) or "non renseignée"
    q = f'<div class="q">« {_safe(quote)} »</div>' if quote else ""
    return (
        f'<div class="erbm-fact"><div class="l">{_safe(label)}</div>'
        f'<div class="v">{_safe(value)}</div><div class="s">Source : {_safe(src)}</div>{q}</div>'
    )


def show_record(rec: Record) -> None:
    st.subheader(rec.title)
    st.caption(rec.subtitle)
    st.markdown(
        CSS + "".join(fact_html(f.label, f.value, f.source, f.date, f.quote) for f in rec.facts),
        unsafe_allow_html=True,
    )
    for note in rec.notes:
        st.caption(note)
    if rec.related:
        st.markdown("**Voir aussi**")
        for kind, ref, label in rec.related:
            st.button(
                f"{label} ({KIND_LABELS.get(kind, kind)})",
                key=f"rel-{rec.kind}-{rec.ref}-{kind}-{ref}",
                on_click=select,
                args=(kind, ref),
            )
