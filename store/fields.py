"""The rules of a planner's cells: what each field of an update file may hold, read and normalised.

A cell is judged on its own here (the file's layout is ``store.tables``' business, the walk over its
lines ``store.checks``'): each parser returns the stored value or raises :class:`Invalid` with the
French sentence the planner reads. Nothing typed in a cell is ever evaluated.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from core.text import FORMULA_PREFIXES, fold, format_int
from core.vocab import NON_RENSEIGNE, STATUSES, UNDATED
from store.errors import InvalidChange
from store.model import MAX_VERSION, TEMPLATE_COLUMNS

MAX_SOURCE_CHARS = 500
# The whole programme aims at 23 000 dwellings: a larger count for one cité is a typing slip, and
# an unbounded integer would overflow the database column.
MAX_LOGEMENTS = 100_000
PROGRAMME_START = date(2017, 1, 1)

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
# Other names planners give the columns; keys as produced by ``header_key``.
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


class Invalid(ValueError):
    """A cell (or a whole file) refused; ``message`` is the French sentence, placed by the caller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Formula:
    """An xlsx formula cell, kept as its text and never evaluated."""

    text: str


def is_blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return isinstance(value, str) and not value.strip().strip("\ufeff")


def as_text(value: object) -> str:
    """A cell as the planner sees it: integral numbers without « .0 », dates in ISO."""
    if is_blank(value):
        return ""
    if isinstance(value, Formula):
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


def quoted(value: object) -> str:
    text = as_text(value).replace("\n", " ")
    return f"« {text[:60]}… »" if len(text) > 60 else f"« {text} »"


def latin_digits(text: str) -> str:
    """``text``, refused if it writes digits of another script (« ١٢٣ », « ۲۰۱۹ »): Python would
    read them as numbers without a word, and a reader of the map would not see what was typed."""
    other = [c for c in text if c.isdigit() and not "0" <= c <= "9"]
    if other:
        raise Invalid(
            f"chiffres d'une autre écriture dans {quoted(text)} ({''.join(other[:5])}) : tapez les chiffres 0 à 9."
        )
    return text


def is_formula(value: object) -> bool:
    """True for a cell that a spreadsheet would run as a formula (``-`` then a digit is a number)."""
    if isinstance(value, Formula):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip().strip("\ufeff").strip()
    if text[:1] in ("=", "+", "@"):
        return True
    return len(text) > 1 and text[0] == "-" and not (text[1].isdigit() or text[1] in ".,")


def header_key(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(as_text(text)))


_STATUS_BY_KEY = {fold(s): s for s in STATUSES}
COLUMN_BY_KEY = {header_key(c): c for c in TEMPLATE_COLUMNS} | _COLUMN_ALIASES


def parse_id(value: object, known_ids: Collection[str]) -> str:
    text = as_text(value)
    # Excel turns the id 102 into the number 102.0, which some tools write back as « 102.0 ».
    text = re.sub(r"^(\d+)[.,]0+$", r"\1", text)
    if text not in known_ids:
        raise Invalid(
            f"cité inconnue {quoted(text)} : cet identifiant n'est pas dans l'inventaire des cités "
            "(ne modifiez pas la colonne « id » du modèle)."
        )
    return text


def _parse_statut(value: object) -> str:
    text = as_text(value)
    if not text:
        raise Invalid(f"statut manquant : écrivez « {NON_RENSEIGNE} » si l'avancement n'est pas connu.")
    found = _STATUS_BY_KEY.get(fold(text))
    if found is None:
        raise Invalid(f"statut inconnu {quoted(text)} (valeurs admises : {', '.join(STATUSES)}).")
    return found


def _checked_day(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Invalid(f"date impossible {quoted(original)} : ce jour n'existe pas.") from None


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
    raise Invalid(f"date illisible {quoted(text)} (formats admis : {_DATE_FORMATS}).")


def parse_statut_date(value: object, *, today: date) -> str:
    """The date as "", UNDATED or ISO year, month or day, checked to lie within the programme and not ahead."""
    text = as_text(value)
    if not text:
        return ""
    if fold(text) == fold(UNDATED):
        return UNDATED
    year, month, day = _date_parts(latin_digits(text))
    if month is not None and not 1 <= month <= 12:
        raise Invalid(f"date impossible {quoted(text)} : il n'y a pas de mois {month}.")
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
        raise Invalid(
            f"date {quoted(text)} antérieure au début du programme ERBM (2017) : "
            "indiquez la date de l'avancement dans le programme."
        )
    if when > now[: len(when)]:
        raise Invalid(
            f"date {quoted(text)} dans le futur (après le {today:%d/%m/%Y}) : un avancement se date quand il a eu lieu."
        )
    return iso


def _whole_number(value: object, *, what: str) -> int | None:
    """An integer cell: blank → None; « 1 200 », « 120.0 », 120.0 → 120; anything else refused."""
    if is_blank(value):
        return None
    if isinstance(value, bool | np.bool_ | datetime | date | Formula):
        raise Invalid(f"{quoted(value)} n'est pas un nombre ({what}).")
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            raise Invalid(f"{quoted(value)} n'est pas un nombre ({what}).")
        number = Decimal(str(float(value)))
    else:
        text = latin_digits(_SPACES.sub("", as_text(value)))
        if not _NUMBER.fullmatch(text):
            raise Invalid(f"{quoted(value)} n'est pas un nombre ({what}).")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise Invalid(f"{quoted(value)} n'est pas un nombre ({what}).") from None
    if number != number.to_integral_value():
        raise Invalid(f"nombre non entier {quoted(value)} ({what}).")
    return int(number)


def _parse_logements(value: object) -> int | None:
    number = _whole_number(value, what="un nombre de logements entier, ou une case vide si non renseigné")
    if number is None:
        return None
    if number < 0:
        raise Invalid(f"nombre négatif {quoted(value)} : un nombre de logements est positif ou nul.")
    if number > MAX_LOGEMENTS:
        raise Invalid(
            f"nombre invraisemblable {quoted(value)} : plus de {format_int(MAX_LOGEMENTS)} logements pour une cité."
        )
    return number


def _parse_source(value: object) -> str:
    # A line break typed in a cell (Alt+Entrée) is kept as a space; other control characters and
    # bidirectional overrides could hide or reorder what readers of the map see.
    text = " ".join(re.split(r"[\r\n\t]+", as_text(value))).strip()
    bad = [c for c in text if unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS]
    if bad:
        raise Invalid(f"caractère de contrôle refusé (U+{ord(bad[0]):04X}) dans la source.")
    if len(text) > MAX_SOURCE_CHARS:
        raise Invalid(f"texte trop long ({len(text)} caractères, {MAX_SOURCE_CHARS} au plus).")
    return text


def parse_version_base(value: object) -> int | None:
    what = "la valeur du modèle téléchargé, à laisser telle quelle"
    number = _whole_number(value, what=what)
    if number is not None and not 1 <= number <= MAX_VERSION:
        raise Invalid(f"version de base impossible {quoted(value)} ({what}).")
    return number


MAX_NOTE_CHARS = 500
MAX_AUTHOR_CHARS = 200
# Stored lengths of the editable text fields (store.schema's columns), beyond which a value is refused.
MAX_FIELD_CHARS = {"statut": 64, "statut_date": 32, "source": MAX_SOURCE_CHARS}


def refused_character(text: str) -> str | None:
    """The first control character or bidirectional override in ``text`` (« U+001B »), or None.

    One rule for every text the store keeps: a NUL, an escape sequence or a right-to-left
    override could cut, hide or reorder what the history, a terminal or a spreadsheet shows.
    """
    bad = next((c for c in text if unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS), None)
    return None if bad is None else f"U+{ord(bad):04X}"


def checked_field_text(field: str, text: str) -> str | None:
    """Why the store refuses ``text`` as the value of ``field`` (French), or None."""
    bad = refused_character(text)
    if bad is not None:
        return f"caractère de contrôle refusé ({bad})."
    limit = MAX_FIELD_CHARS.get(field)
    if limit is not None and len(text) > limit:
        return f"texte trop long ({len(text)} caractères, {limit} au plus)."
    return None


def clean_free_text(value: object, *, what: str, limit: int) -> str:
    """A note or an author name as stored: line breaks and tabs become spaces, runs of spaces one.

    Other control characters (ESC…) and bidirectional overrides, which could hide or reorder what
    the history shows, are refused, as is a text longer than ``limit``: :class:`InvalidChange`.
    """
    text = re.sub(r"[\r\n\t]", " ", str(value or ""))
    bad = refused_character(text)
    if bad is not None:
        raise InvalidChange(f"{what} : caractère de contrôle refusé ({bad}).")
    text = " ".join(text.split())
    if len(text) > limit:
        raise InvalidChange(f"{what} : texte trop long ({len(text)} caractères, {limit} au plus).")
    return text


FIELD_PARSERS = {"statut": _parse_statut, "logements": _parse_logements, "source": _parse_source}
