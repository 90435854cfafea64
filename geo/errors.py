"""Errors raised when a data file is missing or does not match its schema (``core.errors``'s
located type, worded for data files: « ligne » of a data row, header excluded, and « champ »)."""

from __future__ import annotations

from core.errors import LocatedError, Problem


class DataFileError(LocatedError):
    """A data file is missing, unreadable or invalid; carries every problem found."""

    def heading(self) -> str:
        return f"Fichier de données invalide : {self.path}"


def missing_file(path: str) -> DataFileError:
    return DataFileError(path, [Problem("fichier introuvable (relancer « python cli.py build-data »)")])
