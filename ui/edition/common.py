"""What the « Mise à jour » page's sections share: the editing service, its save, the preview box.

``save`` checks the editor again right before the store is called.
"""

from __future__ import annotations

import streamlit as st

from domain import edition
from domain.edition import NOTE_MAX_CHARS, Editing, Preview, SaveResult
from ui import auth
from ui.text import md_escape

FLASH_KEY = "_erbm_maj_flash"


def editing() -> Editing:
    """The editing service over the server's store, for the build's cités."""
    from ui.data import build_territory, store

    return Editing(store(), build_territory())


def cite_names() -> dict[str, str]:
    """The build's cités' names by id (the store is not asked)."""
    from ui.data import build_territory

    return edition.cite_names(build_territory())


def prepare_import(data: bytes, filename: str, *, base_version: int | None = None) -> Preview:
    """Validate an uploaded file and compare it with the store; writes nothing."""
    return editing().prepare_import(data, filename, base_version=base_version)


def save(preview: Preview, note: str) -> SaveResult:
    """Write the preview's changes as one new version, as the editor logged in right now.

    Raises ``auth.NotAuthorized`` without a logged-in editor: nothing reaches the store then.
    """
    editor = auth.require_editor()
    return editing().save(preview, note, author=editor.login)


def escaped_block(text: str) -> str:
    # st.error renders Markdown: every line a planner may have typed is escaped, line breaks kept.
    return "  \n".join(md_escape(line, limit=400) for line in str(text).splitlines() if line.strip())


def flash(text: str) -> None:
    st.session_state[FLASH_KEY] = text


def show_flash() -> None:
    text = st.session_state.pop(FLASH_KEY, None)
    if text:
        st.success(text)


def show_preview(preview: Preview, *, prefix: str, can_save: bool = True) -> SaveResult | None:
    """The validation report, or the changes with the note and the save button; the save's result if clicked.

    Nothing can be saved while the report lists a problem or a conflict: an import is all or nothing.
    ``can_save`` False keeps the button disabled (and a forged click ignored) until the planner confirms.
    """
    if not preview.ok:
        st.error(
            f"{len(preview.problems)} problème(s) : rien n'a été enregistré. Corrigez-les puis recommencez "
            "(une mise à jour est appliquée en entier ou pas du tout)."
        )
        st.dataframe(preview.problems, hide_index=True, width="stretch")
        return None
    for note in preview.notes:
        st.caption(note)
    if not preview.conflicts.empty:
        st.error(
            f"Enregistrement impossible, rien n'a été enregistré : {len(preview.conflicts)} valeur(s) que vous "
            f"avez changées ont aussi été modifiées par quelqu'un d'autre depuis la version {preview.base_version}."
        )
        st.dataframe(preview.conflicts, hide_index=True, width="stretch")
        return None
    if not preview.has_changes:
        st.info(f"Aucune valeur ne change par rapport à la version actuelle ({preview.head_version}).")
        return None
    st.markdown(f"**{len(preview.effective)} modification(s) par rapport à la version {preview.head_version}**")
    st.dataframe(preview.effective, hide_index=True, width="stretch")
    note = st.text_input(
        "Note de version (facultative)",
        key=f"{prefix}-note",
        max_chars=NOTE_MAX_CHARS,
        placeholder="Par exemple : comité de suivi du 12 mars, courrier du bailleur…",
    )
    clicked = st.button("Enregistrer la version", key=f"{prefix}-save", type="primary", disabled=not can_save)
    if clicked and can_save:
        try:
            return save(preview, note)
        except auth.NotAuthorized as err:
            return SaveResult(message=err.french_message())
    return None


def failure_box(result: SaveResult) -> None:
    st.error(escaped_block(result.message))
    if result.conflicts is not None and not result.conflicts.empty:
        st.dataframe(result.conflicts, hide_index=True, width="stretch")
