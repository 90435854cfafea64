"""The editing service: a planner's file or table checked, compared with the store, then saved.

:class:`Editing` is given the store and the territory (whose cités name the rows) and reads them only
when asked. ``prepare_import`` takes a file's bytes, ``prepare_edits`` an edited table; both only
read. ``save`` is the one write; the page checks its editor right before calling it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.errors import Problem
from domain.edition.reports import (
    PROBLEM_COLUMNS,
    TABLE_PROBLEM_COLUMNS,
    EditorTable,
    Preview,
    SaveResult,
    Upload,
    cite_names,
    conflicts_table,
    empty,
    preview_table,
    problem_row,
    problems_frame,
    rebase_notes,
    refused_preview,
)
from store.errors import ConflictError, StoreError
from store.merge import STATUS_UNIT, conflicts_of, requested_cells, three_way
from store.model import EDITABLE_FIELDS, MAX_IMPORT_BYTES
from store.parse import read_import, rows_from_frame

if TYPE_CHECKING:
    from geo.load import Territory
    from store import Store

# How many of the latest versions are compared with a file that does not name its own.
SUGGEST_SCAN = 50


def winning_rows(
    changes: Mapping[str, Mapping[str, object]], base_values: Mapping[str, object]
) -> dict[str, dict[str, object]]:
    """A planner's changed cells, to re-apply on a newer version so that they win there, and only them.

    ``changes`` are the cells that differ from the version the planner started from (``Preview.changes``);
    values nobody typed are left out, so that changes saved meanwhile on other cells are kept. A status
    travels with its date (the store merges them as one unit): the one not typed comes from that version.
    """
    out: dict[str, dict[str, object]] = {}
    for cite_id, fields in changes.items():
        row = dict(fields)
        start = base_values.get(cite_id)
        if start is not None and any(name in STATUS_UNIT for name in row):
            for name in STATUS_UNIT:
                row.setdefault(name, getattr(start, name))
        out[cite_id] = row
    return out


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


@dataclass(frozen=True)
class Editing:
    """The editing service over one store, for the cités of one territory."""

    store: Store
    territory: Territory

    @cached_property
    def names(self) -> dict[str, str]:
        return cite_names(self.territory)

    def compare(
        self,
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
        problems = problems if problems is not None else empty(PROBLEM_COLUMNS)
        head_number = self.store.head_number()

        def refused(column: str, message: str) -> Preview:
            return refused_preview(
                problem_row(problems, column, message),
                base_version=base_version,
                head_version=head_number,
                kind=kind,
                filename=filename,
            )

        try:
            base = self.store.values(base_version)
        except StoreError as err:
            return refused("version_base", err.french_message())
        head = self.store.values(head_number)
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
        preview = preview_table(effective, head, self.names)
        conflicts = conflicts_table(conflicts_of(cells, conflicting, base=base, head=head), self.names, versions=False)
        notes = rebase_notes(base_version, head_number)
        return Preview(base_version, head_number, changes, preview, conflicts, problems, kind, filename, notes)

    def read_upload(self, data: bytes, filename: str) -> Upload:
        """Read and check an uploaded file (CSV or XLSX bytes); nothing is written."""
        filename = str(filename or "")
        if len(data) > MAX_IMPORT_BYTES:
            limit = MAX_IMPORT_BYTES // (1024 * 1024)
            message = f"fichier trop volumineux ({len(data) // 1024} Ko) : {limit} Mo au plus."
            return Upload(filename, {}, problem_row(empty(PROBLEM_COLUMNS), "", message), None)
        parsed = read_import(data, filename, known_ids=set(self.names))
        return Upload(filename, parsed.rows, problems_frame(parsed.problems), parsed.base_version)

    def preview_upload(
        self,
        upload: Upload,
        *,
        base_version: int | None = None,
        rows: Mapping[str, Mapping[str, object]] | None = None,
    ) -> Preview:
        """Compare a checked file with the store. The file's ``version_base`` is the version its values
        started from, unless ``base_version`` says otherwise; a file without one starts from the head.

        ``rows`` replaces the file's rows: the planner's own changes, re-applied on a newer version.
        """
        base = base_version if base_version is not None else upload.base_version
        if base is None:
            base = self.store.head_number()
        if not upload.ok:
            return refused_preview(
                upload.problems, base_version=base, head_version=base, kind="import", filename=upload.filename
            )
        return self.compare(
            {k: dict(v) for k, v in (rows if rows is not None else upload.rows).items()},
            int(base),
            kind="import",
            problems=upload.problems,
            filename=upload.filename,
        )

    def prepare_import(self, data: bytes, filename: str, *, base_version: int | None = None) -> Preview:
        """Validate an uploaded file and compare it with the store; writes nothing."""
        return self.preview_upload(self.read_upload(data, filename), base_version=base_version)

    def suggest_base(self, rows: Mapping[str, Mapping[str, object]], numbers: Sequence[int]) -> int | None:
        """The version, among the latest ``SUGGEST_SCAN`` of ``numbers`` (newest first), whose values
        match the most cells of ``rows``: the likeliest origin of a file that does not name it."""
        best, best_score = None, -1
        for number in list(numbers)[:SUGGEST_SCAN]:
            values = self.store.values(number)
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

    def prepare_edits(self, edited: pd.DataFrame, base_version: int, original: pd.DataFrame | None = None) -> Preview:
        """Validate the table edited in the page against the version it was opened on; writes nothing.

        With ``original`` (the table as it was opened), only the cells the planner changed are checked
        and sent: a stored value the planner did not touch is never judged again, and never re-sent.
        Problems name the cité, not a line.
        """
        frame = edited[["id", *EDITABLE_FIELDS]].copy()
        frame["id"] = frame["id"].astype(str)
        if original is None:
            changed, moved = {label: set(EDITABLE_FIELDS) for label in frame.index}, []
        else:
            changed, moved = changed_cells(frame, original)
        labels = [label for label in frame.index if label in changed]
        refused = dict(base_version=base_version, head_version=base_version, kind="edit")
        if not labels and not moved:
            return refused_preview(problems_frame([], names=self.names), **refused)
        checked = frame.loc[labels]
        lines = {1 + pos: str(cite_id) for pos, cite_id in enumerate(checked["id"])}
        wanted = {(lines[1 + pos], name) for pos, label in enumerate(labels) for name in changed[label]}
        parsed = rows_from_frame(checked, known_ids=set(self.names), first_row=1) if labels else None
        found = [p for p in (parsed.problems if parsed else ()) if _wanted(p, wanted, lines)]
        problems = problems_frame(found, names=self.names, lines=lines)
        if moved:
            problems = pd.concat([problems, self._moved_problems(frame, moved)], ignore_index=True)
        if not problems.empty:
            return refused_preview(problems, **refused)
        rows = {
            cite_id: {name: value for name, value in values.items() if (cite_id, name) in wanted}
            for cite_id, values in (parsed.rows if parsed is not None else {}).items()
        }
        return self.compare({k: v for k, v in rows.items() if v}, base_version, kind="edit", problems=problems)

    def _moved_problems(self, frame: pd.DataFrame, moved: Sequence[object]) -> pd.DataFrame:
        rows = [
            {
                "Cité": self.names.get(str(frame.at[label, "id"]), str(frame.at[label, "id"])),
                "Colonne": "Id",
                "Problème": "les cités du tableau et leurs identifiants ne se modifient pas.",
            }
            for label in moved
        ]
        return pd.DataFrame(rows, columns=TABLE_PROBLEM_COLUMNS)

    def save(self, preview: Preview, note: str, *, author: str) -> SaveResult:
        """Write the preview's changes as one new version by ``author``; the caller checked who that is."""
        if not preview.ok:
            return SaveResult(message="La saisie contient des erreurs : rien n'a été enregistré.")
        if not preview.changes:
            return SaveResult(message="Aucune valeur ne change : aucune version n'a été créée.")
        note = note or ""
        try:
            version = self.store.apply(
                preview.changes, base_version=preview.base_version, author=author, note=note, kind=preview.kind
            )
        except ConflictError as err:
            conflicts = conflicts_table(err.conflicts, self.names, versions=True)
            return SaveResult(message=err.french_message(), conflicts=conflicts)
        except StoreError as err:
            return SaveResult(message=err.french_message())
        if version is None:
            return SaveResult(
                message="Ces valeurs sont déjà celles de la version actuelle : aucune version n'a été créée."
            )
        return SaveResult(
            version=version.number, changes=version.changes, message=f"Version {version.number} enregistrée."
        )

    def editor_table(self, overrides: Mapping[str, Mapping[str, object]] | None = None) -> EditorTable:
        """The head's values as the table to edit, sorted by commune then name.

        ``overrides`` are a planner's pending values, carried over when the table is reopened on a newer version.
        """
        head = self.store.head_number()
        cites = self.territory.cites
        info = {str(i): (str(n), str(c)) for i, n, c in zip(cites["id"], cites["nom"], cites["commune"], strict=True)}
        rows = [
            {
                "id": cite_id,
                "nom": info.get(cite_id, ("", ""))[0],
                "commune": info.get(cite_id, ("", ""))[1],
                **{name: getattr(v, name) for name in EDITABLE_FIELDS},
            }
            for cite_id, v in self.store.values(head).items()
        ]
        original = pd.DataFrame(rows, columns=["id", "nom", "commune", *EDITABLE_FIELDS])
        original["logements"] = original["logements"].astype("Int64")
        original = original.sort_values(["commune", "nom"], kind="stable").reset_index(drop=True)
        frame = original.copy()
        for label, cite_id in zip(frame.index, frame["id"], strict=True):
            for name, value in (overrides or {}).get(cite_id, {}).items():
                frame.at[label, name] = pd.NA if value is None else value
        return EditorTable(head, frame, original)


def _wanted(problem: Problem, wanted: set[tuple[str, str]], lines: Mapping[int, str]) -> bool:
    """A problem of a cell the planner changed, or of no single editable cell: one to report."""
    if problem.field not in EDITABLE_FIELDS:
        return True
    cite_id = problem.ref or (lines.get(problem.line) if problem.line is not None else None)
    return (cite_id, problem.field) in wanted
