"""Reading and checking planners' update files (store/parse.py), on real bytes built in each test."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from core.errors import Problem
from core.vocab import NON_RENSEIGNE, STATUSES, UNDATED
from store.checks import MAX_PROBLEMS
from store.errors import CELL_WORDS, SHEET_WORDS
from store.model import MAX_IMPORT_BYTES, TEMPLATE_COLUMNS, CiteValues
from store.parse import ParsedImport, read_import, rows_from_frame
from store.template import template_csv, template_xlsx

KNOWN = {"102", "208", "853", "10010"}
TODAY = date(2025, 6, 15)
HEADER = ["id", "nom", "commune", "statut", "statut_date", "logements", "source", "version_base"]


def csv_bytes(rows: list[list[object]], *, sep: str = ";", encoding: str = "utf-8-sig", eol: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator=eol).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], setup=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if setup:
        setup(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse(data: bytes, name: str = "maj.csv") -> ParsedImport:
    return read_import(data, name, known_ids=KNOWN, today=TODAY)


def line(**values: object) -> list[object]:
    row = {"id": "102", "nom": "Cité des Alouettes", "commune": "Bully-les-Mines", "statut": "études"}
    row |= {"statut_date": "2019-11-25", "logements": "139", "source": "", "version_base": "3"}
    row |= values
    return [row[c] for c in HEADER]


def one_problem(result: ParsedImport) -> Problem:
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def cell_value(column: str, value: object) -> ParsedImport:
    return parse(csv_bytes([HEADER, line(**{column: value})]))


# --- encodings and separators ---------------------------------------------------------------------


def test_utf8_bom_semicolon_file_is_read_and_normalised():
    data = csv_bytes([HEADER, line(), line(id="208", statut="livrée", statut_date="", logements="", source=" CA 3/5 ")])
    assert data.startswith(b"\xef\xbb\xbf")
    result = parse(data)
    assert result.ok, result.problems
    assert (result.encoding, result.separator, result.base_version) == ("utf-8-sig", ";", 3)
    assert result.rows == {
        "102": {"statut": "études", "statut_date": "2019-11-25", "logements": 139, "source": ""},
        "208": {"statut": "livrée", "statut_date": "", "logements": None, "source": "CA 3/5"},
    }


def test_latin1_file_from_excel_reads_the_accents():
    data = csv_bytes([["id", "statut", "logements"], ["102", "études", "12"]], encoding="cp1252")
    assert "é".encode("cp1252") in data and b"\xc3" not in data
    result = parse(data)
    assert result.ok, result.problems
    assert result.encoding == "cp1252"
    assert result.rows["102"]["statut"] == "études"


def test_utf8_without_bom_and_comma_separator_with_quoted_separator_inside():
    data = csv_bytes(
        [["id", "statut", "logements", "source"], ["102", "livrée", "1,0", "CR du 3/5, point 2"]],
        sep=",",
        encoding="utf-8",
    )
    assert b'"CR du 3/5, point 2"' in data
    result = parse(data)
    assert result.ok, result.problems
    assert (result.encoding, result.separator) == ("utf-8", ",")
    assert result.rows["102"] == {"statut": "livrée", "logements": 1, "source": "CR du 3/5, point 2"}


def test_excel_unicode_text_is_utf16_with_tabs():
    data = csv_bytes([["id", "statut", "logements"], ["853", "Études", "153"]], sep="\t", encoding="utf-16")
    result = parse(data, "maj.txt")
    assert result.ok, result.problems
    assert (result.encoding, result.separator) == ("utf-16", "\t")
    assert result.rows["853"] == {"statut": "études", "logements": 153}


def test_utf16_without_its_mark_is_refused_in_french():
    data = "id;statut;logements\r\n102;études;1\r\n".encode("utf-16-le")
    problem = one_problem(parse(data))
    assert (problem.line, problem.field) == (None, None)
    assert "encodage du texte non reconnu" in problem.message
    assert problem.describe(SHEET_WORDS).startswith("Fichier : encodage")


def test_bytes_that_are_neither_utf8_nor_cp1252_are_refused():
    data = b"id;statut;logements\r\n102;\x81\x8d;1\r\n"
    assert "encodage du texte non reconnu" in one_problem(parse(data)).message


def test_header_names_are_case_accent_and_space_tolerant_and_extra_columns_ignored():
    header = [" ID ", "Nom", "Statut", "Statut date", " logements ", "Remarque", "Version base"]
    data = csv_bytes([header, ["10010", "Rés. du Parc", "Travaux Logements", "2019", "118", "n'importe quoi", "3"]])
    result = parse(data)
    assert result.ok, result.problems
    assert result.rows == {"10010": {"statut": "travaux logements", "statut_date": "2019", "logements": 118}}
    assert result.base_version == 3


# --- file-level refusals --------------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused_before_reading():
    data = b"id;statut;logements\r\n" + b"x" * (MAX_IMPORT_BYTES + 1 - 21)
    assert len(data) == MAX_IMPORT_BYTES + 1
    problem = one_problem(parse(data))
    assert problem.line is None and "fichier trop volumineux (5,0 Mo, 5 Mo au plus)" in problem.message
    assert parse(data).rows == {}


def test_empty_file_and_header_only_file():
    assert "le fichier est vide" in one_problem(parse(b"")).message
    assert "le fichier est vide" in one_problem(parse(b"\xef\xbb\xbf\r\n")).message
    header_only = csv_bytes([HEADER, [""] * len(HEADER), [""] * len(HEADER)])
    problem = one_problem(parse(header_only))
    assert (problem.line, problem.field) == (None, None)
    assert "aucune ligne de données" in problem.message


def test_old_excel_format_is_refused_with_a_suggestion():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    for data, name in ((ole, "maj.xls"), (ole, "maj.xlsx"), (b"<html>id;statut</html>", "maj.xls")):
        problem = one_problem(parse(data, name))
        assert "ancien format Excel (.xls)" in problem.message
        assert ".xlsx" in problem.message and "CSV" in problem.message


def test_other_file_types_are_refused():
    for name in ("maj.pdf", "maj", "maj.xlsm"):
        message = one_problem(parse(b"%PDF-1.4 whatever", name)).message
        assert message.startswith("type de fichier non pris en charge")
        assert "CSV (.csv)" in message and "(.xlsx)" in message


def test_corrupt_xlsx_gives_a_french_message_and_no_trace():
    good = xlsx_bytes([["id", "statut", "logements"], ["102", "études", 1]])
    for data in (good[: len(good) // 2], b"PK\x03\x04" + b"garbage" * 50, b"id;statut;logements\r\n"):
        problem = one_problem(parse(data, "maj.xlsx"))
        assert problem.message.startswith("classeur Excel illisible")
        assert "Traceback" not in problem.message and "Error" not in problem.message


def test_a_zip_that_inflates_far_beyond_a_template_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < MAX_IMPORT_BYTES
    assert "trop volumineux une fois décompressé" in one_problem(parse(data, "maj.xlsx")).message


def test_opendocument_spreadsheet_is_refused_with_a_suggestion():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument (.ods)" in one_problem(parse(buffer.getvalue(), "maj.ods")).message


def test_missing_required_column_is_named_and_rows_are_not_checked():
    data = csv_bytes([["id", "nom", "statut"], ["999", "x", "en cours"]])
    result = parse(data)
    problem = one_problem(result)
    assert (problem.line, problem.field) == (None, "logements")
    assert "colonne obligatoire absente (colonnes lues : id, nom, statut)" in problem.message
    assert problem.describe(SHEET_WORDS).startswith("Colonne « logements » : colonne obligatoire absente")
    assert not result.ok


def test_a_column_given_twice_is_refused():
    data = csv_bytes([["id", "statut", "logements", "Logements"], ["102", "études", "1", "2"]])
    problem = one_problem(parse(data))
    assert (problem.line, problem.field) == (1, "logements")
    assert "colonne en double (colonnes C et D)" in problem.message


# --- row checks -----------------------------------------------------------------------------------


def test_every_row_problem_is_reported_with_its_line_and_column():
    data = csv_bytes(
        [
            HEADER,
            line(),  # line 2
            line(id="999"),  # line 3
            line(id="208", statut="en cours"),  # line 4
            line(id="102"),  # line 5: duplicate of line 2
            line(id="853", statut_date="2023-02-30"),  # line 6
            line(id="10010", logements="-5"),  # line 7
            line(id="102", logements="beaucoup"),  # line 8: duplicate again, and not a number
        ]
    )
    result = parse(data)
    found = [(p.line, p.field) for p in result.problems]
    assert found == [
        (3, "id"),
        (4, "statut"),
        (5, "id"),
        (6, "statut_date"),
        (7, "logements"),
        (8, "id"),
        (8, "logements"),
    ]
    by_place = {(p.line, p.field): p for p in result.problems}
    assert "cité inconnue « 999 »" in by_place[3, "id"].message
    assert by_place[4, "statut"].describe(SHEET_WORDS) == (
        "Ligne 4, colonne « statut » : statut inconnu « en cours » (valeurs admises : non renseigné, études, "
        "travaux logements, travaux espaces publics, livrée)."
    )
    assert "cité « 102 » en double (déjà à la ligne 2)" in by_place[5, "id"].message
    assert "cité « 102 » en double (déjà à la ligne 2)" in by_place[8, "id"].message
    assert by_place[5, "id"].ref == "102"
    assert "date impossible « 2023-02-30 »" in by_place[6, "statut_date"].message
    assert "nombre négatif « -5 »" in by_place[7, "logements"].message
    assert "« beaucoup » n'est pas un nombre" in by_place[8, "logements"].message
    assert not result.ok
    assert result.rows["102"]["logements"] == 139  # the first line of a duplicated id is the one kept


def test_statut_is_matched_without_case_or_accents_and_an_empty_one_is_refused():
    assert cell_value("statut", "LIVREE").rows["102"]["statut"] == "livrée"
    assert cell_value("statut", " Travaux  espaces publics ").rows["102"]["statut"] == "travaux espaces publics"
    assert cell_value("statut", "Non renseigne").rows["102"]["statut"] == NON_RENSEIGNE
    problem = one_problem(cell_value("statut", ""))
    assert (problem.line, problem.field) == (2, "statut")
    assert "statut manquant : écrivez « non renseigné »" in problem.message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("", ""),
        ("source non datée", UNDATED),
        ("Source non datee", UNDATED),
        ("2017", "2017"),
        ("2019-11", "2019-11"),
        ("2019-3", "2019-03"),
        ("2019-11-25", "2019-11-25"),
        ("25/11/2019", "2019-11-25"),
        ("5/3/2020", "2020-03-05"),
        ("11/2019", "2019-11"),
        ("nov.-19", "2019-11"),
        ("novembre 2019", "2019-11"),
        ("2019-11-25 00:00:00", "2019-11-25"),
        ("2025", "2025"),
        ("2025-06", "2025-06"),
        ("2025-06-15", "2025-06-15"),
    ],
)
def test_status_dates_are_normalised_to_iso(typed, stored):
    result = cell_value("statut_date", typed)
    assert result.ok, result.problems
    assert result.rows["102"]["statut_date"] == stored


@pytest.mark.parametrize(
    ("column", "typed", "expected"),
    [
        ("statut_date", "2023-02-30", "date impossible « 2023-02-30 » : ce jour n'existe pas"),
        ("statut_date", "30/02/2023", "date impossible « 30/02/2023 » : ce jour n'existe pas"),
        ("statut_date", "2023-13", "date impossible « 2023-13 » : il n'y a pas de mois 13"),
        ("statut_date", "2023-13-01", "il n'y a pas de mois 13"),
        ("statut_date", "bientôt", "date illisible « bientôt » (formats admis : AAAA, AAAA-MM"),
        ("statut_date", "2019/11/25/1", "date illisible"),
        ("statut_date", "2031-01-01", "date « 2031-01-01 » dans le futur (après le 15/06/2025)"),
        ("statut_date", "2025-06-16", "dans le futur"),
        ("statut_date", "2025-07", "dans le futur"),
        ("statut_date", "2026", "dans le futur"),
        ("statut_date", "2016-12-31", "date « 2016-12-31 » antérieure au début du programme ERBM (2017)"),
        ("statut_date", "2016", "antérieure au début du programme"),
        ("statut_date", "0000-05", "antérieure au début du programme"),
        ("logements", "-5", "nombre négatif « -5 » : un nombre de logements est positif ou nul"),
        ("logements", "12.5", "nombre non entier « 12.5 »"),
        ("logements", "12,5", "nombre non entier « 12,5 »"),
        ("logements", "beaucoup", "« beaucoup » n'est pas un nombre (un nombre de logements entier"),
        ("logements", "1e3", "n'est pas un nombre"),
        ("logements", "5000000", "nombre invraisemblable « 5000000 »"),
        # Digits of other scripts, which Python alone would read as numbers (issue #18).
        ("logements", "١٢٣", "chiffres d'une autre écriture dans « ١٢٣ » (١٢٣) : tapez les chiffres 0 à 9."),
        ("logements", "1\u0662", "chiffres d'une autre écriture"),
        ("statut_date", "۲۰۱۹", "chiffres d'une autre écriture dans « ۲۰۱۹ »"),
        ("statut_date", "2019-1\u0661", "chiffres d'une autre écriture"),
    ],
)
def test_bad_values_are_refused_at_their_line_and_column(column, typed, expected):
    """Impossible, out-of-programme or unreadable dates; negative, fractional or implausible counts."""
    problem = one_problem(cell_value(column, typed))
    assert (problem.line, problem.field) == (2, column)
    assert expected in problem.message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("", None), ("0", 0), ("1200", 1200), ("1 200", 1200), ("1\u202f200", 1200), ("1\u00a0200", 1200)]
    + [("120.0", 120), ("120,0", 120), (" 42 ", 42)],
)
def test_housing_counts_are_read_as_integers(typed, stored):
    result = cell_value("logements", typed)
    assert result.ok, result.problems
    assert result.rows["102"]["logements"] == stored


@pytest.mark.parametrize(
    ("column", "typed"),
    [("statut", "=A1"), ("logements", "+12"), ("source", "@SUM(1)"), ("source", "-cmd|' /C calc'!A0"), ("nom", "=1+1")],
)
def test_formulas_are_refused_in_any_column(column, typed):
    problem = one_problem(cell_value(column, typed))
    assert (problem.line, problem.field) == (2, column)
    assert problem.message.startswith(f"formule refusée « {typed} » : les formules ne sont pas calculées")


def test_formula_in_an_unnamed_column_is_named_by_its_letter():
    data = csv_bytes([["id", "statut", "logements", ""], ["102", "études", "1", '=HYPERLINK("x")']])
    problem = one_problem(parse(data))
    assert (problem.line, problem.field) == (2, "D")


def test_text_marked_with_an_apostrophe_is_text_not_a_formula():
    result = cell_value("source", "'=réunion du 3/5")
    assert result.ok, result.problems
    assert result.rows["102"]["source"] == "=réunion du 3/5"


def test_source_rules():
    assert cell_value("source", "CR\nréunion\r\ndu 3/5").rows["102"]["source"] == "CR réunion du 3/5"
    long = one_problem(cell_value("source", "x" * 501))
    assert (long.field, long.message) == ("source", "texte trop long (501 caractères, 500 au plus).")
    assert cell_value("source", "x" * 500).ok
    control = one_problem(cell_value("source", "abc\x07def"))
    assert "caractère de contrôle refusé (U+0007)" in control.message
    assert "U+202E" in one_problem(cell_value("source", "abc\u202edef")).message


def test_version_base_must_be_one_positive_integer_for_the_whole_file():
    good = parse(csv_bytes([HEADER, line(version_base="7.0"), line(id="208", version_base="7")]))
    assert good.ok and good.base_version == 7
    mixed = parse(csv_bytes([HEADER, line(version_base="7"), line(id="208", version_base="8")]))
    problem = one_problem(mixed)
    assert (problem.line, problem.field) == (3, "version_base")
    assert "version de base 8 différente de celle de la ligne 2 (7)" in problem.message
    assert "version de base impossible « 0 »" in one_problem(cell_value("version_base", "0")).message
    assert "n'est pas un nombre" in one_problem(cell_value("version_base", "v3")).message
    no_column = parse(csv_bytes([["id", "statut", "logements"], ["102", "études", "1"]]))
    assert no_column.ok and no_column.base_version is None


def test_blank_lines_are_ignored_but_a_filled_line_needs_an_id():
    data = csv_bytes([HEADER, line(), [""] * 8, line(id="", nom="", commune=""), [""] * 8, ["  "] * 8])
    problem = one_problem(parse(data))
    assert (problem.line, problem.field) == (4, "id")
    assert "identifiant de cité manquant" in problem.message


def test_a_line_longer_than_its_header_is_reported():
    data = b"id,statut,logements,source\r\n102,\xc3\xa9tudes,12,CR du 3/5, point 2\r\n"
    problem = one_problem(parse(data))
    assert (problem.line, problem.field) == (2, None)
    assert problem.describe(SHEET_WORDS) == (
        "Ligne 2 : 5 valeurs pour 4 colonnes : une valeur contenant le séparateur « , » doit être entre guillemets."
    )
    assert parse(data).lines() == [problem.describe(SHEET_WORDS)]


def test_problems_are_capped_with_a_final_count():
    rows = [["id", "statut", "logements"]] + [[str(90000 + n), "études", "1"] for n in range(300)]
    result = parse(csv_bytes(rows))
    assert len(result.problems) == MAX_PROBLEMS + 1
    assert result.problems[0].line == 2
    assert result.problems[-1].describe(SHEET_WORDS) == "Fichier : … et 100 autres problèmes."


def test_problem_text_forms():
    assert Problem("x.", 4, "statut").describe(SHEET_WORDS) == "Ligne 4, colonne « statut » : x."
    assert Problem("x.", 4).describe(SHEET_WORDS) == "Ligne 4 : x."
    assert Problem("x.", field="logements").describe(SHEET_WORDS) == "Colonne « logements » : x."
    assert Problem("x.").describe(SHEET_WORDS) == "Fichier : x."
    assert Problem("x.", 3, file="maj.csv").describe(SHEET_WORDS) == "maj.csv, ligne 3 : x."  # a name stays as it is
    # The store names a cell by its cité where a table has no lines; a line, when known, takes its place.
    assert Problem("x.", field="statut", ref="102 (Cité des Alouettes)").describe(CELL_WORDS) == (
        "cité 102 (Cité des Alouettes), champ « statut » : x."
    )
    assert Problem("x.", 4, "statut", ref="102").describe(SHEET_WORDS) == "Ligne 4, colonne « statut » : x."


# --- xlsx -----------------------------------------------------------------------------------------


def test_xlsx_cells_are_read_typed_and_formulas_are_refused_not_evaluated():
    def setup(sheet):
        sheet["C3"].number_format = "mmm-yy"  # what Excel FR makes of a typed « 2019-11 »

    rows = [
        ["id", "statut", "statut_date", "logements", "source"],
        [102, "Études", datetime(2019, 11, 25), 139.0, None],
        [208.0, "livrée", datetime(2019, 11, 1), None, "CR"],
        ["853", "études", 2018, "=100+53", None],
        ["10010", "=A2", date(2031, 1, 1), 12.5, "ok"],
    ]
    book = xlsx_bytes(rows, setup=setup)
    result = parse(book, "maj.xlsx")
    assert (result.encoding, result.separator) == ("xlsx", None)
    assert [(p.line, p.field) for p in result.problems] == [
        (4, "logements"),
        (5, "statut"),
        (5, "statut_date"),
        (5, "logements"),
    ]
    assert result.problems[0].message.startswith("formule refusée « =100+53 »")
    assert result.problems[1].message.startswith("formule refusée « =A2 »")
    assert "dans le futur" in result.problems[2].message
    assert "nombre non entier « 12.5 »" in result.problems[3].message
    assert result.rows["102"] == {"statut": "études", "statut_date": "2019-11-25", "logements": 139, "source": ""}
    assert result.rows["208"] == {"statut": "livrée", "statut_date": "2019-11", "logements": None, "source": "CR"}
    assert result.rows["853"] == {"statut": "études", "statut_date": "2018", "source": ""}


def test_xlsx_array_formula_and_text_formula_are_refused():
    from openpyxl.worksheet.formula import ArrayFormula

    def setup(sheet):
        sheet["C2"] = ArrayFormula("C2", "=SUM(1)")

    data = xlsx_bytes([["id", "statut", "logements"], ["102", "études", None]], setup=setup)
    problem = one_problem(parse(data, "maj.xlsx"))
    assert (problem.line, problem.field) == (2, "logements")
    assert problem.message.startswith("formule refusée")


def test_xlsx_reads_only_the_first_sheet_and_ignores_trailing_blank_rows():
    def setup(sheet):
        sheet.cell(row=40, column=1).number_format = "@"  # a formatted but empty cell far below
        other = sheet.parent.create_sheet("Aide")
        other.append(["=1+1"])

    data = xlsx_bytes([["ID", "Statut", "Logements"], ["102", "livrée", 5]], setup=setup)
    result = parse(data, "maj.xlsx")
    assert result.ok, result.problems
    assert result.rows == {"102": {"statut": "livrée", "logements": 5}}


# --- table edited in the app ----------------------------------------------------------------------


def test_rows_from_frame_checks_typed_values():
    frame = pd.DataFrame(
        {
            "id": ["102", "208", "853"],
            "statut": ["études", "livrée", "en cours"],
            "statut_date": [date(2019, 11, 25), None, "2031"],
            "logements": [139, float("nan"), -5],
            "source": [None, "CR", ""],
        }
    )
    result = rows_from_frame(frame, known_ids=KNOWN, today=TODAY)
    assert result.rows["102"] == {"statut": "études", "statut_date": "2019-11-25", "logements": 139, "source": ""}
    assert result.rows["208"] == {"statut": "livrée", "statut_date": "", "logements": None, "source": "CR"}
    assert [(p.line, p.field, p.ref) for p in result.problems] == [
        (3, "statut", "853"),
        (3, "statut_date", "853"),
        (3, "logements", "853"),
    ]
    assert result.encoding == "table"


def test_rows_from_frame_with_nullable_dtypes_ids_as_index_and_numbering():
    frame = pd.DataFrame(
        {"statut": ["études", "livrée"], "logements": pd.array([12, None], dtype="Int64")},
        index=pd.Index(["102", "999"], name="id"),
    )
    result = rows_from_frame(frame, known_ids=KNOWN, today=TODAY, first_row=2)
    assert result.rows == {"102": {"statut": "études", "logements": 12}}
    problem = one_problem(result)
    assert (problem.line, problem.field) == (3, "id")


# --- templates ------------------------------------------------------------------------------------


def real_values(cites: pd.DataFrame) -> dict[str, CiteValues]:
    try:
        from store import build_values  # the store's own seeding, once it exists
    except ImportError:
        build_values = None
    if build_values is not None:
        return dict(build_values(cites))
    return {
        str(r.id): CiteValues(
            statut=r.statut,
            statut_date=r.statut_date or "",
            logements=None if pd.isna(r.logements) else int(r.logements),
            statut_source=r.statut_source or "",
            logements_source=r.logements_source or "",
        )
        for r in cites.itertuples()
    }


def editable(values: dict[str, CiteValues]) -> dict[str, dict[str, object]]:
    return {
        k: {"statut": v.statut, "statut_date": v.statut_date, "logements": v.logements, "source": v.source}
        for k, v in values.items()
    }


@pytest.fixture(scope="module")
def real(territory):
    cites = territory.cites
    return cites, real_values(cites), set(cites["id"])


def test_csv_template_round_trips_the_real_values(real):
    cites, values, known = real
    assert {v.statut_date for v in values.values()} >= {UNDATED, "2018", "2019-11-25", ""}
    data = template_csv(values, cites, version=4)
    assert data.startswith(b"\xef\xbb\xbf" + ";".join(TEMPLATE_COLUMNS).encode() + b"\r\n")
    result = read_import(data, "modele.csv", known_ids=known)
    assert result.ok, result.problems
    assert (result.encoding, result.separator, result.base_version) == ("utf-8-sig", ";", 4)
    assert list(result.rows) == list(cites["id"])
    assert result.rows == editable(values)


def test_xlsx_template_round_trips_the_real_values(real):
    cites, values, known = real
    result = read_import(template_xlsx(values, cites, version=4), "modele.xlsx", known_ids=known)
    assert result.ok, result.problems
    assert result.base_version == 4
    assert result.rows == editable(values)


def test_templates_neutralise_formulas_and_still_round_trip():
    cites = pd.DataFrame({"id": ["102", "208"], "nom": ["=cmd|' /C calc'!A0", "Cité n°4"], "commune": ["Lens", "@x"]})
    values = {
        "102": CiteValues("études", "2019", 10, source='=HYPERLINK("http://x")'),
        "208": CiteValues("livrée", UNDATED, None, source="- réunion du 3/5"),
    }
    data = template_csv(values, cites, version=1)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "'=cmd|' /C calc'!A0" and rows[1][6] == '\'=HYPERLINK("http://x")'
    assert rows[2][2] == "'@x" and rows[2][6] == "'- réunion du 3/5"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    for made, name in ((data, "m.csv"), (template_xlsx(values, cites, version=1), "m.xlsx")):
        result = read_import(made, name, known_ids=KNOWN, today=TODAY)
        assert result.ok, result.problems
        assert result.rows["102"]["source"] == '=HYPERLINK("http://x")'
        assert result.rows["208"] == {
            "statut": "livrée",
            "statut_date": UNDATED,
            "logements": None,
            "source": "- réunion du 3/5",
        }
    book = load_workbook(io.BytesIO(template_xlsx(values, cites, version=1)))
    assert all(c.data_type != "f" for row in book["Cités"].iter_rows() for c in row)


def test_a_cite_without_values_gets_non_renseigne_in_the_template():
    cites = pd.DataFrame({"id": ["102"], "nom": ["A"], "commune": ["B"]})
    rows = list(csv.reader(io.StringIO(template_csv({}, cites, version=2).decode("utf-8-sig")), delimiter=";"))
    assert rows == [list(TEMPLATE_COLUMNS), ["102", "A", "B", NON_RENSEIGNE, "", "", "", "2"]]


def test_xlsx_template_layout(real):
    cites, values, _ = real
    book = load_workbook(io.BytesIO(template_xlsx(values, cites, version=4)))
    assert book.sheetnames == ["Cités", "Aide"]
    sheet = book["Cités"]
    assert [c.value for c in sheet[1]] == list(TEMPLATE_COLUMNS)
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == len(cites) + 1
    ids = [sheet.cell(row=r, column=1) for r in range(2, sheet.max_row + 1)]
    assert [c.value for c in ids] == list(cites["id"])
    assert all(c.data_type == "s" and c.number_format == "@" for c in ids)
    assert sheet["E2"].number_format == "@"  # statut_date stays text when typed into
    assert sheet.column_dimensions["B"].width >= 30
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"' + ",".join(STATUSES) + '"'
    assert str(lists[0].sqref) == f"D2:D{len(cites) + 1}"
    row_102 = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "102")
    assert row_102[3] == values["102"].statut and row_102[5] == values["102"].logements and row_102[7] == 4
    aide = [c.value for row in book["Aide"].iter_rows() for c in row if c.value]
    assert set(TEMPLATE_COLUMNS) <= set(aide) and set(STATUSES) <= set(aide)
    assert any("tout ou rien" in str(v) for v in aide)


# --- review fixes ---------------------------------------------------------------------------------


def test_an_unclosed_quote_refuses_the_file_instead_of_swallowing_the_next_lines():
    data = (
        '\ufeffid;statut;logements;source\r\n102;études;12;"CR du 3/5\r\n208;livrée;5;ok\r\n853;études;7;\r\n'
    ).encode()
    result = parse(data)
    assert not result.ok and result.rows == {}
    problem = one_problem(result)
    assert (problem.line, problem.field) == (None, None)
    assert problem.message.startswith("guillemet non fermé à partir de la ligne 2 :")
    # A quoted value with a line break (Alt+Entrée) and doubled quotes is still read.
    good = parse('id;statut;logements;source\r\n102;études;12;"CR ""bis""\r\ndu 3/5"\r\n208;livrée;5;ok\r\n'.encode())
    assert good.ok, good.problems
    assert good.rows["102"]["source"] == 'CR "bis" du 3/5' and good.rows["208"]["logements"] == 5


def test_an_unclosed_quote_over_a_long_file_is_named_too():
    rows = "".join(f"{90000 + n};études;1;{'x' * 400}\r\n" for n in range(400))
    data = f'id;statut;logements;source\r\n102;études;1;"début\r\n{rows}'.encode()
    assert "guillemet non fermé à partir de la ligne 2" in one_problem(parse(data)).message


def test_a_quote_followed_by_text_is_refused():
    data = 'id;statut;logements;source\r\n102;études;12;"CR" du 3/5\r\n'.encode()
    problem = one_problem(parse(data))
    assert problem.message.startswith("guillemet mal placé à la ligne 2 :")


@pytest.mark.parametrize("typed", ["99999999999999999999", "2147483648", "-3"])
def test_version_base_beyond_a_database_integer_is_refused(typed):
    problem = one_problem(cell_value("version_base", typed))
    assert (problem.line, problem.field, problem.ref) == (2, "version_base", "102")
    assert problem.message.startswith(f"version de base impossible « {typed} »")


def test_the_largest_version_base_is_accepted():
    assert cell_value("version_base", "2147483647").base_version == 2**31 - 1


def test_formula_problems_name_their_cite():
    data = csv_bytes([HEADER, line(id="208", logements="=1+1"), line(id="=A1", nom="x")])
    result = parse(data)
    assert [(p.line, p.field, p.ref) for p in result.problems] == [(2, "logements", "208"), (3, "id", None)]
    width = parse(b"id,statut,logements\r\n102,\xc3\xa9tudes,12,en trop\r\n")
    assert one_problem(width).ref == "102"


def test_xlsx_reads_the_cites_sheet_wherever_it_is():
    book = Workbook()
    book.active.title = "Aide"
    book.active.append(["Colonne", "Contenu"])
    book.active.append(["id", "=1+1"])
    data_sheet = book.create_sheet("Cités")
    data_sheet.append(["id", "statut", "logements"])
    data_sheet.append(["102", "livrée", 5])
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse(buffer.getvalue(), "maj.xlsx")
    assert result.ok, result.problems
    assert result.rows == {"102": {"statut": "livrée", "logements": 5}}


def test_xlsx_without_a_cites_sheet_reads_the_first_sheet_with_an_id_column():
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["à faire", "=A1"])
    for name, count in (("Feuil2", 7), ("Feuil3", 9)):
        sheet = book.create_sheet(name)
        sheet.append([None])
        sheet.append(["Identifiant", "Statut", "Logements"])
        sheet.append(["208", "livrée", count])
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse(buffer.getvalue(), "maj.xlsx")
    assert result.ok, result.problems
    assert result.rows == {"208": {"statut": "livrée", "logements": 7}}
    # Without any sheet naming an id column, the first sheet is read (and its problems reported).
    lone = xlsx_bytes([["statut", "logements"], ["livrée", 1]])
    assert "colonne obligatoire absente" in parse(lone, "maj.xlsx").problems[0].message


def test_a_utf8_mark_before_windows_1252_text_is_read_as_windows_1252():
    data = b"\xef\xbb\xbf" + "id;statut;logements;source\r\n102;études;12;réunion à Lens\r\n".encode("cp1252")
    result = parse(data)
    assert result.ok, result.problems
    assert result.encoding == "cp1252"
    assert result.rows["102"] == {"statut": "études", "logements": 12, "source": "réunion à Lens"}


def test_today_is_the_date_in_paris(monkeypatch):
    import store.parse as parse_module

    instant = datetime(2025, 6, 30, 22, 30, tzinfo=parse_module.PARIS).astimezone(ZoneInfo("UTC"))
    instant = instant + timedelta(hours=2)  # 2025-07-01 00:30 in Paris, still 30 June 22:30 in UTC

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz is not None else instant.replace(tzinfo=None)

        @classmethod
        def today(cls):
            return instant.replace(tzinfo=None)

    class Day(date):
        @classmethod
        def today(cls):
            return date(2025, 6, 30)  # the server's own clock, in UTC

    monkeypatch.setattr(parse_module, "datetime", Clock)
    monkeypatch.setattr(parse_module, "date", Day)
    assert parse_module.paris_today() == date(2025, 7, 1)
    data = csv_bytes([["id", "statut", "statut_date", "logements"], ["102", "livrée", "2025-07-01", "1"]])
    result = read_import(data, "maj.csv", known_ids=KNOWN)
    assert result.ok, result.problems
    assert result.rows["102"]["statut_date"] == "2025-07-01"
    ahead = read_import(
        csv_bytes([["id", "statut", "statut_date", "logements"], ["102", "livrée", "2025-07-02", "1"]]),
        "maj.csv",
        known_ids=KNOWN,
    )
    assert "dans le futur (après le 01/07/2025)" in one_problem(ahead).message


def test_a_five_megabyte_line_of_separators_is_refused_at_once():
    data = b"id;statut;logements\r\n" + b";" * (MAX_IMPORT_BYTES - 40) + b"\r\n"
    started = time.perf_counter()
    problem = one_problem(parse(data))
    assert time.perf_counter() - started < 1.5
    assert problem.message.startswith(f"ligne 2 trop longue ({MAX_IMPORT_BYTES - 40} caractères, 20000 au plus)")


def test_too_many_columns_are_refused_at_once_but_trailing_blank_ones_are_dropped():
    wide = [["id", "statut", "logements", *(f"c{n}" for n in range(800))]]
    wide += [["102", "livrée", 5, *(["x"] * 800)] for _ in range(60)]
    book = xlsx_bytes(wide)
    started = time.perf_counter()
    problem = one_problem(parse(book, "maj.xlsx"))
    assert time.perf_counter() - started < 1.5
    assert problem.message == (
        "trop de colonnes à la ligne 1 (803 ; 50 au plus, le modèle en a 8) : ce n'est pas un modèle de cités."
    )
    assert (
        "trop de colonnes à la ligne 2 (51 ;"
        in one_problem(
            parse(csv_bytes([["id", "statut", "logements"], ["102", "livrée", "1", *([""] * 47), "x"]]))
        ).message
    )
    trailing = parse(csv_bytes([["id", "statut", "logements", *([""] * 200)], ["102", "livrée", "1", *([""] * 200)]]))
    assert trailing.ok, trailing.problems
    assert trailing.rows == {"102": {"statut": "livrée", "logements": 1}}


def test_clean_free_text_for_notes_and_authors():
    from store.errors import InvalidChange
    from store.fields import clean_free_text

    assert clean_free_text("  comité\ndu  12\tjuin ", what="Note", limit=500) == "comité du 12 juin"
    for bad, code in (("a\x1b[31mb", "U+001B"), ("abc\u202edef", "U+202E"), ("x\x00", "U+0000")):
        with pytest.raises(InvalidChange, match=re.escape(f"Note : caractère de contrôle refusé ({code}).")):
            clean_free_text(bad, what="Note", limit=500)
    with pytest.raises(InvalidChange, match=r"Auteur : texte trop long \(101 caractères, 100 au plus\)"):
        clean_free_text("a" * 101, what="Auteur", limit=100)
