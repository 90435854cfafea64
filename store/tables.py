"""Reading an update file into lines of cells: encodings, separators, CSV and XLSX.

What a cell means is ``store.fields``' business; here a file becomes a :class:`Table` of numbered
lines (the spreadsheet's own numbers, header = 1), or is refused at once with :class:`Invalid` when
it cannot be a template of the cités (wrong format, unreadable, far too large).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import datetime

from core.text import fold
from store.fields import COLUMN_BY_KEY, Formula, Invalid, header_key, is_blank
from store.model import TEMPLATE_COLUMNS

# A 5 MB xlsx can inflate to gigabytes (zip bomb); a genuine 59-row workbook is a few hundred kB.
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
# Past this many lines the file cannot be an update of the inventory's cités; stops a sheet whose
# rows are spread out to a million from being walked.
MAX_LINES = 10_000
# The template has 8 columns; planners may add a few of their own. Past these, a file is refused at
# once instead of having every cell of a huge line or sheet checked.
MAX_COLUMNS = 50
MAX_LINE_CHARS = 20_000
# How far down a sheet its header is looked for when choosing the workbook's data sheet.
HEADER_SCAN_ROWS = 20
CSV_SEPARATORS = (";", "\t", ",")
SEPARATOR_NAMES = {";": "« ; »", "\t": "(tabulation)", ",": "« , »"}
DATA_SHEET = "Cités"
HELP_SHEET = "Aide"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """A file's lines as ``(line number, cells)``, with how its text was read."""

    records: list[tuple[int, list[object]]]
    encoding: str
    separator: str | None
    # A CSV line longer than its header usually means a separator inside an unquoted value.
    check_width: bool = False


def column_letter(pos: int) -> str:
    """A spreadsheet's name for the column at ``pos`` (0-based): A, B, …, Z, AA."""
    letters = ""
    pos += 1
    while pos:
        pos, rest = divmod(pos - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was read with (Excel FR writes cp1252 or UTF-8 BOM)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            # A UTF-8 mark before Windows-1252 text: some tools add the mark without re-encoding.
            data = data[3:]
            candidates = ["cp1252"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]  # Excel's « Texte Unicode »
    elif b"\x00" in data:
        candidates = []  # UTF-16 without its mark, or not text at all
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, encoding
    raise Invalid(
        "encodage du texte non reconnu (ni UTF-8, ni Windows-1252) : enregistrez le fichier "
        "en « CSV UTF-8 (délimité par des virgules) » ou utilisez le modèle XLSX."
    )


def _sniff_separator(text: str) -> str:
    """The separator of the header line: the most frequent of ; tab , outside quotes (; on ties)."""
    header, quoted = [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif not quoted:
            header.append(char)
    counts = {sep: header.count(sep) for sep in CSV_SEPARATORS}
    return max(CSV_SEPARATORS, key=lambda sep: counts[sep])


def _within_width(line: int, cells: list[object]) -> list[object]:
    """The line's cells, refused when values reach past ``MAX_COLUMNS``; trailing blanks are dropped."""
    if len(cells) <= MAX_COLUMNS:
        return cells
    if all(is_blank(c) for c in cells[MAX_COLUMNS:]):
        return cells[:MAX_COLUMNS]
    width = max(pos for pos, c in enumerate(cells) if not is_blank(c)) + 1
    raise Invalid(
        f"trop de colonnes à la ligne {line} ({width} ; {MAX_COLUMNS} au plus, le modèle en a "
        f"{len(TEMPLATE_COLUMNS)}) : ce n'est pas un modèle de cités."
    )


def _check_line_lengths(text: str) -> None:
    """Refuse a line too long for a template before the CSV reader splits it into cells."""
    for number, physical in enumerate(text.split("\n"), start=1):
        length = len(physical.rstrip("\r"))
        if length > MAX_LINE_CHARS:
            raise Invalid(
                f"ligne {number} trop longue ({length} caractères, {MAX_LINE_CHARS} au plus) : "
                "ce n'est pas un modèle de cités."
            )


def _csv_problem(err: csv.Error, line: int) -> Invalid:
    reason = str(err)
    if "unexpected end of data" in reason or "field larger than field limit" in reason:
        # Lines are short (MAX_LINE_CHARS), so an endless value runs over line breaks: it is quoted.
        return Invalid(
            f"guillemet non fermé à partir de la ligne {line} : tout ce qui suit serait lu comme une seule "
            'valeur. Fermez le guillemet (un guillemet dans une valeur s\'écrit deux fois : "").'
        )
    if "expected after" in reason:
        return Invalid(
            f"guillemet mal placé à la ligne {line} : une valeur entre guillemets doit être suivie du "
            'séparateur ou de la fin de la ligne (un guillemet dans une valeur s\'écrit deux fois : "").'
        )
    return Invalid(
        f"CSV illisible à la ligne {line} : enregistrez-le de nouveau depuis le tableur ou utilisez le modèle."
    )


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    _check_line_lengths(text)
    separator = _sniff_separator(text)
    records: list[tuple[int, list[object]]] = []
    # Strict: an unclosed quote is an error, not a value that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        for line, cells in enumerate(reader, start=1):
            if line > MAX_LINES:
                raise Invalid(f"trop de lignes (plus de {MAX_LINES}) : le fichier ne peut pas être un modèle de cités.")
            records.append((line, _within_width(line, list(cells))))
    except csv.Error as err:
        raise _csv_problem(err, len(records) + 1) from None
    return Table(records, encoding, separator, check_width=True)


def _xlsx_value(cell: object) -> object:
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or isinstance(value, ArrayFormula | DataTableFormula):
        text = value if isinstance(value, str) else getattr(value, "text", None) or "formule"
        return Formula(str(text))
    if isinstance(value, datetime):
        # A date shown as « nov.-19 » or « 2019 » is a month or a year, not the 1st of that month.
        shown = re.sub(r'\[[^\]]*\]|"[^"]*"', "", str(getattr(cell, "number_format", "")).lower())
        if "d" not in shown and "y" in shown and "h" not in shown:
            return f"{value:%Y-%m}" if "m" in shown else f"{value:%Y}"
    return value


def _header_columns(sheet: object) -> set[str | None]:
    """The known columns named by the sheet's first filled line (among its first rows)."""
    for cells in sheet.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS, values_only=True):  # type: ignore[attr-defined]
        if not all(is_blank(c) for c in cells):
            return {COLUMN_BY_KEY.get(header_key(c)) for c in cells}
    return set()


def _data_sheet(book: object) -> object:
    """The template's « Cités » sheet, else the first with an ``id`` column, else the first sheet."""
    sheets = list(book.worksheets)  # type: ignore[attr-defined]
    for sheet in sheets:
        # The recorded dimensions may claim a million rows; only the rows present are read.
        sheet.reset_dimensions()
    named = [sheet for sheet in sheets if fold(sheet.title) == fold(DATA_SHEET)]
    if named:
        return named[0]
    return next((sheet for sheet in sheets if "id" in _header_columns(sheet)), sheets[0])


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    unreadable = Invalid(
        "classeur Excel illisible (fichier abîmé, incomplet ou protégé) : enregistrez-le de nouveau "
        "au format .xlsx, ou utilisez le modèle CSV."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                raise Invalid(
                    "classeur OpenDocument (.ods) : dans LibreOffice, choisissez « Enregistrer sous » "
                    "au format .xlsx ou .csv."
                )
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                raise Invalid("classeur trop volumineux une fois décompressé : ce n'est pas un modèle de cités.")
    except zipfile.BadZipFile:
        raise unreadable from None
    records: list[tuple[int, list[object]]] = []
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it drops (slicers, styles): irrelevant to the values.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheet = _data_sheet(book)
            for line, cells in enumerate(sheet.iter_rows(), start=1):
                if line > MAX_LINES:
                    raise Invalid(f"trop de lignes (plus de {MAX_LINES}) : ce n'est pas un modèle de cités.")
                records.append((line, _within_width(line, [_xlsx_value(cell) for cell in cells])))
        finally:
            book.close()
    except Invalid:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises anything (KeyError, lxml, ValueError) on a broken file
        raise unreadable from None
    return Table(records, "xlsx", None)


def read_table(data: bytes, filename: str) -> Table:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(_OLE_MAGIC) or extension == "xls":
        raise Invalid(
            "ancien format Excel (.xls) ou classeur protégé par mot de passe : enregistrez-le au format "
            "« Classeur Excel (.xlsx) » sans mot de passe, ou en CSV."
        )
    if data.startswith(_ZIP_MAGIC) and extension in ("xlsx", "csv", "txt", "ods"):
        return _read_xlsx(data)
    if extension in ("xlsx", "ods"):
        return _read_xlsx(data)  # not a zip: reported as unreadable
    if extension in ("csv", "txt", "tsv"):
        return _read_csv(data)
    raise Invalid(
        f"type de fichier non pris en charge ({'.' + extension if extension else 'sans extension'}) : "
        "importez un fichier CSV (.csv) ou un classeur Excel (.xlsx), par exemple le modèle téléchargé."
    )
