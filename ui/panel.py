"""The side panel: the widget that shows a feature's record, each fact with its source and date."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from core.text import french_date
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


# More sections of a record's panel, drawn after its facts, each given the record (a programme's
# actions touching the territory, say): a module adds its function with :func:`add_section`.
EXTRA_SECTIONS: list[Callable[[Record], None]] = []


def add_section(draw: Callable[[Record], None]) -> Callable[[Record], None]:
    """Register ``draw`` as a section of every record's panel (usable as a decorator); once."""
    if draw not in EXTRA_SECTIONS:
        EXTRA_SECTIONS.append(draw)
    return draw


# The pages of a full record and of its PDF: the kinds Mon territoire opens.
SHEET_KINDS = ("commune", "epci", "cite")
PDF_KEY = "panel_pdf_ready"


def status_sentence(rec: Record) -> str:
    """A cité's status and its date in words, from its « Statut » fact ("" for other kinds)."""
    fact = next((f for f in rec.facts if f.label == "Statut"), None)
    if rec.kind != "cite" or fact is None:
        return ""
    # An ISO date in words (« 19 octobre 2021 »); other dates (« source non datée ») as they are.
    when = f", {french_date(fact.date, empty='')}" if fact.date else ""
    return f"Avancement : {fact.value}{when}."


def _sheet_links(rec: Record) -> None:
    """« Fiche complète » (Mon territoire, the same element and version of the data) and « Fiche PDF »."""
    from domain.provenance import manifest
    from fiche.pdf import fiche_filename
    from ui import asof, data
    from ui.profile import fiche_pdf

    if rec.kind not in SHEET_KINDS:
        return
    params = {rec.kind: rec.ref} | {k: v[0] for k, v in asof.url_params().items()}
    st.page_link("views/territoire.py", label="Fiche complète", icon=":material/description:", query_params=params)
    if st.session_state.get(PDF_KEY) != (rec.kind, rec.ref):
        st.button("Fiche PDF", key=f"pdf-{rec.kind}-{rec.ref}", on_click=_want_pdf, args=(rec.kind, rec.ref))
    else:
        st.download_button(
            "Télécharger le PDF",
            data=fiche_pdf(rec.kind, rec.ref, str(manifest()["built"]), data.display_data().cites_version),
            file_name=fiche_filename(rec.kind, rec.ref),
            mime="application/pdf",
            key=f"dl-{rec.kind}-{rec.ref}",
        )


def _want_pdf(kind: str, ref: str) -> None:
    st.session_state[PDF_KEY] = (kind, ref)


ROAD_HEADING = "Projets routiers qui touchent ce territoire"


def _related(rec: Record) -> None:
    """The related elements, roads apart: they are what touches the territory, not what it holds."""
    roads = [r for r in rec.related if r[0] == "route"]
    others = [r for r in rec.related if r[0] != "route"]
    for heading, items in (("Voir aussi", others), (ROAD_HEADING, roads)):
        if not items:
            continue
        st.markdown(f"**{heading}**")
        for kind, ref, label in items:
            st.button(
                f"{label} ({KIND_LABELS.get(kind, kind)})",
                key=f"rel-{rec.kind}-{rec.ref}-{kind}-{ref}",
                on_click=select,
                args=(kind, ref),
            )


def show_record(rec: Record) -> None:
    st.subheader(rec.title)
    st.caption(rec.subtitle)
    sentence = status_sentence(rec)
    if sentence:
        st.markdown(f"**{_safe(sentence)}**", unsafe_allow_html=True)
    _sheet_links(rec)
    st.markdown(
        CSS + "".join(fact_html(f.label, f.value, f.source, f.date, f.quote) for f in rec.facts),
        unsafe_allow_html=True,
    )
    for note in rec.notes:
        st.caption(note)
    _related(rec)
    for draw in EXTRA_SECTIONS:
        draw(rec)
