"""Checking an update file's lines: its header's columns, then every cell of every data line.

Every problem is collected, each placed at its spreadsheet line and column (``core.errors.Problem``:
``line``, ``field`` the column, ``ref`` the cité the line is about when its id could be read), so
that a planner fixes the whole file at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from core.errors import Problem
from store.fields import (
    COLUMN_BY_KEY,
    FIELD_PARSERS,
    Invalid,
    as_text,
    header_key,
    is_blank,
    is_formula,
    parse_id,
    parse_statut_date,
    parse_version_base,
    quoted,
)
from store.model import EDITABLE_FIELDS, REQUIRED_COLUMNS
from store.tables import SEPARATOR_NAMES, column_letter

MAX_PROBLEMS = 200
FAILED = object()


def capped(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    """The first ``MAX_PROBLEMS`` problems, then how many more."""
    if len(problems) <= MAX_PROBLEMS:
        return tuple(problems)
    rest = len(problems) - MAX_PROBLEMS
    return (*problems[:MAX_PROBLEMS], Problem(f"… et {rest} autres problèmes."))


def formula_problems(
    line: int, cells: Sequence[object], names: Sequence[str], cite_id: str | None = None
) -> list[Problem]:
    return [
        Problem(
            f"formule refusée {quoted(cell)} : les formules ne sont pas calculées ; écrivez la valeur "
            "elle-même, sans la commencer par =, +, - ou @.",
            line,
            names[pos] if pos < len(names) and names[pos] else column_letter(pos),
            ref=cite_id,
        )
        for pos, cell in enumerate(cells)
        if is_formula(cell)
    ]


def map_columns(line: int, header: Sequence[object]) -> tuple[dict[str, int], list[Problem]]:
    """Position of each known column (names compared without case, accents or spaces)."""
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for pos, cell in enumerate(header):
        column = COLUMN_BY_KEY.get(header_key(cell))
        if column is None:
            continue  # nom, commune and the planner's own columns are only there to help
        if column in positions:
            first = column_letter(positions[column])
            problems.append(
                Problem(f"colonne en double (colonnes {first} et {column_letter(pos)}) : gardez-en une.", line, column)
            )
        else:
            positions[column] = pos
    found = ", ".join(as_text(c) for c in header if as_text(c)) or "aucune"
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            problems.append(Problem(f"colonne obligatoire absente (colonnes lues : {found}).", field=column))
    return positions, problems


@dataclass
class Checker:
    """Walks the data lines once, collecting every problem and the normalised values."""

    positions: dict[str, int]
    known_ids: frozenset[str]
    today: date
    separator: str | None = None
    rows: dict[str, dict[str, object]] = field(default_factory=dict)
    first_line: dict[str, int] = field(default_factory=dict)
    base: tuple[int, int] | None = None  # (version_base, line where it was first read)
    problems: list[Problem] = field(default_factory=list)

    def cell(self, cells: Sequence[object], column: str) -> object:
        pos = self.positions[column]
        return cells[pos] if pos < len(cells) else None

    def line(self, line: int, cells: Sequence[object], skip: set[int]) -> str | None:
        """Check one data line; ``skip`` holds the positions refused as formulas. Returns its cité's id."""
        cite_id = named = None
        raw_id = self.cell(cells, "id")
        if self.positions["id"] not in skip:
            if is_blank(raw_id):
                self.problems.append(Problem("identifiant de cité manquant sur une ligne remplie.", line, "id"))
            else:
                parsed_id = self.check(line, "id", None, lambda: parse_id(raw_id, self.known_ids))
                cite_id = named = parsed_id if isinstance(parsed_id, str) else None
        if cite_id is not None and cite_id in self.first_line:
            first = self.first_line[cite_id]
            self.problems.append(
                Problem(f"cité {quoted(cite_id)} en double (déjà à la ligne {first}).", line, "id", ref=cite_id)
            )
            cite_id = None
        values: dict[str, object] = {}
        for column in EDITABLE_FIELDS:
            if column not in self.positions or self.positions[column] in skip:
                continue
            raw = self.cell(cells, column)
            if column == "statut_date":
                parsed = self.check(line, column, cite_id, lambda raw=raw: parse_statut_date(raw, today=self.today))
            else:
                parsed = self.check(line, column, cite_id, lambda raw=raw, column=column: FIELD_PARSERS[column](raw))
            if parsed is not FAILED:
                values[column] = parsed
        if "version_base" in self.positions and self.positions["version_base"] not in skip:
            self.version(line, self.cell(cells, "version_base"), cite_id)
        if cite_id is not None:
            self.first_line[cite_id] = line
            self.rows[cite_id] = values
        return named

    def check(self, line: int, column: str, cite_id: str | None, parse: Callable[[], object]) -> object:
        try:
            return parse()
        except Invalid as err:
            self.problems.append(Problem(err.message, line, column, ref=cite_id))
            return FAILED

    def version(self, line: int, raw: object, cite_id: str | None) -> None:
        number = self.check(line, "version_base", cite_id, lambda: parse_version_base(raw))
        if not isinstance(number, int):
            return
        if self.base is None:
            self.base = (number, line)
        elif number != self.base[0]:
            self.problems.append(
                Problem(
                    f"version de base {number} différente de celle de la ligne {self.base[1]} ({self.base[0]}) : "
                    "un fichier d'import provient d'un seul modèle téléchargé.",
                    line,
                    "version_base",
                    ref=cite_id,
                )
            )

    def data_line(self, line: int, cells: Sequence[object], names: Sequence[str], *, width: int | None) -> None:
        """Check one data line; ``names`` are the header's column names, ``width`` its length when a
        line longer than the header is a problem (a CSV's separator inside an unquoted value)."""
        skip = {pos for pos, cell in enumerate(cells) if is_formula(cell)}
        before = len(self.problems)
        cite_id = self.line(line, cells, skip)
        # Reported before the line's other problems, naming its cité when the id could be read.
        first = formula_problems(line, cells, names, cite_id)
        if width is not None and len(cells) > width and not all(is_blank(c) for c in cells[width:]):
            first.append(self.width_problem(line, len(cells), width, cite_id))
        self.problems[before:before] = first

    def width_problem(self, line: int, count: int, width: int, cite_id: str | None) -> Problem:
        return Problem(
            f"{count} valeurs pour {width} colonnes : une valeur contenant le séparateur "
            f"{SEPARATOR_NAMES.get(self.separator or '', '')} doit être entre guillemets.",
            line,
            ref=cite_id,
        )
