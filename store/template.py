"""The update templates a planner downloads and fills: a CSV, or a workbook with its « Aide » sheet.

Each holds every cité with its values of one version and that version's number (``version_base``),
so that an import made from it is merged with what was saved since rather than undoing it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from core.text import neutralise_formula
from core.vocab import NON_RENSEIGNE, STATUS_LABELS, STATUSES, UNDATED
from store.fields import MAX_SOURCE_CHARS, as_text
from store.model import MAX_IMPORT_BYTES, TEMPLATE_COLUMNS, CiteValues
from store.tables import DATA_SHEET, HELP_SHEET, column_letter

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Typing « 2019-11 » into a General cell makes Excel store a date; text-formatted cells keep it.
_TEXT_COLUMNS = frozenset({"id", "nom", "commune", "statut", "statut_date", "source"})
# Columns the planner must not change, greyed.
_LOCKED_COLUMNS = frozenset({"id", "nom", "commune", "version_base"})
_HELP_HEADINGS = ("Colonne", "Obligatoire", "Contenu", "Statut", "Signification", "Règles")


def _template_rows(values: Mapping[str, CiteValues], cites: pd.DataFrame, version: int) -> Iterator[list[object]]:
    for cite_id, nom, commune in cites[["id", "nom", "commune"]].itertuples(index=False, name=None):
        v = values.get(str(cite_id)) or CiteValues(statut=NON_RENSEIGNE)
        yield [
            str(cite_id),
            as_text(nom),
            as_text(commune),
            v.statut,
            v.statut_date or "",
            "" if v.logements is None else int(v.logements),
            v.source or "",
            int(version),
        ]


def template_csv(values: Mapping[str, CiteValues], cites: pd.DataFrame, *, version: int) -> bytes:
    """The update template as CSV: UTF-8 with BOM and « ; », which French Excel opens as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for row in _template_rows(values, cites, version):
        writer.writerow([neutralise_formula(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


_HELP_COLUMNS = {
    "id": ("oui", "Identifiant de la cité dans l'inventaire. Ne pas modifier : il désigne la cité mise à jour."),
    "nom": ("non", "Nom de la cité, pour s'y retrouver. Ignoré à l'import."),
    "commune": ("non", "Commune de la cité, pour s'y retrouver. Ignorée à l'import."),
    "statut": ("oui", "Avancement de la cité, choisi dans la liste : " + ", ".join(STATUSES) + "."),
    "statut_date": (
        "non",
        "Date de cet avancement : AAAA-MM-JJ, AAAA-MM, AAAA ou JJ/MM/AAAA, entre 2017 et aujourd'hui ; "
        f"« {UNDATED} » si la source ne le date pas ; vide si inconnue.",
    ),
    "logements": ("oui", "Nombre de logements de la cité : un entier positif ou nul ; case vide si non renseigné."),
    "source": (
        "non",
        f"Votre référence pour ces valeurs (courrier, réunion, document), {MAX_SOURCE_CHARS} caractères au plus ; "
        "elle est affichée comme source du chiffre.",
    ),
    "version_base": (
        "non",
        "Version des données d'où vient ce modèle. Ne pas modifier : elle permet de repérer les "
        "modifications faites entre-temps par quelqu'un d'autre.",
    ),
}
_HELP_RULES = (
    "L'import est tout ou rien : si une seule ligne pose problème, rien n'est enregistré et chaque "
    "problème est indiqué avec sa ligne et sa colonne.",
    "Les formules ne sont pas acceptées : écrivez les valeurs elles-mêmes (une case ne doit pas commencer "
    "par =, +, - ou @).",
    "Les lignes peuvent être retirées : seules les cités présentes dans le fichier sont mises à jour. "
    "Aucune ligne ne peut être ajoutée pour une cité absente de l'inventaire.",
    "Formats acceptés : ce classeur (.xlsx) ou un CSV (UTF-8 ou Windows-1252, séparateur « ; », « , » "
    f"ou tabulation), {MAX_IMPORT_BYTES // 1024 // 1024} Mo au plus.",
)
_WIDTHS = {"id": 10, "nom": 34, "commune": 24, "statut": 24, "statut_date": 18, "logements": 12, "source": 48}


def template_xlsx(values: Mapping[str, CiteValues], cites: pd.DataFrame, *, version: int) -> bytes:
    """The update template as an Excel workbook, with a status list and an « Aide » sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    rows = list(_template_rows(values, cites, version))
    _fill_data_sheet(sheet, rows)
    _add_validations(sheet, last=len(rows) + 1)
    _fill_help_sheet(book.create_sheet(HELP_SHEET))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill_data_sheet(sheet: Worksheet, rows: list[list[object]]) -> None:
    """The header in bold, then one line per cité; text columns kept as text, locked ones greyed."""
    from openpyxl.styles import Font, PatternFill

    sheet.append(list(TEMPLATE_COLUMNS))
    locked = PatternFill("solid", start_color="EEEEEE")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line, row in enumerate(rows, start=2):
        for pos, (column, value) in enumerate(zip(TEMPLATE_COLUMNS, row, strict=True), start=1):
            cell = sheet.cell(row=line, column=pos, value=neutralise_formula(value))
            if column in _TEXT_COLUMNS:
                cell.number_format = "@"
            if column in _LOCKED_COLUMNS:
                cell.fill = locked


def _add_validations(sheet: Worksheet, *, last: int) -> None:
    """The status list and the whole-number check on lines 2 to ``last``; widths, frozen header, filter."""
    from openpyxl.worksheet.datavalidation import DataValidation

    letters = {column: column_letter(pos) for pos, column in enumerate(TEMPLATE_COLUMNS)}
    statut = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False)
    statut.error, statut.errorTitle = "Choisissez un statut dans la liste.", "Statut inconnu"
    statut.showErrorMessage = True
    statut.add(f"{letters['statut']}2:{letters['statut']}{last}")
    count = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    count.error, count.errorTitle = "Un nombre entier positif ou nul, ou une case vide.", "Nombre de logements"
    count.showErrorMessage = True
    count.add(f"{letters['logements']}2:{letters['logements']}{last}")
    sheet.add_data_validation(statut)
    sheet.add_data_validation(count)
    for column, letter in letters.items():
        sheet.column_dimensions[letter].width = _WIDTHS.get(column, max(len(column) + 4, 12))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{letters['version_base']}{last}"


def _fill_help_sheet(sheet: Worksheet) -> None:
    """What each column holds, what each status means, and the import's rules."""
    from openpyxl.styles import Alignment, Font

    sheet.append(["Colonne", "Obligatoire", "Contenu"])
    for column in TEMPLATE_COLUMNS:
        sheet.append([column, *_HELP_COLUMNS[column]])
    sheet.append([])
    sheet.append(["Statut", "", "Signification"])
    for status in STATUSES:
        sheet.append([status, "", STATUS_LABELS[status]])
    sheet.append([])
    sheet.append(["Règles", "", ""])
    for rule in _HELP_RULES:
        sheet.append(["", "", rule])
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.value in _HELP_HEADINGS:
                cell.font = Font(bold=True)
    for letter, width in (("A", 24), ("B", 12), ("C", 90)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
