"""What the « Mise à jour » page shows of an edit: the French tables of problems, changes and conflicts.

Values of the store as planners read them (``display``), fields by their labels, and the results
(:class:`Preview`, :class:`Upload`, :class:`SaveResult`, :class:`EditorTable`) the service returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from core.errors import Problem
from store.errors import Conflict, display_value
from store.fields import MAX_NOTE_CHARS
from store.merge import STATUS_UNIT
from store.reference import cite_names as store_cite_names

if TYPE_CHECKING:
    from geo.load import Territory

FIELD_LABELS = {
    "statut": "Statut",
    "statut_date": "Date du statut",
    "logements": "Logements",
    "source": "Source (votre référence)",
    "statut_source": "Origine du statut",
    "logements_source": "Origine du nombre de logements",
}
PROBLEM_COLUMNS = ["Ligne", "Colonne", "Problème"]
TABLE_PROBLEM_COLUMNS = ["Cité", "Colonne", "Problème"]
PREVIEW_COLUMNS = ["Cité", "Champ", "Avant", "Après"]
PREVIEW_CONFLICT_COLUMNS = ["Cité", "Champ", "Valeur actuelle", "Votre saisie"]
CONFLICT_COLUMNS = [*PREVIEW_CONFLICT_COLUMNS, "Modifiée en version"]
# The store's limit (it refuses a longer note): the form stops typing there.
NOTE_MAX_CHARS = MAX_NOTE_CHARS


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def conflict_label(name: str) -> str:
    """A conflict's field: the store reports a status and its date together, as « statut »."""
    return "Statut et date du statut" if name in STATUS_UNIT else field_label(name)


def cite_names(territory: Territory) -> dict[str, str]:
    """The cités' names by id, as the map shows them."""
    return store_cite_names(territory.cites)


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def problems_frame(
    problems: Sequence[Problem],
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
        cite_id = p.ref or (lines.get(p.line) if lines is not None and p.line is not None else None)
        if names is not None:
            where = names.get(str(cite_id), str(cite_id)) if cite_id else ("" if p.line is None else f"ligne {p.line}")
            column = FIELD_LABELS.get(p.field, p.field) if p.field else ""
        else:
            where, column = ("" if p.line is None else str(p.line)), p.field or ""
        rows.append({"Cité" if names is not None else "Ligne": where, "Colonne": column, "Problème": p.message})
    return pd.DataFrame(rows, columns=TABLE_PROBLEM_COLUMNS if names is not None else PROBLEM_COLUMNS)


def problem_row(problems: pd.DataFrame, column: str, message: str) -> pd.DataFrame:
    first = problems.columns[0]
    extra = pd.DataFrame([{first: "", "Colonne": column, "Problème": message}], columns=problems.columns)
    return pd.concat([problems, extra], ignore_index=True) if not problems.empty else extra


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


def refused_preview(
    problems: pd.DataFrame, *, base_version: int, head_version: int, kind: str, filename: str = ""
) -> Preview:
    """A preview that changes nothing, for input with problems: nothing can be saved from it."""
    nothing = (empty(PREVIEW_COLUMNS), empty(PREVIEW_CONFLICT_COLUMNS))
    return Preview(base_version, head_version, {}, *nothing, problems, kind, filename)


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


@dataclass(frozen=True)
class SaveResult:
    version: int | None = None
    changes: int = 0
    message: str = ""
    conflicts: pd.DataFrame | None = None

    @property
    def saved(self) -> bool:
        return self.version is not None


@dataclass(frozen=True)
class EditorTable:
    """The head's values as the table a planner edits: ``original`` as read from version ``base``,
    ``frame`` the same with the planner's pending values carried over."""

    base: int
    frame: pd.DataFrame
    original: pd.DataFrame


def preview_table(effective: Mapping[tuple[str, str], object], head: Mapping, names: Mapping[str, str]) -> pd.DataFrame:
    rows = [
        {
            "Cité": names.get(cite_id, cite_id),
            "Champ": field_label(name),
            "Avant": display_value(getattr(head[cite_id], name)),
            "Après": display_value(value),
        }
        for (cite_id, name), value in effective.items()
    ]
    return pd.DataFrame(rows, columns=PREVIEW_COLUMNS)


def conflicts_table(conflicts: Iterable[Conflict], names: Mapping[str, str], *, versions: bool) -> pd.DataFrame:
    """The conflicts as the planner reads them; ``versions``: with the version that changed each one."""
    rows = []
    for c in conflicts:
        row = {
            "Cité": names.get(c.cite_id, c.cite_id),
            "Champ": conflict_label(c.field),
            "Valeur actuelle": display_value(c.current),
            "Votre saisie": display_value(c.proposed),
        }
        if versions:
            row["Modifiée en version"] = "" if c.changed_in is None else str(c.changed_in)
        rows.append(row)
    return pd.DataFrame(rows, columns=CONFLICT_COLUMNS if versions else PREVIEW_CONFLICT_COLUMNS)


def rebase_notes(base_version: int, head_number: int) -> tuple[str, ...]:
    if base_version == head_number:
        return ()
    return (
        f"Votre saisie part de la version {base_version} ; la version actuelle est la {head_number}. "
        "Les valeurs modifiées entre-temps par quelqu'un d'autre sont conservées ; seules les cellules "
        "que vous avez changées sont enregistrées.",
    )
