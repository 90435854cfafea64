"""Dates of the programme's actions, kept at the precision the document gives.

A document says « en mars 2022 », « au 4ème trimestre 2019 », « fin 2018 », « à l'automne 2026 »:
the date is stored as written (``2022-03``, ``2019-T4``, ``fin-2018``, ``automne-2026``), never
turned into a day it does not give. :func:`parse_fuzzy_date` reads it into the span it covers (to
sort and compare) and :func:`french_fuzzy_date` writes it for a reader.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from core.text import french_date

# Precision name -> pattern of the stored value.
PRECISIONS: dict[str, str] = {
    "jour": r"\d{4}-\d{2}-\d{2}",
    "mois": r"\d{4}-\d{2}",
    "trimestre": r"\d{4}-T[1-4]",
    "semestre": r"\d{4}-S[12]",
    "année": r"\d{4}",
    "partie d'année": r"(début|mi|fin)-\d{4}",
    "saison": r"(printemps|été|automne|hiver)-\d{4}",
}

# Months a part of a year or a season covers (inclusive), as the documents use the words.
_PARTS = {"début": (1, 4), "mi": (5, 8), "fin": (9, 12)}
_SEASONS = {"printemps": (3, 6), "été": (6, 9), "automne": (9, 12), "hiver": (12, 12)}


@dataclass(frozen=True)
class FuzzyDate:
    """A date as a document gives it: the text, its precision and the days it may stand for."""

    text: str
    precision: str
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def precision_of(text: str) -> str:
    """The precision a stored value is written at; ``ValueError`` (in French) if none fits."""
    for name, pattern in PRECISIONS.items():
        if re.fullmatch(pattern, text):
            return name
    raise ValueError(
        f"date « {text} » illisible (formats admis : 2022-03-15, 2022-03, 2025-T2, 2020-S1, 2025, "
        "début-2019, mi-2025, fin-2023, automne-2026)"
    )


def parse_fuzzy_date(text: str) -> FuzzyDate:
    """Read a stored value; ``ValueError`` with a French message when it is not a real date."""
    value = text.strip()
    precision = precision_of(value)
    try:
        if precision == "jour":
            day = date.fromisoformat(value)
            return FuzzyDate(value, precision, day, day)
        if precision == "mois":
            year, month = int(value[:4]), int(value[5:7])
            return FuzzyDate(value, precision, date(year, month, 1), _month_end(year, month))
        if precision in ("trimestre", "semestre"):
            year, n = int(value[:4]), int(value[-1])
            size = 3 if precision == "trimestre" else 6
            first = (n - 1) * size + 1
            return FuzzyDate(value, precision, date(year, first, 1), _month_end(year, first + size - 1))
        if precision == "année":
            year = int(value)
            return FuzzyDate(value, precision, date(year, 1, 1), date(year, 12, 31))
        word, year_text = value.rsplit("-", 1)
        first, last = (_PARTS if precision == "partie d'année" else _SEASONS)[word]
        year = int(year_text)
        return FuzzyDate(value, precision, date(year, first, 1), _month_end(year, last))
    except ValueError as err:
        raise ValueError(f"date « {text} » impossible ({err})") from err


def french_fuzzy_date(text: str) -> str:
    """« 15 mars 2022 », « mars 2022 », « 2e trimestre 2025 », « 1er semestre 2020 », « 2025 »,
    « mi-2025 », « début 2019 », « automne 2026 »."""
    value = str(text or "").strip()
    try:
        precision = precision_of(value)
    except ValueError:
        return value
    if precision in ("jour", "mois", "année"):
        return french_date(value)
    if precision in ("trimestre", "semestre"):
        n = int(value[-1])
        ordinal = "1er" if n == 1 else f"{n}e"
        return f"{ordinal} {precision} {value[:4]}"
    word, year = value.rsplit("-", 1)
    return f"mi-{year}" if word == "mi" else f"{word} {year}"
