"""The « Mise à jour » page's table: a few cités' values edited in place, then saved."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from core.vocab import STATUSES, UNDATED
from domain.edition import Editing, winning_rows
from store.fields import MAX_SOURCE_CHARS
from ui.edition.common import failure_box, flash, show_preview

DATE_HELP = (
    "Date du statut, entre 2017 et aujourd'hui : AAAA-MM-JJ, AAAA-MM, AAAA ou JJ/MM/AAAA "
    f"(par exemple 2024-06-14, 2024-06 ou 2024) ; « {UNDATED} » si la source ne le date pas ; vide si inconnue."
)
_EDITOR_KEY = "_erbm_maj_editor"


def _editor_snapshot(service: Editing, overrides: Mapping[str, Mapping[str, object]] | None = None) -> dict:
    """The head's values as the table to edit, with the version it was read from.

    ``overrides`` are a planner's pending values, carried over when the table is reopened on a newer version.
    """
    table = service.editor_table(overrides)
    gen = st.session_state.get(_EDITOR_KEY, {}).get("gen", 0) + 1
    # ``original`` is the version's values: what the planner's changes are measured against.
    return {
        "base": table.base,
        "frame": table.frame,
        "original": table.original,
        "gen": gen,
        "carried": bool(overrides),
    }


def _pending_edits(snap: Mapping[str, object]) -> bool:
    """The planner has values in the table: typed in it, or carried over from an older version."""
    if snap.get("carried"):
        return True
    state = st.session_state.get(f"maj-editor-{snap['gen']}")
    return bool(state) and any(state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


def _editor_columns() -> dict:
    return {
        "id": st.column_config.TextColumn("Id"),
        "nom": st.column_config.TextColumn("Cité"),
        "commune": st.column_config.TextColumn("Commune"),
        "statut": st.column_config.SelectboxColumn("Statut", options=list(STATUSES), required=True),
        "statut_date": st.column_config.TextColumn("Date du statut", help=DATE_HELP, max_chars=20),
        "logements": st.column_config.NumberColumn(
            "Logements", min_value=0, step=1, format="%d", help="Nombre de logements ; vide : non renseigné."
        ),
        "source": st.column_config.TextColumn(
            "Source", help="Votre référence : courrier, réunion, document…", max_chars=MAX_SOURCE_CHARS
        ),
    }


def editor_section(service: Editing) -> None:
    st.subheader("Modifier quelques cités")
    snap = st.session_state.get(_EDITOR_KEY)
    head = service.store.head_number()
    if snap is None or (snap["base"] != head and not _pending_edits(snap)):
        # The table remembers the version it was opened on, so a change saved meanwhile by someone
        # else is merged or reported, never silently overwritten; with nothing typed, it follows the head.
        snap = _editor_snapshot(service)
        st.session_state[_EDITOR_KEY] = snap
    st.caption(
        "Modifiez directement les cellules (statut, date, logements, source), puis enregistrez. "
        f"Tableau ouvert sur la version {snap['base']}."
    )
    edited = st.data_editor(
        snap["frame"],
        key=f"maj-editor-{snap['gen']}",
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        placeholder="non renseigné",
        disabled=["id", "nom", "commune"],
        column_config=_editor_columns(),
    )
    preview = service.prepare_edits(edited, snap["base"], snap.get("original"))
    if preview.ok and not preview.changes:
        return
    result = show_preview(preview, prefix="maj-edit")
    if result is not None and result.saved:
        st.session_state[_EDITOR_KEY] = _editor_snapshot(service)
        flash(f"{result.message} {result.changes} valeur(s) modifiée(s) dans le tableau.")
        st.rerun()
    if result is not None:
        failure_box(result)
    if head != snap["base"] and preview.ok:
        st.caption(
            f"La version actuelle est la {head}. Vous pouvez reporter vos saisies sur un tableau rouvert sur "
            "cette version : vos valeurs y remplacent celles enregistrées entre-temps, et l'aperçu le montre."
        )
        if st.button("Reporter mes saisies sur la version actuelle", key="maj-edit-rebase"):
            mine = winning_rows(preview.changes, service.store.values(snap["base"]))
            st.session_state[_EDITOR_KEY] = _editor_snapshot(service, mine)
            st.rerun()
