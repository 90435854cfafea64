"""The « Mise à jour » page's file path: the template to download, the filled file to upload."""

from __future__ import annotations

import hashlib

import streamlit as st

from domain.edition import Editing, Preview, Upload, winning_rows
from store.model import MAX_IMPORT_BYTES
from ui.edition.common import failure_box, flash, show_preview
from ui.text import md_escape

_IMPORT_KEY = "_erbm_maj_import"
_UPLOAD_GEN_KEY = "_erbm_maj_upload_gen"


def template_downloads(service: Editing) -> None:
    from store.template import template_csv, template_xlsx

    head = service.store.head_number()
    values = service.store.values(head)
    cites = service.territory.cites[["id", "nom", "commune"]]
    st.subheader("1. Télécharger le modèle")
    st.caption(
        f"Le modèle contient les {len(values)} cités avec leurs valeurs de la version {head}. "
        "Modifiez les colonnes statut, statut_date, logements et source ; ne touchez ni à id ni à version_base."
    )
    cols = st.columns(2)
    # Callables, as for the exports: the files are written when a button is clicked, not on every run.
    cols[0].download_button(
        "Télécharger le modèle CSV",
        data=lambda: template_csv(values, cites, version=head),
        file_name=f"cites_erbm_version_{head}.csv",
        mime="text/csv",
        key="maj-template-csv",
        width="stretch",
    )
    cols[1].download_button(
        "Télécharger le modèle XLSX",
        data=lambda: template_xlsx(values, cites, version=head),
        file_name=f"cites_erbm_version_{head}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="maj-template-xlsx",
        width="stretch",
    )


def _version_option(v: object, suggested: int | None) -> str:
    from domain.versions import PARIS

    # Selectbox options are plain text in the browser: the author's name is never Markdown there.
    when = v.created_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    hint = " — suggérée : ses valeurs sont les plus proches du fichier" if v.number == suggested else ""
    return f"Version {v.number} du {when} · {v.author}{hint}"


def _choose_base(service: Editing, kept: dict) -> tuple[int | None, bool]:
    """For a file that does not say which version it was made from: the version the planner names, and
    whether they confirmed it. Until then nothing can be saved: taking the current version for an old
    file would silently undo what others saved since."""
    upload: Upload = kept["upload"]
    by_number = {v.number: v for v in service.store.versions()}
    numbers = list(by_number)
    if kept.get("suggested") not in by_number:
        kept["suggested"] = service.suggest_base(upload.rows, numbers)
    suggested = kept["suggested"]
    st.warning(
        f"**Le fichier « {md_escape(upload.filename, limit=80)} » ne dit pas de quelle version il a été fait** "
        "(colonne version_base absente ou vide). Seules les valeurs que vous avez changées par rapport à cette "
        "version seront enregistrées ; si elle est mal choisie, des valeurs enregistrées entre-temps par "
        "d'autres chargés de mission seraient remplacées par les anciennes valeurs du fichier. Choisissez la "
        "version du modèle que vous avez rempli, vérifiez l'aperçu, puis confirmez."
    )
    token = kept["token"]
    chosen = st.selectbox(
        "Version d'où vient le fichier",
        numbers,
        index=numbers.index(suggested) if suggested in numbers else 0,
        format_func=lambda n: _version_option(by_number[n], suggested),
        key=f"maj-import-base-{token}",
    )
    current = numbers[0] if numbers else None
    label = (
        f"Ce fichier a été fait à partir de la version actuelle ({chosen})"
        if chosen == current
        else f"Ce fichier a été fait à partir de la version {chosen}"
    )
    confirmed = st.checkbox(label, key=f"maj-import-base-ok-{token}-{chosen}")
    return chosen, bool(confirmed)


def import_section(service: Editing) -> None:
    st.subheader("2. Déposer le fichier rempli")
    gen = st.session_state.get(_UPLOAD_GEN_KEY, 0)
    uploaded = st.file_uploader(
        "Fichier CSV ou XLSX",
        type=["csv", "xlsx"],
        key=f"maj-upload-{gen}",
        max_upload_size=max(1, MAX_IMPORT_BYTES // (1024 * 1024)),
        help="Le modèle téléchargé ci-dessus, rempli. Rien n'est enregistré avant votre confirmation.",
    )
    if uploaded is None:
        st.session_state.pop(_IMPORT_KEY, None)
        return
    kept = _kept_upload(service, uploaded)
    upload = kept["upload"]
    base, confirmed = kept["base"], True
    if base is None and upload.ok:
        base, confirmed = _choose_base(service, kept)
    preview = service.preview_upload(upload, base_version=base, rows=kept["rows"])
    if kept["rows"] is not None:
        st.caption(
            f"Aperçu recalculé sur la version {preview.base_version} : seules les valeurs que vous avez changées "
            "y sont reportées ; celles enregistrées entre-temps par d'autres sur les autres cellules sont conservées."
        )
    result = show_preview(preview, prefix="maj-import", can_save=confirmed)
    if preview.ok and preview.conflicts.empty and preview.has_changes and not confirmed:
        st.caption("Cochez la case ci-dessus pour confirmer la version d'origine du fichier avant d'enregistrer.")
    if result is not None and result.saved:
        st.session_state.pop(_IMPORT_KEY, None)
        st.session_state[_UPLOAD_GEN_KEY] = gen + 1
        flash(
            f"{result.message} {result.changes} valeur(s) modifiée(s) par le fichier "
            f"« {md_escape(preview.filename, limit=80)} »."
        )
        st.rerun()
    if result is not None:
        kept["result"] = result
    if kept.get("result") is not None and preview.has_changes:
        failure_box(kept["result"])
    if not preview.conflicts.empty or (kept.get("result") is not None and kept["result"].conflicts is not None):
        _offer_import_rebase(service, kept, preview)


def _kept_upload(service: Editing, uploaded: object) -> dict:
    """The uploaded file, read and checked once per file: what the session keeps of it across runs."""
    kept = st.session_state.get(_IMPORT_KEY)
    if kept and kept["file_id"] == uploaded.file_id:
        return kept
    upload = service.read_upload(uploaded.getvalue(), uploaded.name)
    kept = {
        "file_id": uploaded.file_id,
        "token": hashlib.sha256(str(uploaded.file_id).encode()).hexdigest()[:12],
        "upload": upload,
        # None: the file does not name its version and the planner has not chosen it yet.
        "base": upload.base_version,
        # The planner's own changes, once re-applied on a newer version (« Recalculer… »).
        "rows": None,
        "result": None,
    }
    st.session_state[_IMPORT_KEY] = kept
    return kept


def _offer_import_rebase(service: Editing, kept: dict, preview: Preview) -> None:
    st.caption(
        "Votre fichier est conservé. Pour que vos valeurs l'emportent, recalculez l'aperçu sur la "
        "version actuelle : seules les valeurs que vous avez changées y seront reportées, et l'aperçu "
        "montrera exactement ce qui sera remplacé, avant d'enregistrer."
    )
    if st.button("Recalculer l'aperçu sur la version actuelle", key="maj-import-rebase") and preview.changes:
        # Only the planner's changed cells move to the head: a stale value of the file that they
        # never touched must not undo what someone else saved meanwhile.
        kept["rows"] = winning_rows(preview.changes, service.store.values(preview.base_version))
        kept["base"] = service.store.head_number()
        kept["result"] = None
        st.rerun()
