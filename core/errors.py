"""The one located-error type: what is wrong, in which file, at which line and field.

Messages are French because they reach the user as they are; they always say where, so that a
hand-edited file can be fixed. Each kind of file names its places in its own words (a data file's
« ligne » and « champ », a spreadsheet's « Ligne » and « colonne », a scenario's « scène »): the
words are the error kind's, the structure is this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Words:
    """How one kind of file names a place: ``line`` (« ligne », « scène »), ``field`` (« champ »,
    « colonne »), and what is said when a problem has neither (the whole file).

    ``ref`` names the record a problem is about where there is no line (« cité 102 »); empty, the
    record is not named. ``capitalised``: the place starts the sentence (« Ligne 3 : … »,
    « Colonne « id » : … »), so its first word takes a capital; a file name coming first is kept.
    """

    line: str = "ligne"
    field: str = "champ"
    nowhere: str = ""
    ref: str = ""
    capitalised: bool = False


@dataclass(frozen=True)
class Problem:
    """One problem. ``line`` is 1-based in the file's own unit; ``ref`` names the record it is
    about (a cité id) where the table it came from has no line numbers."""

    message: str
    line: int | None = None
    field: str | None = None
    file: str | None = None
    ref: str | None = None

    def where(self, words: Words = Words()) -> str:
        places = []
        if self.line is not None:
            places.append(f"{words.line} {self.line}")
        elif self.ref and words.ref:
            places.append(f"{words.ref} {self.ref}")
        if self.field:
            places.append(f"{words.field} « {self.field} »")
        if words.capitalised and places and not self.file:
            places[0] = places[0][:1].upper() + places[0][1:]
        return ", ".join([self.file, *places] if self.file else places) or words.nowhere

    def describe(self, words: Words = Words()) -> str:
        where = self.where(words)
        return f"{where} : {self.message}" if where else self.message

    def __str__(self) -> str:
        return self.describe()


class LocatedError(ValueError):
    """A file is missing, unreadable or invalid; carries every problem found, each located."""

    words: ClassVar[Words] = Words()

    def __init__(self, path: str, problems: Iterable[Problem] = ()) -> None:
        self.path = path
        self.problems = list(problems)
        super().__init__(self.french_message())

    def heading(self) -> str:
        return f"Fichier invalide : {self.path}"

    def lines(self) -> list[str]:
        return [p.describe(self.words) for p in self.problems]

    def french_message(self, *, limit: int = 10) -> str:
        lines = [f"  - {line}" for line in self.lines()[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  … et {len(self.problems) - limit} autre(s) problème(s)")
        return "\n".join([self.heading(), *lines])

    def __str__(self) -> str:
        return self.french_message()
