"""The « Historique » page: every version of the cités' values, any one viewed, compared or restored.

Public: anybody may read the history. Restoring writes a new version, so it needs an editor, checked
again right before the store is called. Everything a planner typed (author, note, source) is shown
in tables or escaped Markdown, never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from domain.edition import NOTE_MAX_CHARS, field_label
from domain.versions import KIND_LABELS, PARIS
from store import display_value
from ui import auth
from ui.edition import cite_names, escaped_block
from ui.text import md_escape

VERSION_COLUMNS = ["N°", "Date", "Auteur", "Type", "Note", "Modifications", "Restaurée depuis"]
VALUE_COLUMNS = [
    "Cité",
    "Commune",
    "Statut",
    "Date du statut",
    "Logements",
    "Source",
    "Origine du statut",
    "Origine des logements",
]
DIFF_COLUMNS = ["Cité", "Champ"]
_FLASH_KEY = "_erbm_history_flash"
_SHOWN_HEAD_KEY = "_erbm_history_shown_head"


def when(v: object) -> str:
    return v.created_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def versions_frame(versions: Sequence[object]) -> pd.DataFrame:
    rows = [
        {
            "N°": v.number,
            "Date": when(v),
            "Auteur": v.author,
            "Type": kind_label(v.kind),
            "Note": v.note,
            "Modifications": v.changes,
            "Restaurée depuis": "" if v.restored_from is None else str(v.restored_from),
        }
        for v in versions
    ]
    return pd.DataFrame(rows, columns=VERSION_COLUMNS)


def values_frame(number: int) -> pd.DataFrame:
    """The full values of one version, a row per cité, named as on the map."""
    from ui.data import build_territory, store

    values = store().values(number)
    cites = build_territory().cites
    communes = dict(zip(cites["id"].astype(str), cites["commune"].astype(str), strict=True))
    names = cite_names()
    rows = [
        {
            "Cité": names.get(cite_id, cite_id),
            "Commune": communes.get(cite_id, ""),
            "Statut": v.statut,
            "Date du statut": display_value(v.statut_date),
            "Logements": v.logements,
            "Source": v.source,
            "Origine du statut": v.statut_source,
            "Origine des logements": v.logements_source,
        }
        for cite_id, v in values.items()
    ]
    frame = pd.DataFrame(rows, columns=VALUE_COLUMNS).sort_values(["Commune", "Cité"], kind="stable")
    frame["Logements"] = frame["Logements"].astype("Int64")
    return frame.reset_index(drop=True)


def diff_frame(a: int, b: int) -> pd.DataFrame:
    """What differs between versions ``a`` and ``b``: a row per cité and field."""
    from ui.data import store

    names = cite_names()
    label_a, label_b = f"Version {a}", f"Version {b}"
    rows = [
        {
            "Cité": names.get(c.cite_id, c.cite_id),
            "Champ": field_label(c.field),
            label_a: display_value(c.before),
            label_b: display_value(c.after),
        }
        for c in store().diff(a, b)
    ]
    return pd.DataFrame(rows, columns=[*DIFF_COLUMNS, label_a, label_b])


def restore(number: int, note: str, *, expected_head: int | None = None) -> int | None:
    """Make version ``number``'s values the current ones, as a new version; returns its number.

    ``expected_head`` is the current version the editor saw when confirming: if another version was
    saved since, the store refuses (``ConflictError``) rather than silently undo it. ``None`` when the
    current values already are those of version ``number``: nothing is written then.
    Raises ``auth.NotAuthorized`` without a logged-in editor: nothing reaches the store then.
    """
    from ui.data import store

    editor = auth.require_editor()
    note = note or ""
    version = store().rollback(number, author=editor.login, note=note, expected_head=expected_head)
    return None if version is None else version.number


def _version_label(v: object) -> str:
    # Selectbox options are plain text in the browser; the cut keeps a long note from hiding the rest.
    note = " ".join(str(v.note or "").split())
    note = f" — {note[:60]}{'…' if len(note) > 60 else ''}" if note else ""
    return f"Version {v.number} du {when(v)} · {v.author} · {kind_label(v.kind)}{note}"


def _restore_section(chosen: object, head: int) -> None:
    # The current version this page showed when it was last drawn: a confirmation given on that page
    # is for that version, even if the rerun that the click triggers already reads a newer one.
    shown = st.session_state.get(_SHOWN_HEAD_KEY, head)
    st.session_state[_SHOWN_HEAD_KEY] = head
    st.markdown(f"**Restaurer la version {chosen.number}**")
    if chosen.number == head:
        st.caption("C'est la version actuelle : il n'y a rien à restaurer.")
        return
    editor = auth.current_editor()
    if editor is None:
        st.caption(
            "Restaurer une version demande un compte d'éditeur : connectez-vous sur la page Mise à jour. "
            "Une restauration crée une nouvelle version ; aucune n'est effacée."
        )
        return
    with st.form(f"history-restore-{chosen.number}"):
        st.caption(
            f"Les valeurs de la version {chosen.number} deviendront les valeurs actuelles, dans une nouvelle "
            f"version ; la version {head} et toutes les autres restent dans l'historique."
        )
        note = st.text_input("Note (pourquoi cette restauration)", max_chars=NOTE_MAX_CHARS, key="history-restore-note")
        confirm = st.checkbox(f"Je confirme la restauration de la version {chosen.number}", key="history-restore-ok")
        submitted = st.form_submit_button("Restaurer cette version", type="primary")
    if not submitted:
        return
    if not confirm:
        st.warning("Cochez la case de confirmation pour restaurer cette version.")
        return
    from store.errors import StoreError

    try:
        number = restore(chosen.number, note, expected_head=shown)
    except auth.NotAuthorized as err:
        st.error(err.french_message())
        return
    except StoreError as err:
        st.error(escaped_block(err.french_message()))
        return
    if number is None:
        st.info(f"Rien à restaurer : la version {chosen.number} est identique à la version actuelle.")
        return
    st.session_state[_FLASH_KEY] = f"Version {number} enregistrée : restauration de la version {chosen.number}."
    for key in ("history-restore-note", "history-restore-ok"):
        st.session_state.pop(key, None)
    st.rerun()


def render_page() -> None:
    from store.errors import StoreError

    st.title("Historique des mises à jour")
    flash = st.session_state.pop(_FLASH_KEY, None)
    if flash:
        st.success(flash)
    try:
        _render_body()
    except StoreError as err:
        st.error("L'historique est indisponible :  \n" + escaped_block(err.french_message()))


def _render_body() -> None:
    from ui.data import store

    db = store()
    versions = db.versions()
    head = db.head_number()
    st.markdown(
        f"**{len(versions)} version(s)** des valeurs des cités (statut, date, logements, source). "
        "Chaque mise à jour crée une nouvelle version : aucune n'est modifiée ni effacée."
    )
    st.dataframe(
        versions_frame(versions),
        hide_index=True,
        width="stretch",
        column_config={
            "N°": st.column_config.NumberColumn(format="%d"),
            "Note": st.column_config.TextColumn(width="large"),
        },
    )
    by_number = {v.number: v for v in versions}
    numbers = [v.number for v in versions]

    st.subheader("Consulter une version")
    chosen_number = st.selectbox(
        "Version",
        numbers,
        index=0,
        format_func=lambda n: _version_label(by_number[n]),
        key="history-version",
        placeholder="Choisir…",
    )
    chosen = by_number[chosen_number]
    if chosen.note:
        st.markdown(f"Note de la version {chosen.number} : {md_escape(chosen.note, limit=NOTE_MAX_CHARS)}")
    st.dataframe(
        values_frame(chosen.number),
        hide_index=True,
        width="stretch",
        placeholder="non renseigné",
        column_config={"Logements": st.column_config.NumberColumn(format="%d")},
    )
    _restore_section(chosen, head)

    st.subheader("Comparer deux versions")
    if len(numbers) < 2:
        st.caption("Une seule version existe : rien à comparer.")
        return
    cols = st.columns(2)
    a = cols[0].selectbox(
        "Version A",
        numbers,
        index=1,
        format_func=lambda n: f"Version {n} du {when(by_number[n])}",
        key="history-a",
        placeholder="Choisir…",
    )
    b = cols[1].selectbox(
        "Version B",
        numbers,
        index=0,
        format_func=lambda n: f"Version {n} du {when(by_number[n])}",
        key="history-b",
        placeholder="Choisir…",
    )
    if a == b:
        st.caption("Choisissez deux versions différentes.")
        return
    diff = diff_frame(a, b)
    if diff.empty:
        st.info(f"Les versions {a} et {b} ont les mêmes valeurs.")
    else:
        st.markdown(f"**{len(diff)} différence(s)** entre la version {a} et la version {b}")
        st.dataframe(diff, hide_index=True, width="stretch")
