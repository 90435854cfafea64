"""Snapshot arithmetic, without a database: differences, rebuilds and the three-way merge.

A snapshot maps each cité id to its :class:`CiteValues`. Every function here returns a new
snapshot and never mutates its arguments, so the store can compute a version completely before
writing any of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from numbers import Integral

from core.errors import Problem
from core.vocab import STATUSES
from store.errors import CELL_WORDS, Conflict, InvalidChange
from store.fields import checked_field_text
from store.model import EDITABLE_FIELDS, CiteValues

Snapshot = Mapping[str, CiteValues]
Cell = tuple[str, str]

PLANNER_PREFIX = "maj-"
# A status and its date are entered, merged and reported together: one person's status with another
# person's date is a combination nobody entered.
STATUS_UNIT: tuple[str, ...] = ("statut", "statut_date")
# Which provenance column a planner's change re-sources to its version.
SOURCE_OF_FIELD: dict[str, str] = {
    "statut": "statut_source",
    "statut_date": "statut_source",
    "logements": "logements_source",
}


@dataclass(frozen=True)
class Change:
    cite_id: str
    field: str
    before: object
    after: object


def planner_source(number: int) -> str:
    return f"{PLANNER_PREFIX}{number}"


def is_planner_value(source: str) -> bool:
    return source.startswith(PLANNER_PREFIX)


def cite_sort_key(cite_id: str) -> tuple[int, int, str]:
    # Inventory ids are numbers stored as text: 20 before 102, as the planners read them.
    return (0, int(cite_id), "") if cite_id.isdigit() else (1, 0, cite_id)


def diff_snapshots(before: Snapshot, after: Snapshot, *, fields: tuple[str, ...] = EDITABLE_FIELDS) -> list[Change]:
    """Every (cité, field) whose value differs, by cité then in template column order.

    A cité present on one side only shows its values against ``None``.
    """
    changes: list[Change] = []
    for cite_id in sorted(set(before) | set(after), key=cite_sort_key):
        old, new = before.get(cite_id), after.get(cite_id)
        for name in fields:
            a = getattr(old, name) if old is not None else None
            b = getattr(new, name) if new is not None else None
            if a != b:
                changes.append(Change(cite_id, name, a, b))
    return changes


def rebuild(head: Snapshot, build: Snapshot) -> dict[str, CiteValues]:
    """The head after the reference data were rebuilt: planners' values win, the rest follows the build.

    Status (with its date) and housing count are judged separately, each by its own source; the
    planner's free-text ``source`` is never the build's to change. Cités follow the build's list.
    """
    out: dict[str, CiteValues] = {}
    for cite_id, ref in build.items():
        current = head.get(cite_id)
        if current is None:
            out[cite_id] = ref
            continue
        if not is_planner_value(current.statut_source):
            current = replace(current, statut=ref.statut, statut_date=ref.statut_date, statut_source=ref.statut_source)
        if not is_planner_value(current.logements_source):
            current = replace(current, logements=ref.logements, logements_source=ref.logements_source)
        out[cite_id] = current
    return out


def normalise_value(cite_id: str, field: str, value: object) -> object:
    """The value as stored, or :class:`InvalidChange` naming the cité and the field."""

    def invalid(message: str) -> InvalidChange:
        return InvalidChange(Problem(message, field=field, ref=cite_id).describe(CELL_WORDS))

    if field not in EDITABLE_FIELDS:
        raise InvalidChange(f"Champ non modifiable « {field} » (cité {cite_id}) : seuls {', '.join(EDITABLE_FIELDS)}.")
    if field == "logements":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, Integral) or int(value) < 0:
            raise invalid(f"nombre de logements invalide « {value} » (entier positif ou vide).")
        return int(value)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise invalid(f"texte attendu, « {value} » reçu.")
    refused = checked_field_text(field, value)
    if refused is not None:
        raise invalid(refused)
    if field == "statut" and value not in STATUSES:
        raise invalid(f"statut inconnu « {value} » (statuts : {', '.join(STATUSES)}).")
    return value


def requested_cells(changes: Mapping[str, Mapping[str, object]], base: Snapshot) -> dict[Cell, object]:
    """The cells a planner actually changed: those that differ from the version they started from."""
    cells: dict[Cell, object] = {}
    for cite_id, fields in changes.items():
        start = base.get(cite_id)
        for name, raw in fields.items():
            value = normalise_value(cite_id, name, raw)
            if start is None or getattr(start, name) != value:
                cells[(cite_id, name)] = value
    return cells


def unit_of(name: str) -> tuple[str, ...]:
    """The fields merged together with ``name``: a status and its date only make sense as a pair."""
    return STATUS_UNIT if name in STATUS_UNIT else (name,)


def _units(cells: Iterable[Cell]) -> dict[tuple[str, tuple[str, ...]], list[str]]:
    """The cells grouped by (cité, unit), in the order first seen."""
    units: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for cite_id, name in cells:
        units.setdefault((cite_id, unit_of(name)), []).append(name)
    return units


def three_way(cells: Mapping[Cell, object], *, base: Snapshot, head: Snapshot) -> tuple[dict[Cell, object], list[Cell]]:
    """Split the planner's cells into those to write on the head and those in conflict.

    Cells are judged by unit: a field alone, or the status with its date (``STATUS_UNIT``), so that
    a merge never pairs one person's status with another person's date. A unit already holding the
    planner's values needs nothing; a unit changed since ``base`` to other values is a conflict
    (every cell the planner changed in it is listed); anything else lands on top of the head.
    """
    effective: dict[Cell, object] = {}
    conflicts: list[Cell] = []
    for (cite_id, unit), asked in _units(cells).items():
        now = head[cite_id]
        start = base.get(cite_id, now)
        mine = tuple(cells[(cite_id, name)] if name in asked else getattr(start, name) for name in unit)
        theirs = tuple(getattr(now, name) for name in unit)
        if theirs == mine:
            continue
        if theirs != tuple(getattr(start, name) for name in unit):
            conflicts.extend((cite_id, name) for name in unit if name in asked)
        else:
            for name in asked:
                if getattr(now, name) != cells[(cite_id, name)]:
                    effective[(cite_id, name)] = cells[(cite_id, name)]
    return effective, conflicts


def status_with_date(statut: object, statut_date: object) -> str:
    """« livrée (2024-06) »: how a conflict on the status unit shows each side."""
    return f"{statut} ({statut_date or 'date non renseignée'})"


def unit_value(values: CiteValues, unit: tuple[str, ...]) -> object:
    if unit == STATUS_UNIT:
        return status_with_date(values.statut, values.statut_date)
    return getattr(values, unit[0])


def conflicts_of(
    cells: Mapping[Cell, object],
    conflicting: Iterable[Cell],
    *,
    base: Snapshot,
    head: Snapshot,
    changed_in: Callable[[str, tuple[str, ...]], int | None] | None = None,
) -> list[Conflict]:
    """One :class:`Conflict` per cité and unit of ``three_way``'s conflicts, by cité then column.

    The status unit is reported as the field « statut », each side as « statut (date) ».
    ``changed_in(cite_id, unit)`` names the version that changed the unit (None when not given).
    """
    out: list[Conflict] = []
    for (cite_id, unit), _names in sorted(
        _units(conflicting).items(), key=lambda item: (cite_sort_key(item[0][0]), EDITABLE_FIELDS.index(item[0][1][0]))
    ):
        now = head[cite_id]
        start = base.get(cite_id, now)
        mine = replace(start, **{name: cells[(cite_id, name)] for name in unit if (cite_id, name) in cells})
        out.append(
            Conflict(
                cite_id,
                unit[0],
                unit_value(now, unit),
                unit_value(mine, unit),
                changed_in(cite_id, unit) if changed_in is not None else None,
            )
        )
    return out


def with_changes(head: Snapshot, cells: Mapping[Cell, object], *, number: int) -> dict[str, CiteValues]:
    """The head with the planner's cells written, their status and count sourced to version ``number``."""
    out = dict(head)
    for (cite_id, name), value in cells.items():
        updates: dict[str, object] = {name: value}
        if name in SOURCE_OF_FIELD:
            updates[SOURCE_OF_FIELD[name]] = planner_source(number)
        out[cite_id] = replace(out[cite_id], **updates)
    return out
