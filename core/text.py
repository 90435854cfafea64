"""French numbers, dates and text folding: one definition for the screen, the PDF, the slideshow
and the CLI. Numbers and dates go through Babel's CLDR data for ``fr_FR`` (narrow no-break space
as the thousands separator, decimal comma, month names)."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from core.vocab import NON_RENSEIGNE

LOCALE = "fr_FR"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_int(value: object) -> str:
    """A number rounded to a whole one, grouped: ``15500`` → ``15 500`` (narrow no-break space)."""
    return format_decimal(value, format="#,##0", locale=LOCALE)  # type: ignore[arg-type]


def or_nr(value: object) -> str:
    """A text as given, « non renseigné » when it is missing or blank."""
    text = "" if _missing(value) else str(value).strip()
    return text or NON_RENSEIGNE


def format_count(value: object, unit: str = "") -> str:
    """:func:`format_int` with its unit (« 31 415 logements »); « non renseigné » when missing."""
    if _missing(value):
        return NON_RENSEIGNE
    return f"{format_int(value)} {unit}".strip()


def format_number(value: float, *, decimals: int = 1) -> str:
    """Whole numbers as :func:`format_int`; others with ``decimals`` digits after a comma."""
    if float(value).is_integer():
        return format_int(value)
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE)


def format_fixed(value: float, decimals: int = 1) -> str:
    """Always ``decimals`` digits after the comma, even for a whole number: ``17`` → ``17,0``."""
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE)


def format_percent(part: float, whole: float) -> str:
    """``part`` of ``whole`` with one decimal: ``12,3 %`` (narrow no-break space before %);
    « non renseigné » when the whole is zero or either is missing."""
    if not whole or _missing(whole) or _missing(part):
        return NON_RENSEIGNE
    return format_decimal(100 * part / whole, format="0.0", locale=LOCALE) + "\u202f%"


def french_date(text: object, *, empty: str = "non datée") -> str:
    """An ISO date kept at its precision: '2025-09-02' → '2 septembre 2025', '2019-06' → 'juin
    2019', '2025' → '2025'; the first of a month is « 1er »."""
    value = "" if _missing(text) else str(text).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return value or empty
    year, month, day = m.groups()
    if not month or not 1 <= int(month) <= 12:
        return year
    if not day:
        return _babel_date(date(int(year), int(month), 1), format="MMMM y", locale=LOCALE)
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        return _babel_date(date(int(year), int(month), 1), format="MMMM y", locale=LOCALE)
    if when.day == 1:
        return "1er " + _babel_date(when, format="MMMM y", locale=LOCALE)
    return _babel_date(when, format="d MMMM y", locale=LOCALE)


MONTHS: tuple[str, ...] = tuple(_babel_date(date(2000, m, 1), format="MMMM", locale=LOCALE) for m in range(1, 13))


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: how two spellings of one word are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def search_key(text: str) -> str:
    """:func:`fold`, ligatures opened, « n° » joined, punctuation as single spaces: what a search
    compares, so that « Cité n°9 » and « cite n9 » meet."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    plain = fold(text)
    plain = re.sub(r"\b(n|no)\s*°\s*", "n", plain)
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_yes(value: object) -> bool:
    """A yes/no cell of the reviewed tables (« oui », « true », « 1 », any case) read as a bool."""
    return str(value or "").strip().lower() in ("oui", "true", "1")


# Bidirectional overrides and isolates: they reorder what a terminal or a reader sees.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def terminal_safe(text: str) -> str:
    """``text`` as a terminal may print it: control characters (escape sequences, bell, carriage
    return…) and bidirectional overrides shown as their code (« \\x1b », « \\u202e ») instead of
    obeyed; line breaks kept."""

    def shown(c: str) -> str:
        if c == "\n" or not (unicodedata.category(c) == "Cc" or c in _BIDI):
            return c
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"

    return "".join(shown(c) for c in text)


def neutralise_formula(value: object) -> object:
    """Stop a spreadsheet from running a text cell as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
