"""Reading, checking and normalising a planner's update file (CSV or XLSX), and writing its templates.

Nothing here touches the database or Streamlit. An import is all or nothing: every problem of the
file is collected (with its spreadsheet line and column, in French) and the caller writes
``ParsedImport.rows`` only when ``ParsedImport.ok``. Nothing typed in a cell is ever evaluated.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from core.text import FORMULA_PREFIXES, fold, format_int, neutralise_formula
from core.vocab import NON_RENSEIGNE, STATUS_LABELS, STATUSES, UNDATED
from store.errors import InvalidChange
from store.model import (
    EDITABLE_FIELDS,
    MAX_IMPORT_BYTES,
    MAX_VERSION,
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
    CiteValues,
)

MAX_PROBLEMS = 200
MAX_SOURCE_CHARS = 500
# The whole programme aims at 23 000 dwellings: a larger count for one cité is a typing slip, and
# an unbounded integer would overflow the database column.
MAX_LOGEMENTS = 100_000
PROGRAMME_START = date(2017, 1, 1)
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
PARIS = ZoneInfo("Europe/Paris")
CSV_SEPARATORS = (";", "\t", ",")
_SEPARATOR_NAMES = {";": "« ; »", "\t": "(tabulation)", ",": "« , »"}
DATA_SHEET = "Cités"
HELP_SHEET = "Aide"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009']")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DATE_FORMATS = "AAAA, AAAA-MM, AAAA-MM-JJ, JJ/MM/AAAA, vide, ou « source non datée »"
_FRENCH_MONTHS = {
    "janv": 1, "jan": 1, "janvier": 1, "fevr": 2, "fev": 2, "fevrier": 2, "feb": 2, "mars": 3, "mar": 3,
    "avr": 4, "avril": 4, "apr": 4, "mai": 5, "may": 5, "juin": 6, "jun": 6, "juil": 7, "juillet": 7,
    "jul": 7, "aout": 8, "aug": 8, "sept": 9, "sep": 9, "septembre": 9, "oct": 10, "octobre": 10,
    "nov": 11, "novembre": 11, "dec": 12, "decembre": 12,
}  # fmt: skip
# Other names planners give the columns; keys as produced by ``_header_key``.
_COLUMN_ALIASES = {
    "identifiant": "id",
    "idcite": "id",
    "date": "statut_date",
    "datestatut": "statut_date",
    "datedustatut": "statut_date",
    "nombredelogements": "logements",
    "nblogements": "logements",
    "version": "version_base",
    "versiondebase": "version_base",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import. ``row`` is the spreadsheet line (header = line 1).

    ``cite_id`` names the cité the line is about when it is known, for a table with no line numbers.
    """

    row: int | None
    column: str | None
    message: str
    cite_id: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column is not None:
            where = f"Ligne {self.row}, colonne « {self.column} »"
        elif self.row is not None:
            where = f"Ligne {self.row}"
        elif self.column is not None:
            where = f"Colonne « {self.column} »"
        else:
            where = "Fichier"
        return f"{where} : {self.message}"


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


class _Invalid(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Formula:
    """An xlsx formula cell, kept as its text and never evaluated."""

    text: str


@dataclass(frozen=True)
class _Table:
    records: list[tuple[int, list[object]]]
    encoding: str
    separator: str | None
    # A CSV line longer than its header usually means a separator inside an unquoted value.
    check_width: bool = False


# --- values -------------------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return isinstance(value, str) and not value.strip().strip("\ufeff")


def _as_text(value: object) -> str:
    """A cell as the planner sees it: integral numbers without « .0 », dates in ISO."""
    if _is_blank(value):
        return ""
    if isinstance(value, _Formula):
        return value.text
    if isinstance(value, bool | np.bool_):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float | np.floating) and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip().strip("\ufeff").strip()
    # An apostrophe before =, +, - or @ is how our templates (and spreadsheets) mark text that is
    # not a formula: the value is what follows it.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _quoted(value: object) -> str:
    text = _as_text(value).replace("\n", " ")
    return f"« {text[:60]}… »" if len(text) > 60 else f"« {text} »"


def _is_formula(value: object) -> bool:
    """True for a cell that a spreadsheet would run as a formula (``-`` then a digit is a number)."""
    if isinstance(value, _Formula):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip().strip("\ufeff").strip()
    if text[:1] in ("=", "+", "@"):
        return True
    return len(text) > 1 and text[0] == "-" and not (text[1].isdigit() or text[1] in ".,")


def _header_key(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(_as_text(text)))


_STATUS_BY_KEY = {fold(s): s for s in STATUSES}
_COLUMN_BY_KEY = {_header_key(c): c for c in TEMPLATE_COLUMNS} | _COLUMN_ALIASES


def _parse_id(value: object, known_ids: Collection[str]) -> str:
    text = _as_text(value)
    # Excel turns the id 102 into the number 102.0, which some tools write back as « 102.0 ».
    text = re.sub(r"^(\d+)[.,]0+$", r"\1", text)
    if text not in known_ids:
        raise _Invalid(
            f"cité inconnue {_quoted(text)} : cet identifiant n'est pas dans l'inventaire des cités "
            "(ne modifiez pas la colonne « id » du modèle)."
        )
    return text


def _parse_statut(value: object) -> str:
    text = _as_text(value)
    if not text:
        raise _Invalid(f"statut manquant : écrivez « {NON_RENSEIGNE} » si l'avancement n'est pas connu.")
    found = _STATUS_BY_KEY.get(fold(text))
    if found is None:
        raise _Invalid(f"statut inconnu {_quoted(text)} (valeurs admises : {', '.join(STATUSES)}).")
    return found


def _checked_day(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Invalid(f"date impossible {_quoted(original)} : ce jour n'existe pas.") from None


def _month_name(text: str) -> tuple[int, int] | None:
    """« nov-19 », « nov.-2019 », « novembre 2019 »: what Excel FR makes of a typed « 2019-11 »."""
    match = re.fullmatch(r"([a-z]+)\.?\s*[-/ ]?\s*(\d{2}|\d{4})", fold(text))
    if match is None or match.group(1) not in _FRENCH_MONTHS:
        return None
    year = int(match.group(2))
    return (2000 + year if year < 100 else year), _FRENCH_MONTHS[match.group(1)]


def _date_parts(text: str) -> tuple[int, int | None, int | None]:
    """(year, month, day) of a date as typed; month and day are None for a year or a month."""
    if match := re.fullmatch(r"(\d{4})", text):
        return int(match.group(1)), None, None
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return int(match.group(1)), int(match.group(2)), None
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text):
        return int(match.group(1)), int(match.group(2)), int(match.group(3))
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?", text):
        return int(match.group(3)), int(match.group(2)), int(match.group(1))
    if match := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        return int(match.group(2)), int(match.group(1)), None
    if named := _month_name(text):
        return named[0], named[1], None
    raise _Invalid(f"date illisible {_quoted(text)} (formats admis : {_DATE_FORMATS}).")


def _parse_statut_date(value: object, *, today: date) -> str:
    """The date as "", UNDATED or ISO year, month or day, checked to lie within the programme and not ahead."""
    text = _as_text(value)
    if not text:
        return ""
    if fold(text) == fold(UNDATED):
        return UNDATED
    year, month, day = _date_parts(text)
    if month is not None and not 1 <= month <= 12:
        raise _Invalid(f"date impossible {_quoted(text)} : il n'y a pas de mois {month}.")
    # Compared at the date's own precision: « 2017 » is within the programme, « 2025-07 » is ahead
    # in June 2025.
    if day is not None:
        when: tuple[int, ...] = (year, month or 1, day)
        iso = _checked_day(year, month or 1, day, text).isoformat()
    elif month is not None:
        when, iso = (year, month), f"{year:04d}-{month:02d}"
    else:
        when, iso = (year,), f"{year:04d}"
    start, now = PROGRAMME_START.timetuple()[:3], today.timetuple()[:3]
    if when < start[: len(when)]:
        raise _Invalid(
            f"date {_quoted(text)} antérieure au début du programme ERBM (2017) : "
            "indiquez la date de l'avancement dans le programme."
        )
    if when > now[: len(when)]:
        raise _Invalid(
            f"date {_quoted(text)} dans le futur (après le {today:%d/%m/%Y}) : "
            "un avancement se date quand il a eu lieu."
        )
    return iso


def _whole_number(value: object, *, what: str) -> int | None:
    """An integer cell: blank → None; « 1 200 », « 120.0 », 120.0 → 120; anything else refused."""
    if _is_blank(value):
        return None
    if isinstance(value, bool | np.bool_ | datetime | date | _Formula):
        raise _Invalid(f"{_quoted(value)} n'est pas un nombre ({what}).")
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            raise _Invalid(f"{_quoted(value)} n'est pas un nombre ({what}).")
        number = Decimal(str(float(value)))
    else:
        text = _SPACES.sub("", _as_text(value))
        if not _NUMBER.fullmatch(text):
            raise _Invalid(f"{_quoted(value)} n'est pas un nombre ({what}).")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise _Invalid(f"{_quoted(value)} n'est pas un nombre ({what}).") from None
    if number != number.to_integral_value():
        raise _Invalid(f"nombre non entier {_quoted(value)} ({what}).")
    return int(number)


def _parse_logements(value: object) -> int | None:
    number = _whole_number(value, what="un nombre de logements entier, ou une case vide si non renseigné")
    if number is None:
        return None
    if number < 0:
        raise _Invalid(f"nombre négatif {_quoted(value)} : un nombre de logements est positif ou nul.")
    if number > MAX_LOGEMENTS:
        raise _Invalid(
            f"nombre invraisemblable {_quoted(value)} : plus de {format_int(MAX_LOGEMENTS)} logements pour une cité."
        )
    return number


def _parse_source(value: object) -> str:
    # A line break typed in a cell (Alt+Entrée) is kept as a space; other control characters and
    # bidirectional overrides could hide or reorder what readers of the map see.
    text = " ".join(re.split(r"[\r\n\t]+", _as_text(value))).strip()
    bad = [c for c in text if unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS]
    if bad:
        raise _Invalid(f"caractère de contrôle refusé (U+{ord(bad[0]):04X}) dans la source.")
    if len(text) > MAX_SOURCE_CHARS:
        raise _Invalid(f"texte trop long ({len(text)} caractères, {MAX_SOURCE_CHARS} au plus).")
    return text


def _parse_version_base(value: object) -> int | None:
    what = "la valeur du modèle téléchargé, à laisser telle quelle"
    number = _whole_number(value, what=what)
    if number is not None and not 1 <= number <= MAX_VERSION:
        raise _Invalid(f"version de base impossible {_quoted(value)} ({what}).")
    return number


def clean_free_text(value: object, *, what: str, limit: int) -> str:
    """A note or an author name as stored: line breaks and tabs become spaces, runs of spaces one.

    Other control characters (ESC…) and bidirectional overrides, which could hide or reorder what
    the history shows, are refused, as is a text longer than ``limit``: :class:`InvalidChange`.
    """
    text = re.sub(r"[\r\n\t]", " ", str(value or ""))
    bad = [c for c in text if unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS]
    if bad:
        raise InvalidChange(f"{what} : caractère de contrôle refusé (U+{ord(bad[0]):04X}).")
    text = " ".join(text.split())
    if len(text) > limit:
        raise InvalidChange(f"{what} : texte trop long ({len(text)} caractères, {limit} au plus).")
    return text


_FIELD_PARSERS = {"statut": _parse_statut, "logements": _parse_logements, "source": _parse_source}


# --- reading files --------------------------------------------------------------------------------


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
    raise _Invalid(
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
    if all(_is_blank(c) for c in cells[MAX_COLUMNS:]):
        return cells[:MAX_COLUMNS]
    width = max(pos for pos, c in enumerate(cells) if not _is_blank(c)) + 1
    raise _Invalid(
        f"trop de colonnes à la ligne {line} ({width} ; {MAX_COLUMNS} au plus, le modèle en a "
        f"{len(TEMPLATE_COLUMNS)}) : ce n'est pas un modèle de cités."
    )


def _check_line_lengths(text: str) -> None:
    """Refuse a line too long for a template before the CSV reader splits it into cells."""
    for number, physical in enumerate(text.split("\n"), start=1):
        length = len(physical.rstrip("\r"))
        if length > MAX_LINE_CHARS:
            raise _Invalid(
                f"ligne {number} trop longue ({length} caractères, {MAX_LINE_CHARS} au plus) : "
                "ce n'est pas un modèle de cités."
            )


def _csv_problem(err: csv.Error, line: int) -> _Invalid:
    reason = str(err)
    if "unexpected end of data" in reason or "field larger than field limit" in reason:
        # Lines are short (MAX_LINE_CHARS), so an endless value runs over line breaks: it is quoted.
        return _Invalid(
            f"guillemet non fermé à partir de la ligne {line} : tout ce qui suit serait lu comme une seule "
            'valeur. Fermez le guillemet (un guillemet dans une valeur s\'écrit deux fois : "").'
        )
    if "expected after" in reason:
        return _Invalid(
            f"guillemet mal placé à la ligne {line} : une valeur entre guillemets doit être suivie du "
            'séparateur ou de la fin de la ligne (un guillemet dans une valeur s\'écrit deux fois : "").'
        )
    return _Invalid(
        f"CSV illisible à la ligne {line} : enregistrez-le de nouveau depuis le tableur ou utilisez le modèle."
    )


def _read_csv(data: bytes) -> _Table:
    text, encoding = _decode(data)
    _check_line_lengths(text)
    separator = _sniff_separator(text)
    records: list[tuple[int, list[object]]] = []
    # Strict: an unclosed quote is an error, not a value that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        for line, cells in enumerate(reader, start=1):
            if line > MAX_LINES:
                raise _Invalid(
                    f"trop de lignes (plus de {MAX_LINES}) : le fichier ne peut pas être un modèle de cités."
                )
            records.append((line, _within_width(line, list(cells))))
    except csv.Error as err:
        raise _csv_problem(err, len(records) + 1) from None
    return _Table(records, encoding, separator, check_width=True)


def _xlsx_value(cell: object) -> object:
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or isinstance(value, ArrayFormula | DataTableFormula):
        text = value if isinstance(value, str) else getattr(value, "text", None) or "formule"
        return _Formula(str(text))
    if isinstance(value, datetime):
        # A date shown as « nov.-19 » or « 2019 » is a month or a year, not the 1st of that month.
        shown = re.sub(r'\[[^\]]*\]|"[^"]*"', "", str(getattr(cell, "number_format", "")).lower())
        if "d" not in shown and "y" in shown and "h" not in shown:
            return f"{value:%Y-%m}" if "m" in shown else f"{value:%Y}"
    return value


def _header_columns(sheet: object) -> set[str | None]:
    """The known columns named by the sheet's first filled line (among its first rows)."""
    for cells in sheet.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS, values_only=True):  # type: ignore[attr-defined]
        if not all(_is_blank(c) for c in cells):
            return {_COLUMN_BY_KEY.get(_header_key(c)) for c in cells}
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


def _read_xlsx(data: bytes) -> _Table:
    from openpyxl import load_workbook

    unreadable = _Invalid(
        "classeur Excel illisible (fichier abîmé, incomplet ou protégé) : enregistrez-le de nouveau "
        "au format .xlsx, ou utilisez le modèle CSV."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                raise _Invalid(
                    "classeur OpenDocument (.ods) : dans LibreOffice, choisissez « Enregistrer sous » "
                    "au format .xlsx ou .csv."
                )
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                raise _Invalid("classeur trop volumineux une fois décompressé : ce n'est pas un modèle de cités.")
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
                    raise _Invalid(f"trop de lignes (plus de {MAX_LINES}) : ce n'est pas un modèle de cités.")
                records.append((line, _within_width(line, [_xlsx_value(cell) for cell in cells])))
        finally:
            book.close()
    except _Invalid:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises anything (KeyError, lxml, ValueError) on a broken file
        raise unreadable from None
    return _Table(records, "xlsx", None)


def _read_table(data: bytes, filename: str) -> _Table:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(_OLE_MAGIC) or extension == "xls":
        raise _Invalid(
            "ancien format Excel (.xls) ou classeur protégé par mot de passe : enregistrez-le au format "
            "« Classeur Excel (.xlsx) » sans mot de passe, ou en CSV."
        )
    if data.startswith(_ZIP_MAGIC) and extension in ("xlsx", "csv", "txt", "ods"):
        return _read_xlsx(data)
    if extension in ("xlsx", "ods"):
        return _read_xlsx(data)  # not a zip: reported as unreadable
    if extension in ("csv", "txt", "tsv"):
        return _read_csv(data)
    raise _Invalid(
        f"type de fichier non pris en charge ({'.' + extension if extension else 'sans extension'}) : "
        "importez un fichier CSV (.csv) ou un classeur Excel (.xlsx), par exemple le modèle téléchargé."
    )


# --- checking -------------------------------------------------------------------------------------


def _capped(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    if len(problems) <= MAX_PROBLEMS:
        return tuple(problems)
    rest = len(problems) - MAX_PROBLEMS
    return (*problems[:MAX_PROBLEMS], Problem(None, None, f"… et {rest} autres problèmes."))


def _formula_problems(
    line: int, cells: Sequence[object], names: Sequence[str], cite_id: str | None = None
) -> list[Problem]:
    return [
        Problem(
            line,
            names[pos] if pos < len(names) and names[pos] else _column_letter(pos),
            f"formule refusée {_quoted(cell)} : les formules ne sont pas calculées ; écrivez la valeur "
            "elle-même, sans la commencer par =, +, - ou @.",
            cite_id,
        )
        for pos, cell in enumerate(cells)
        if _is_formula(cell)
    ]


def _column_letter(pos: int) -> str:
    letters = ""
    pos += 1
    while pos:
        pos, rest = divmod(pos - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _map_columns(line: int, header: Sequence[object]) -> tuple[dict[str, int], list[Problem]]:
    """Position of each known column (names compared without case, accents or spaces)."""
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for pos, cell in enumerate(header):
        column = _COLUMN_BY_KEY.get(_header_key(cell))
        if column is None:
            continue  # nom, commune and the planner's own columns are only there to help
        if column in positions:
            first = _column_letter(positions[column])
            problems.append(
                Problem(line, column, f"colonne en double (colonnes {first} et {_column_letter(pos)}) : gardez-en une.")
            )
        else:
            positions[column] = pos
    found = ", ".join(_as_text(c) for c in header if _as_text(c)) or "aucune"
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            problems.append(Problem(None, column, f"colonne obligatoire absente (colonnes lues : {found})."))
    return positions, problems


@dataclass
class _Checker:
    """Walks the data lines once, collecting every problem and the normalised values."""

    positions: dict[str, int]
    known_ids: frozenset[str]
    today: date
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
            if _is_blank(raw_id):
                self.problems.append(Problem(line, "id", "identifiant de cité manquant sur une ligne remplie."))
            else:
                parsed_id = self.check(line, "id", None, lambda: _parse_id(raw_id, self.known_ids))
                cite_id = named = parsed_id if isinstance(parsed_id, str) else None
        if cite_id is not None and cite_id in self.first_line:
            first = self.first_line[cite_id]
            self.problems.append(
                Problem(line, "id", f"cité {_quoted(cite_id)} en double (déjà à la ligne {first}).", cite_id)
            )
            cite_id = None
        values: dict[str, object] = {}
        for column in EDITABLE_FIELDS:
            if column not in self.positions or self.positions[column] in skip:
                continue
            raw = self.cell(cells, column)
            if column == "statut_date":
                parsed = self.check(line, column, cite_id, lambda raw=raw: _parse_statut_date(raw, today=self.today))
            else:
                parsed = self.check(line, column, cite_id, lambda raw=raw, column=column: _FIELD_PARSERS[column](raw))
            if parsed is not _FAILED:
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
        except _Invalid as err:
            self.problems.append(Problem(line, column, err.message, cite_id))
            return _FAILED

    def version(self, line: int, raw: object, cite_id: str | None) -> None:
        number = self.check(line, "version_base", cite_id, lambda: _parse_version_base(raw))
        if not isinstance(number, int):
            return
        if self.base is None:
            self.base = (number, line)
        elif number != self.base[0]:
            self.problems.append(
                Problem(
                    line,
                    "version_base",
                    f"version de base {number} différente de celle de la ligne {self.base[1]} ({self.base[0]}) : "
                    "un fichier d'import provient d'un seul modèle téléchargé.",
                    cite_id,
                )
            )


_FAILED = object()


def _check_table(table: _Table, *, known_ids: Collection[str], today: date | None) -> ParsedImport:
    def result(problems: Sequence[Problem], rows: dict | None = None, base: int | None = None) -> ParsedImport:
        return ParsedImport(rows or {}, base, _capped(problems), table.encoding, table.separator)

    lines = iter(table.records)
    header = next(((line, cells) for line, cells in lines if not all(_is_blank(c) for c in cells)), None)
    if header is None:
        return result([Problem(None, None, "le fichier est vide (aucune ligne d'en-tête ni de données).")])
    header_line, header_cells = header
    names = [_as_text(c) for c in header_cells]
    problems = _formula_problems(header_line, header_cells, names)
    positions, column_problems = _map_columns(header_line, header_cells)
    problems += column_problems
    if column_problems:
        return result(problems)
    for column, pos in positions.items():
        names[pos] = column
    checker = _Checker(positions, frozenset(str(i) for i in known_ids), today or paris_today())
    seen_data = False
    for line, cells in lines:
        if all(_is_blank(c) for c in cells):
            continue  # the blank lines a spreadsheet leaves at the end
        seen_data = True
        skip = {pos for pos, cell in enumerate(cells) if _is_formula(cell)}
        before = len(checker.problems)
        cite_id = checker.line(line, cells, skip)
        # Reported before the line's other problems, naming its cité when the id could be read.
        first = _formula_problems(line, cells, names, cite_id)
        if (
            table.check_width
            and len(cells) > len(header_cells)
            and not all(_is_blank(c) for c in cells[len(header_cells) :])
        ):
            first.append(
                Problem(
                    line,
                    None,
                    f"{len(cells)} valeurs pour {len(header_cells)} colonnes : une valeur contenant le séparateur "
                    f"{_SEPARATOR_NAMES.get(table.separator or '', '')} doit être entre guillemets.",
                    cite_id,
                )
            )
        checker.problems[before:before] = first
    problems += checker.problems
    if not seen_data:
        problems.append(Problem(None, None, "aucune ligne de données sous l'en-tête."))
    return result(problems, checker.rows, checker.base[0] if checker.base else None)


def paris_today() -> date:
    """Today in Europe/Paris, whatever the server's clock zone: the day the planners live in."""
    return datetime.now(PARIS).date()


def read_import(data: bytes, filename: str, *, known_ids: Collection[str], today: date | None = None) -> ParsedImport:
    """Read and check an uploaded CSV or XLSX file; see ``ParsedImport``. Nothing is written here."""
    if len(data) > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES / 1024 / 1024
        size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        problem = Problem(None, None, f"fichier trop volumineux ({size} Mo, {limit:g} Mo au plus).")
        return ParsedImport({}, None, (problem,), "", None)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return ParsedImport({}, None, (Problem(None, None, "le fichier est vide."),), "", None)
    try:
        table = _read_table(data, filename)
    except _Invalid as err:
        return ParsedImport({}, None, (Problem(None, None, err.message),), "", None)
    return _check_table(table, known_ids=known_ids, today=today)


def rows_from_frame(
    frame: pd.DataFrame, *, known_ids: Collection[str], today: date | None = None, first_row: int = 1
) -> ParsedImport:
    """The checks of ``read_import`` on a table edited in the app; its first row is numbered ``first_row``."""
    if "id" not in {_COLUMN_BY_KEY.get(_header_key(c)) for c in frame.columns} and frame.index.name is not None:
        frame = frame.reset_index()
    records = [(first_row + pos, list(values)) for pos, values in enumerate(frame.itertuples(index=False, name=None))]
    header = (first_row - 1, list(frame.columns))
    return _check_table(_Table([header, *records], "table", None), known_ids=known_ids, today=today)


# --- templates ------------------------------------------------------------------------------------


def _template_rows(values: Mapping[str, CiteValues], cites: pd.DataFrame, version: int) -> Iterator[list[object]]:
    for cite_id, nom, commune in cites[["id", "nom", "commune"]].itertuples(index=False, name=None):
        v = values.get(str(cite_id)) or CiteValues(statut=NON_RENSEIGNE)
        yield [
            str(cite_id),
            _as_text(nom),
            _as_text(commune),
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
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    sheet.append(list(TEMPLATE_COLUMNS))
    bold, locked = Font(bold=True), PatternFill("solid", start_color="EEEEEE")
    for cell in sheet[1]:
        cell.font = bold
    # Typing « 2019-11 » into a General cell makes Excel store a date; text-formatted cells keep it.
    text_columns = {"id", "nom", "commune", "statut", "statut_date", "source"}
    rows = list(_template_rows(values, cites, version))
    for line, row in enumerate(rows, start=2):
        for pos, (column, value) in enumerate(zip(TEMPLATE_COLUMNS, row, strict=True), start=1):
            cell = sheet.cell(row=line, column=pos, value=neutralise_formula(value))
            if column in text_columns:
                cell.number_format = "@"
            if column in ("id", "nom", "commune", "version_base"):
                cell.fill = locked
    last = len(rows) + 1
    letters = {column: _column_letter(pos) for pos, column in enumerate(TEMPLATE_COLUMNS)}
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

    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.append(["Colonne", "Obligatoire", "Contenu"])
    for column in TEMPLATE_COLUMNS:
        help_sheet.append([column, *_HELP_COLUMNS[column]])
    help_sheet.append([])
    help_sheet.append(["Statut", "", "Signification"])
    for status in STATUSES:
        help_sheet.append([status, "", STATUS_LABELS[status]])
    help_sheet.append([])
    help_sheet.append(["Règles", "", ""])
    for rule in _HELP_RULES:
        help_sheet.append(["", "", rule])
    for row in help_sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.value in ("Colonne", "Obligatoire", "Contenu", "Statut", "Signification", "Règles"):
                cell.font = bold
    for letter, width in (("A", 24), ("B", 12), ("C", 90)):
        help_sheet.column_dimensions[letter].width = width
    help_sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
