"""Reading, checking and normalising a planner's update file (CSV or XLSX): the entry point.

Nothing here touches the database or Streamlit. An import is all or nothing: every problem of the
file is collected (with its spreadsheet line and column, in French) and the caller writes
``ParsedImport.rows`` only when ``ParsedImport.ok``. Nothing typed in a cell is ever evaluated.
The work is done by ``store.tables`` (reading the file), ``store.fields`` (each cell's rules) and
``store.checks`` (the walk over the lines); the templates are ``store.template``'s.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from core.errors import Problem
from core.text import format_fixed
from core.vocab import PARIS
from store.checks import Checker, capped, formula_problems, map_columns
from store.errors import SHEET_WORDS
from store.fields import COLUMN_BY_KEY, Invalid, as_text, header_key, is_blank
from store.model import MAX_IMPORT_BYTES
from store.tables import Table, read_table

__all__ = ["ParsedImport", "paris_today", "read_import", "rows_from_frame"]


@dataclass(frozen=True)
class ParsedImport:
    """The outcome of reading one file: its normalised rows, or why none of them may be written.

    ``rows`` maps a cité id to its values for the editable fields present as columns; it may be
    partly filled when there are problems, and must then not be written. ``encoding`` is the CSV
    text encoding found (``utf-8-sig``, ``utf-8``, ``cp1252``, ``utf-16``), ``xlsx`` or ``table``.

    ``base_version`` is the file's ``version_base`` (1 to 2**31 - 1), or None when the file has no
    such column or leaves it blank. A file without one says nothing of the version it was made
    from: read against the head, each of its rows would count as a change and undo what others saved
    since. Callers decide: the CLI refuses it unless given ``--base N``; the app asks the planner.
    """

    rows: dict[str, dict[str, object]]
    base_version: int | None
    problems: tuple[Problem, ...]
    encoding: str
    separator: str | None

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """Each problem as the planner reads it: « Ligne 3, colonne « statut » : … »."""
        return [problem.describe(SHEET_WORDS) for problem in self.problems]


def _refused(message: str) -> ParsedImport:
    return ParsedImport({}, None, (Problem(message),), "", None)


def _check_table(table: Table, *, known_ids: Collection[str], today: date | None) -> ParsedImport:
    def result(problems: Sequence[Problem], rows: dict | None = None, base: int | None = None) -> ParsedImport:
        return ParsedImport(rows or {}, base, capped(problems), table.encoding, table.separator)

    lines = iter(table.records)
    header = next(((line, cells) for line, cells in lines if not all(is_blank(c) for c in cells)), None)
    if header is None:
        return result([Problem("le fichier est vide (aucune ligne d'en-tête ni de données).")])
    header_line, header_cells = header
    names = [as_text(c) for c in header_cells]
    problems = formula_problems(header_line, header_cells, names)
    positions, column_problems = map_columns(header_line, header_cells)
    problems += column_problems
    if column_problems:
        return result(problems)
    for column, pos in positions.items():
        names[pos] = column
    known = frozenset(str(i) for i in known_ids)
    checker = Checker(positions, known, today or paris_today(), separator=table.separator)
    width = len(header_cells) if table.check_width else None
    seen_data = False
    for line, cells in lines:
        if all(is_blank(c) for c in cells):
            continue  # the blank lines a spreadsheet leaves at the end
        seen_data = True
        checker.data_line(line, cells, names, width=width)
    problems += checker.problems
    if not seen_data:
        problems.append(Problem("aucune ligne de données sous l'en-tête."))
    return result(problems, checker.rows, checker.base[0] if checker.base else None)


def paris_today() -> date:
    """Today in Europe/Paris, whatever the server's clock zone: the day the planners live in."""
    return datetime.now(PARIS).date()


def read_import(data: bytes, filename: str, *, known_ids: Collection[str], today: date | None = None) -> ParsedImport:
    """Read and check an uploaded CSV or XLSX file; see ``ParsedImport``. Nothing is written here."""
    if len(data) > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES / 1024 / 1024
        size = format_fixed(len(data) / 1024 / 1024)
        return _refused(f"fichier trop volumineux ({size} Mo, {limit:g} Mo au plus).")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return _refused("le fichier est vide.")
    try:
        table = read_table(data, filename)
    except Invalid as err:
        return _refused(err.message)
    return _check_table(table, known_ids=known_ids, today=today)


def rows_from_frame(
    frame: pd.DataFrame, *, known_ids: Collection[str], today: date | None = None, first_row: int = 1
) -> ParsedImport:
    """The checks of ``read_import`` on a table edited in the app; its first row is numbered ``first_row``."""
    if "id" not in {COLUMN_BY_KEY.get(header_key(c)) for c in frame.columns} and frame.index.name is not None:
        frame = frame.reset_index()
    records = [(first_row + pos, list(values)) for pos, values in enumerate(frame.itertuples(index=False, name=None))]
    header = (first_row - 1, list(frame.columns))
    return _check_table(Table([header, *records], "table", None), known_ids=known_ids, today=today)
