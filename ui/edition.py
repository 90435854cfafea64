"""The « Mise à jour » page: template, import of a filled file, a few rows edited in a table.

The work is split so that tests reach it without a browser: ``prepare_import`` takes the file's
bytes, ``prepare_edits`` the edited table; both only read. ``save`` is the one write, and it checks
the editor again right before calling the store.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from core.vocab import STATUSES, UNDATED
from store.model import EDITABLE_FIELDS, MAX_IMPORT_BYTES
from ui import auth
from ui.text import md_escape

FIELD_LABELS = {
    "statut": "Statut",
    "statut_date": "Date du statut",
    "logements": "Logements",
    "source": "Source (votre référence)",
    "statut_source": "Origine du statut",
    "logements_source": "Origine du nombre de logements",
}
DATE_HELP = (
    "Date du statut, entre 2017 et aujourd'hui : AAAA-MM-JJ, AAAA-MM, AAAA ou JJ/MM/AAAA "
    f"(par exemple 2024-06-14, 2024-06 ou 2024) ; « {UNDATED} » si la source ne le date pas ; vide si inconnue."
)
PROBLEM_COLUMNS = ["Ligne", "Colonne", "Problème"]
PREVIEW_COLUMNS = ["Cité", "Champ", "Avant", "Après"]
PREVIEW_CONFLICT_COLUMNS = ["Cité", "Champ", "Valeur actuelle", "Votre saisie"]
CONFLICT_COLUMNS = ["Cité", "Champ", "Valeur actuelle", "Votre saisie", "Modifiée en version"]
NOTE_MAX_CHARS = 500

_FLASH_KEY = "_erbm_maj_flash"
_IMPORT_KEY = "_erbm_maj_import"
_EDITOR_KEY = "_erbm_maj_editor"
_UPLOAD_GEN_KEY = "_erbm_maj_upload_gen"


def display(value: object) -> str:
    """A stored value as a planner reads it: empty and missing both mean « non renseigné »."""
    from store.errors import display_value

    return display_value(value)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def conflict_label(name: str) -> str:
    """A conflict's field: the store reports a status and its date together, as « statut »."""
    from store.merge import STATUS_UNIT

    return "Statut et date du statut" if name in STATUS_UNIT else field_label(name)


def cite_names() -> dict[str, str]:
    from ui.data import build_territory

    cites = build_territory().cites
    return dict(zip(cites["id"].astype(str), cites["nom"].astype(str), strict=True))


def problems_frame(
    problems: Sequence[object],
    *,
    names: Mapping[str, str] | None = None,
    lines: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """The validation report: one row per problem, in the file's terms (line, column).

    With ``names`` (the table edited in the page, which has no line numbers) the line is the cité;
    ``lines`` says which cité each checked line was, for problems that do not name it.
    """
    rows = []
    for p in problems:
        row, cite_id = getattr(p, "line", None), getattr(p, "ref", None)
        if not cite_id and lines is not None and row is not None:
            cite_id = lines.get(row)
        if names is not None:
            where = names.get(str(cite_id), str(cite_id)) if cite_id else ("" if row is None else f"ligne {row}")
        else:
            where = "" if row is None else str(row)
        rows.append(
            {
                "Cité" if names is not None else "Ligne": where,
                "Colonne": FIELD_LABELS.get(str(p.field), str(p.field))
                if names is not None and p.field
                else str(getattr(p, "field", "") or ""),
                "Problème": str(getattr(p, "message", p)),
            }
        )
    columns = ["Cité", "Colonne", "Problème"] if names is not None else PROBLEM_COLUMNS
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class Preview:
    """What saving would do: the cells sent to the store and how the head would change.

    ``changes`` holds only the cells that differ from ``base_version`` (what the planner changed);
    ``effective`` those that would change the current head; ``conflicts`` those changed by someone
    else since ``base_version`` to another value (the store refuses the whole save then).
    """

    base_version: int
    head_version: int
    changes: dict[str, dict[str, object]]
    effective: pd.DataFrame
    conflicts: pd.DataFrame
    problems: pd.DataFrame
    kind: str
    filename: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.problems.empty

    @property
    def has_changes(self) -> bool:
        return not self.effective.empty


def _problem_row(problems: pd.DataFrame, column: str, message: str) -> pd.DataFrame:
    first = problems.columns[0]
    extra = pd.DataFrame([{first: "", "Colonne": column, "Problème": message}], columns=problems.columns)
    return pd.concat([problems, extra], ignore_index=True) if not problems.empty else extra


def compare(
    rows: Mapping[str, Mapping[str, object]],
    base_version: int,
    *,
    kind: str,
    problems: pd.DataFrame | None = None,
    filename: str = "",
) -> Preview:
    """What ``rows`` (checked values, by cité) would change, read as edits of ``base_version``.

    The same arithmetic as ``Store.apply`` (``store.merge``), on the head as it is now; writes nothing.
    """
    from store.errors import StoreError
    from store.merge import conflicts_of, requested_cells, three_way
    from ui.data import store

    problems = problems if problems is not None else _empty(PROBLEM_COLUMNS)
    db = store()
    head_number = db.head_number()
    names = cite_names()

    def refused(column: str, message: str) -> Preview:
        return Preview(
            base_version,
            head_number,
            {},
            _empty(PREVIEW_COLUMNS),
            _empty(PREVIEW_CONFLICT_COLUMNS),
            _problem_row(problems, column, message),
            kind,
            filename,
        )

    try:
        base = db.values(base_version)
    except StoreError as err:
        return refused("version_base", err.french_message())
    head = db.values(head_number)
    unknown = sorted(set(rows) - set(head))
    if unknown:
        return refused("id", f"cité(s) inconnue(s) de la base : {', '.join(unknown)}.")
    try:
        cells = requested_cells(rows, base)
    except StoreError as err:
        return refused("", err.french_message())
    effective, conflicting = three_way(cells, base=base, head=head)
    changes: dict[str, dict[str, object]] = {}
    for (cite_id, name), value in cells.items():
        changes.setdefault(cite_id, {})[name] = value
    preview = pd.DataFrame(
        [
            {
                "Cité": names.get(cite_id, cite_id),
                "Champ": field_label(name),
                "Avant": display(getattr(head[cite_id], name)),
                "Après": display(value),
            }
            for (cite_id, name), value in effective.items()
        ],
        columns=PREVIEW_COLUMNS,
    )
    conflicts = pd.DataFrame(
        [
            {
                "Cité": names.get(c.cite_id, c.cite_id),
                "Champ": conflict_label(c.field),
                "Valeur actuelle": display(c.current),
                "Votre saisie": display(c.proposed),
            }
            for c in conflicts_of(cells, conflicting, base=base, head=head)
        ],
        columns=PREVIEW_CONFLICT_COLUMNS,
    )
    notes: tuple[str, ...] = ()
    if base_version != head_number:
        notes = (
            f"Votre saisie part de la version {base_version} ; la version actuelle est la {head_number}. "
            "Les valeurs modifiées entre-temps par quelqu'un d'autre sont conservées ; seules les cellules "
            "que vous avez changées sont enregistrées.",
        )
    return Preview(base_version, head_number, changes, preview, conflicts, problems, kind, filename, notes)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


@dataclass(frozen=True)
class Upload:
    """A file read and checked once; it is compared with the store again on every run."""

    filename: str
    rows: dict[str, dict[str, object]]
    problems: pd.DataFrame
    base_version: int | None

    @property
    def ok(self) -> bool:
        return self.problems.empty


def read_upload(data: bytes, filename: str) -> Upload:
    """Read and check an uploaded file (CSV or XLSX bytes); nothing is written."""
    from store.parse import read_import

    filename = str(filename or "")
    if len(data) > MAX_IMPORT_BYTES:
        message = f"fichier trop volumineux ({len(data) // 1024} Ko) : {MAX_IMPORT_BYTES // (1024 * 1024)} Mo au plus."
        return Upload(filename, {}, _problem_row(_empty(PROBLEM_COLUMNS), "", message), None)
    parsed = read_import(data, filename, known_ids=set(cite_names()))
    return Upload(filename, parsed.rows, problems_frame(parsed.problems), parsed.base_version)


def preview_upload(
    upload: Upload, *, base_version: int | None = None, rows: Mapping[str, Mapping[str, object]] | None = None
) -> Preview:
    """Compare a checked file with the store. The file's ``version_base`` is the version its values
    started from, unless ``base_version`` says otherwise; a file without one starts from the head.

    ``rows`` replaces the file's rows: the planner's own changes, re-applied on a newer version.
    """
    from ui.data import store

    base = base_version if base_version is not None else upload.base_version
    if base is None:
        base = store().head_number()
    if not upload.ok:
        return Preview(
            base,
            base,
            {},
            _empty(PREVIEW_COLUMNS),
            _empty(PREVIEW_CONFLICT_COLUMNS),
            upload.problems,
            "import",
            upload.filename,
        )
    return compare(
        {k: dict(v) for k, v in (rows if rows is not None else upload.rows).items()},
        int(base),
        kind="import",
        problems=upload.problems,
        filename=upload.filename,
    )


def prepare_import(data: bytes, filename: str, *, base_version: int | None = None) -> Preview:
    """Validate an uploaded file and compare it with the store; writes nothing."""
    return preview_upload(read_upload(data, filename), base_version=base_version)


def winning_rows(
    changes: Mapping[str, Mapping[str, object]], base_values: Mapping[str, object]
) -> dict[str, dict[str, object]]:
    """A planner's changed cells, to re-apply on a newer version so that they win there, and only them.

    ``changes`` are the cells that differ from the version the planner started from (``Preview.changes``);
    values nobody typed are left out, so that changes saved meanwhile on other cells are kept. A status
    travels with its date (the store merges them as one unit): the one not typed comes from that version.
    """
    from store.merge import STATUS_UNIT

    out: dict[str, dict[str, object]] = {}
    for cite_id, fields in changes.items():
        row = dict(fields)
        start = base_values.get(cite_id)
        if start is not None and any(name in STATUS_UNIT for name in row):
            for name in STATUS_UNIT:
                row.setdefault(name, getattr(start, name))
        out[cite_id] = row
    return out


SUGGEST_SCAN = 50


def suggest_base(rows: Mapping[str, Mapping[str, object]], numbers: Sequence[int]) -> int | None:
    """The version, among the latest ``SUGGEST_SCAN`` of ``numbers`` (newest first), whose values
    match the most cells of ``rows``: the likeliest origin of a file that does not name it."""
    from ui.data import store

    db = store()
    best, best_score = None, -1
    for number in list(numbers)[:SUGGEST_SCAN]:
        values = db.values(number)
        score = sum(
            1
            for cite_id, fields in rows.items()
            if cite_id in values
            for name, value in fields.items()
            if getattr(values[cite_id], name, None) == value
        )
        if score > best_score:  # a tie keeps the newer version
            best, best_score = number, score
    return best


def _cell_value(value: object) -> object:
    """A table cell, compared as the planner sees it: blank is blank, 139.0 is 139."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        return int(value) if float(value).is_integer() else float(value)
    return str(value).strip()


def changed_cells(edited: pd.DataFrame, original: pd.DataFrame) -> tuple[dict[object, set[str]], list[object]]:
    """The table's cells the planner changed, by row label; and the rows whose id is not the one opened.

    The table has a fixed list of cités whose id is read-only: a row that is not the one opened at its
    place can only come from a crafted message.
    """
    changed: dict[object, set[str]] = {}
    moved: list[object] = []
    for label in edited.index:
        if label not in original.index or _cell_value(edited.at[label, "id"]) != _cell_value(original.at[label, "id"]):
            moved.append(label)
            continue
        fields = {
            name
            for name in EDITABLE_FIELDS
            if _cell_value(edited.at[label, name]) != _cell_value(original.at[label, name])
        }
        if fields:
            changed[label] = fields
    return changed, moved


def prepare_edits(edited: pd.DataFrame, base_version: int, original: pd.DataFrame | None = None) -> Preview:
    """Validate the table edited in the page against the version it was opened on; writes nothing.

    With ``original`` (the table as it was opened), only the cells the planner changed are checked
    and sent: a stored value the planner did not touch is never judged again, and never re-sent.
    Problems name the cité, not a line.
    """
    from store.parse import rows_from_frame

    names = cite_names()
    frame = edited[["id", *EDITABLE_FIELDS]].copy()
    frame["id"] = frame["id"].astype(str)
    extra: list[dict[str, str]] = []
    if original is None:
        changed = {label: set(EDITABLE_FIELDS) for label in frame.index}
    else:
        changed, moved = changed_cells(frame, original)
        extra = [
            {
                "Cité": names.get(str(frame.at[label, "id"]), str(frame.at[label, "id"])),
                "Colonne": "Id",
                "Problème": "les cités du tableau et leurs identifiants ne se modifient pas.",
            }
            for label in moved
        ]
    labels = [label for label in frame.index if label in changed]
    if not labels and not extra:
        nothing = problems_frame([], names=names)
        return Preview(
            base_version, base_version, {}, _empty(PREVIEW_COLUMNS), _empty(PREVIEW_CONFLICT_COLUMNS), nothing, "edit"
        )
    checked = frame.loc[labels]
    lines = {1 + pos: str(cite_id) for pos, cite_id in enumerate(checked["id"])}
    wanted = {(lines[1 + pos], name) for pos, label in enumerate(labels) for name in changed[label]}
    parsed = rows_from_frame(checked, known_ids=set(names), first_row=1) if labels else None

    def relevant(problem: object) -> bool:
        column = getattr(problem, "field", None)
        if column not in EDITABLE_FIELDS:
            return True
        cite_id = getattr(problem, "ref", None) or lines.get(getattr(problem, "line", None))
        return (cite_id, column) in wanted

    found = [p for p in parsed.problems if relevant(p)] if parsed is not None else []
    problems = problems_frame(found, names=names, lines=lines)
    if extra:
        problems = pd.concat([problems, pd.DataFrame(extra, columns=problems.columns)], ignore_index=True)
    if not problems.empty:
        return Preview(
            base_version, base_version, {}, _empty(PREVIEW_COLUMNS), _empty(PREVIEW_CONFLICT_COLUMNS), problems, "edit"
        )
    rows = {
        cite_id: {name: value for name, value in values.items() if (cite_id, name) in wanted}
        for cite_id, values in (parsed.rows if parsed is not None else {}).items()
    }
    return compare({k: v for k, v in rows.items() if v}, base_version, kind="edit", problems=problems)


@dataclass(frozen=True)
class SaveResult:
    version: int | None = None
    changes: int = 0
    message: str = ""
    conflicts: pd.DataFrame | None = None

    @property
    def saved(self) -> bool:
        return self.version is not None


def save(preview: Preview, note: str) -> SaveResult:
    """Write the preview's changes as one new version, as the editor logged in right now.

    Raises ``auth.NotAuthorized`` without a logged-in editor: nothing reaches the store then.
    """
    from store.errors import ConflictError, StoreError
    from ui.data import store

    editor = auth.require_editor()
    if not preview.ok:
        return SaveResult(message="La saisie contient des erreurs : rien n'a été enregistré.")
    if not preview.changes:
        return SaveResult(message="Aucune valeur ne change : aucune version n'a été créée.")
    note = (note or "").strip()[:NOTE_MAX_CHARS]
    try:
        version = store().apply(
            preview.changes, base_version=preview.base_version, author=editor.login, note=note, kind=preview.kind
        )
    except ConflictError as err:
        names = cite_names()
        conflicts = pd.DataFrame(
            [
                {
                    "Cité": names.get(c.cite_id, c.cite_id),
                    "Champ": conflict_label(c.field),
                    "Valeur actuelle": display(c.current),
                    "Votre saisie": display(c.proposed),
                    "Modifiée en version": "" if c.changed_in is None else str(c.changed_in),
                }
                for c in err.conflicts
            ],
            columns=CONFLICT_COLUMNS,
        )
        return SaveResult(message=err.french_message(), conflicts=conflicts)
    except StoreError as err:
        return SaveResult(message=err.french_message())
    if version is None:
        return SaveResult(message="Ces valeurs sont déjà celles de la version actuelle : aucune version n'a été créée.")
    return SaveResult(version=version.number, changes=version.changes, message=f"Version {version.number} enregistrée.")


# --- page -----------------------------------------------------------------------------------------


def escaped_block(text: str) -> str:
    # st.error renders Markdown: every line a planner may have typed is escaped, line breaks kept.
    return "  \n".join(md_escape(line, limit=400) for line in str(text).splitlines() if line.strip())


def _flash(text: str) -> None:
    st.session_state[_FLASH_KEY] = text


def _show_flash() -> None:
    text = st.session_state.pop(_FLASH_KEY, None)
    if text:
        st.success(text)


def disabled_notice() -> None:
    st.info(
        "**La modification des données est désactivée** : aucun compte d'éditeur n'est configuré sur "
        "ce serveur. La carte et l'historique restent consultables sans compte.\n\n"
        "Pour l'activer, l'administrateur :\n"
        "1. crée l'empreinte d'un mot de passe avec `python cli.py hash-password` ;\n"
        "2. l'ajoute dans `.streamlit/secrets.toml`, section `[editeurs]`, sous la forme "
        '`identifiant = "pbkdf2_sha256$…"` (un mot de passe en clair est refusé) ;\n'
        "3. ou configure la connexion par un fournisseur d'identité (OIDC) : une section `[auth]` pour "
        '`st.login` et la liste des adresses autorisées dans `[editeurs_oidc]`, `emails = ["…"]`.\n\n'
        "Puis il relance l'application."
    )
    ignored = len(auth.editor_config().problems)
    if ignored:
        st.warning(
            f"{ignored} entrée(s) de la configuration des éditeurs ont été ignorées "
            "(empreinte invalide ou mot de passe en clair) : voir le journal du serveur."
        )


def _template_downloads() -> None:
    from store.parse import template_csv, template_xlsx
    from ui.data import build_territory, store

    db = store()
    head = db.head_number()
    values = db.values(head)
    cites = build_territory().cites[["id", "nom", "commune"]]
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


def _show_preview(preview: Preview, *, prefix: str, can_save: bool = True) -> SaveResult | None:
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


def _failure_box(result: SaveResult) -> None:
    st.error(escaped_block(result.message))
    if result.conflicts is not None and not result.conflicts.empty:
        st.dataframe(result.conflicts, hide_index=True, width="stretch")


def _version_option(v: object, suggested: int | None) -> str:
    from domain.versions import PARIS

    # Selectbox options are plain text in the browser: the author's name is never Markdown there.
    when = v.created_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    hint = " — suggérée : ses valeurs sont les plus proches du fichier" if v.number == suggested else ""
    return f"Version {v.number} du {when} · {v.author}{hint}"


def _choose_base(kept: dict) -> tuple[int | None, bool]:
    """For a file that does not say which version it was made from: the version the planner names, and
    whether they confirmed it. Until then nothing can be saved: taking the current version for an old
    file would silently undo what others saved since."""
    from ui.data import store

    upload: Upload = kept["upload"]
    versions = store().versions()
    by_number = {v.number: v for v in versions}
    numbers = list(by_number)
    if kept.get("suggested") not in by_number:
        kept["suggested"] = suggest_base(upload.rows, numbers)
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


def _import_section() -> None:
    import hashlib

    from ui.data import store

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
    kept = st.session_state.get(_IMPORT_KEY)
    if not kept or kept["file_id"] != uploaded.file_id:
        upload = read_upload(uploaded.getvalue(), uploaded.name)
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
    upload = kept["upload"]
    base, confirmed = kept["base"], True
    if base is None and upload.ok:
        base, confirmed = _choose_base(kept)
    preview = preview_upload(upload, base_version=base, rows=kept["rows"])
    if kept["rows"] is not None:
        st.caption(
            f"Aperçu recalculé sur la version {preview.base_version} : seules les valeurs que vous avez changées "
            "y sont reportées ; celles enregistrées entre-temps par d'autres sur les autres cellules sont conservées."
        )
    result = _show_preview(preview, prefix="maj-import", can_save=confirmed)
    if preview.ok and preview.conflicts.empty and preview.has_changes and not confirmed:
        st.caption("Cochez la case ci-dessus pour confirmer la version d'origine du fichier avant d'enregistrer.")
    if result is not None and result.saved:
        st.session_state.pop(_IMPORT_KEY, None)
        st.session_state[_UPLOAD_GEN_KEY] = gen + 1
        _flash(
            f"{result.message} {result.changes} valeur(s) modifiée(s) par le fichier "
            f"« {md_escape(preview.filename, limit=80)} »."
        )
        st.rerun()
    if result is not None:
        kept["result"] = result
    if kept.get("result") is not None and preview.has_changes:
        _failure_box(kept["result"])
    if not preview.conflicts.empty or (kept.get("result") is not None and kept["result"].conflicts is not None):
        st.caption(
            "Votre fichier est conservé. Pour que vos valeurs l'emportent, recalculez l'aperçu sur la "
            "version actuelle : seules les valeurs que vous avez changées y seront reportées, et l'aperçu "
            "montrera exactement ce qui sera remplacé, avant d'enregistrer."
        )
        if st.button("Recalculer l'aperçu sur la version actuelle", key="maj-import-rebase") and preview.changes:
            db = store()
            # Only the planner's changed cells move to the head: a stale value of the file that they
            # never touched must not undo what someone else saved meanwhile.
            kept["rows"] = winning_rows(preview.changes, db.values(preview.base_version))
            kept["base"] = db.head_number()
            kept["result"] = None
            st.rerun()


def _editor_snapshot(overrides: Mapping[str, Mapping[str, object]] | None = None) -> dict:
    """The head's values as the table to edit, with the version it was read from.

    ``overrides`` are a planner's pending values, carried over when the table is reopened on a newer version.
    """
    from ui.data import build_territory, store

    db = store()
    head = db.head_number()
    values = db.values(head)
    cites = build_territory().cites
    info = {str(i): (str(n), str(c)) for i, n, c in zip(cites["id"], cites["nom"], cites["commune"], strict=True)}
    rows = [
        {
            "id": cite_id,
            "nom": info.get(cite_id, ("", ""))[0],
            "commune": info.get(cite_id, ("", ""))[1],
            "statut": v.statut,
            "statut_date": v.statut_date,
            "logements": v.logements,
            "source": v.source,
        }
        for cite_id, v in values.items()
    ]
    original = pd.DataFrame(rows, columns=["id", "nom", "commune", *EDITABLE_FIELDS])
    original["logements"] = original["logements"].astype("Int64")
    original = original.sort_values(["commune", "nom"], kind="stable").reset_index(drop=True)
    frame = original.copy()
    for label, cite_id in zip(frame.index, frame["id"], strict=True):
        for name, value in (overrides or {}).get(cite_id, {}).items():
            frame.at[label, name] = pd.NA if value is None else value
    gen = st.session_state.get(_EDITOR_KEY, {}).get("gen", 0) + 1
    # ``original`` is the version's values: what the planner's changes are measured against.
    return {"base": head, "frame": frame, "original": original, "gen": gen, "carried": bool(overrides)}


def _pending_edits(snap: Mapping[str, object]) -> bool:
    """The planner has values in the table: typed in it, or carried over from an older version."""
    if snap.get("carried"):
        return True
    state = st.session_state.get(f"maj-editor-{snap['gen']}")
    return bool(state) and any(state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


def _editor_section() -> None:
    from ui.data import store

    st.subheader("Modifier quelques cités")
    snap = st.session_state.get(_EDITOR_KEY)
    head = store().head_number()
    if snap is None or (snap["base"] != head and not _pending_edits(snap)):
        # The table remembers the version it was opened on, so a change saved meanwhile by someone
        # else is merged or reported, never silently overwritten; with nothing typed, it follows the head.
        snap = _editor_snapshot()
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
        column_config={
            "id": st.column_config.TextColumn("Id"),
            "nom": st.column_config.TextColumn("Cité"),
            "commune": st.column_config.TextColumn("Commune"),
            "statut": st.column_config.SelectboxColumn("Statut", options=list(STATUSES), required=True),
            "statut_date": st.column_config.TextColumn("Date du statut", help=DATE_HELP, max_chars=20),
            "logements": st.column_config.NumberColumn(
                "Logements", min_value=0, step=1, format="%d", help="Nombre de logements ; vide : non renseigné."
            ),
            "source": st.column_config.TextColumn(
                "Source", help="Votre référence : courrier, réunion, document…", max_chars=500
            ),
        },
    )
    preview = prepare_edits(edited, snap["base"], snap.get("original"))
    if preview.ok and not preview.changes:
        return
    result = _show_preview(preview, prefix="maj-edit")
    if result is not None and result.saved:
        st.session_state[_EDITOR_KEY] = _editor_snapshot()
        _flash(f"{result.message} {result.changes} valeur(s) modifiée(s) dans le tableau.")
        st.rerun()
    if result is not None:
        _failure_box(result)
    if head != snap["base"] and preview.ok:
        st.caption(
            f"La version actuelle est la {head}. Vous pouvez reporter vos saisies sur un tableau rouvert sur "
            "cette version : vos valeurs y remplacent celles enregistrées entre-temps, et l'aperçu le montre."
        )
        if st.button("Reporter mes saisies sur la version actuelle", key="maj-edit-rebase"):
            mine = winning_rows(preview.changes, store().values(snap["base"]))
            st.session_state[_EDITOR_KEY] = _editor_snapshot(mine)
            st.rerun()


def render_page() -> None:
    from store.errors import StoreError

    st.title("Mise à jour des cités")
    _show_flash()
    try:
        _render_body()
    except StoreError as err:
        st.error(
            "La base des versions est indisponible : rien n'a été enregistré.  \n" + escaped_block(err.french_message())
        )


def _render_body() -> None:
    if not auth.editing_configured():
        disabled_notice()
        return
    editor = auth.current_editor()
    if editor is None:
        st.markdown(
            "La mise à jour des statuts, dates et nombres de logements des cités est réservée aux éditeurs. "
            "La consultation de la carte et de l'historique ne demande pas de compte."
        )
        auth.login_form()
        return
    auth.editor_banner(editor)
    st.markdown(
        "Chaque enregistrement crée une nouvelle version : rien n'est écrasé, et toute version reste "
        "consultable, comparable et restaurable depuis la page **Historique**."
    )
    _template_downloads()
    _import_section()
    st.divider()
    _editor_section()
