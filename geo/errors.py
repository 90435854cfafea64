"""Errors raised when a data file is missing or does not match its schema.

Messages are in French because they reach the user as they are; they always name the
file and, where known, the row and the field, so a hand-edited file can be fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DataProblem:
    """One problem found in a data file."""

    message: str
    row: int | None = None  # 1-based line of the data row, header excluded
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"champ « {self.column} »")
        prefix = ", ".join(where)
        return f"{prefix} : {self.message}" if prefix else self.message


@dataclass
class DataFileError(Exception):
    """A data file is missing, unreadable or invalid; carries every problem found."""

    path: str
    problems: list[DataProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.french_message())

    def french_message(self, *, limit: int = 10) -> str:
        head = f"Fichier de données invalide : {self.path}"
        lines = [f"  - {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  … et {len(self.problems) - limit} autre(s) problème(s)")
        return "\n".join([head, *lines])

    def __str__(self) -> str:
        return self.french_message()


def missing_file(path: str) -> DataFileError:
    return DataFileError(path, [DataProblem("fichier introuvable (relancer « python cli.py build-data »)")])
