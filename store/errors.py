"""What the store refuses, each with the French sentence a planner reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.errors import Problem, Words
from core.vocab import NON_RENSEIGNE

# How a spreadsheet names a place, capitalised as the sentence starts with it: « Ligne 3, colonne
# « statut » : … », « Ligne 3 : … », « Colonne « id » : … », « Fichier : … ».
SHEET_WORDS = Words(line="ligne", field="colonne", nowhere="Fichier", capitalised=True)
# How the store names a cell, by its cité and field: « cité 102 (Cité des Alouettes), champ « statut » ».
CELL_WORDS = Words(ref="cité", field="champ")


def display_value(value: object) -> str:
    """A stored value as a planner reads it: empty and missing both mean « non renseigné »."""
    if value is None or value == "":
        return NON_RENSEIGNE
    return str(value)


def cite_label(cite_id: str, names: Mapping[str, str]) -> str:
    name = names.get(cite_id)
    return f"{cite_id} ({name})" if name else cite_id


class StoreError(Exception):
    """Anything the store refuses or cannot do; ``french_message()`` is what the user sees."""

    def french_message(self) -> str:
        return str(self)


class UnknownVersion(StoreError):
    def __init__(self, number: int, *, head: int) -> None:
        self.number = number
        self.head = head
        super().__init__(self.french_message())

    def french_message(self) -> str:
        if self.head == 0:
            return "Aucune version enregistrée : les données des cités n'ont pas encore été chargées."
        return f"Version {self.number} inconnue : les versions vont de 1 à {self.head}."


class InvalidChange(StoreError, ValueError):
    """A change names a cité or a field the store does not know, or a value of the wrong kind."""


@dataclass(frozen=True)
class Conflict:
    """The same cell changed since the planner's base version, to another value than theirs."""

    cite_id: str
    field: str
    current: object
    proposed: object
    changed_in: int | None


class ConflictError(StoreError):
    """Someone else saved in between: nothing was written.

    Either cells changed on both sides (``conflicts``), or, with ``message`` and no conflicts, the
    head moved past the version a confirmation was given for (``Store.rollback(expected_head=…)``).
    """

    def __init__(
        self,
        conflicts: Sequence[Conflict],
        *,
        base_version: int,
        head: int,
        names: Mapping[str, str],
        message: str | None = None,
    ) -> None:
        self.conflicts = tuple(conflicts)
        self.base_version = base_version
        self.head = head
        self.names = dict(names)
        self.message = message
        super().__init__(self.french_message())

    def french_message(self) -> str:
        if self.message is not None:
            return self.message
        lines = [
            f"Modifications refusées, rien n'a été enregistré : {len(self.conflicts)} valeur(s) ont été "
            f"modifiées par quelqu'un d'autre depuis la version {self.base_version} dont part votre saisie.",
        ]
        for c in self.conflicts:
            by = f"version {c.changed_in}" if c.changed_in is not None else "une version plus récente"
            message = (
                f"« {display_value(c.current)} » dans la base ({by}), « {display_value(c.proposed)} » dans votre saisie"
            )
            cell = Problem(message, field=c.field, ref=cite_label(c.cite_id, self.names))
            lines.append(f"  - {cell.describe(CELL_WORDS)}")
        lines.append(
            f"Repartez de la version courante ({self.head}) et reportez-y celles de vos modifications "
            "qui doivent l'emporter."
        )
        return "\n".join(lines)
