"""core.text: the one French formatting of numbers, dates and searched words."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.text import (
    MONTHS,
    fold,
    format_count,
    format_fixed,
    format_int,
    format_number,
    format_percent,
    french_date,
    neutralise_formula,
    or_nr,
    search_key,
)

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: format_int(1185930), f"1{NNBSP}185{NNBSP}930"),
        (lambda: format_int(12.7), "13"),
        (lambda: format_count(31415, "habitants"), f"31{NNBSP}415 habitants"),
        (lambda: format_count(None), "non renseigné"),
        (lambda: format_count(pd.NA, "logements"), "non renseigné"),
        (lambda: format_count(math.nan), "non renseigné"),
        (lambda: format_number(23000), f"23{NNBSP}000"),
        (lambda: format_number(1234.56), f"1{NNBSP}234,6"),
        (lambda: format_fixed(17.0), "17,0"),
        (lambda: format_fixed(5.25, 2), "5,25"),
        (lambda: format_percent(13, 100), f"13,0{NNBSP}%"),
        (lambda: format_percent(1, 0), "non renseigné"),
        (lambda: or_nr("  "), "non renseigné"),
        (lambda: or_nr(" Maisons et Cités "), "Maisons et Cités"),
    ],
)
def test_numbers_and_missing_values_read_the_french_way(call, expected) -> None:
    assert call() == expected


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2025-09-02", "2 septembre 2025"),
        ("2021-05-01", "1er mai 2021"),
        ("2019-06", "juin 2019"),
        ("2025", "2025"),
        ("2019-13", "2019"),
        ("", "non datée"),
        ("mi-2025", "mi-2025"),  # a document's own wording is kept as it is
    ],
)
def test_dates_keep_their_precision(iso, expected) -> None:
    assert french_date(iso) == expected


def test_months_are_babels_french_names() -> None:
    assert MONTHS[0] == "janvier" and MONTHS[7] == "août" and len(MONTHS) == 12


def test_folding_and_search_keys() -> None:
    assert fold("  Cœur  d'OSTREVENT ") == "cœur d'ostrevent"
    assert fold("Hénin-Beaumont") == "henin-beaumont"
    assert search_key("Cité n°9 de Lens") == search_key("CITE N° 9 de Lens") == "cite n9 de lens"
    assert search_key("Cœur d’Ostrevent") == "coeur d ostrevent"


def test_spreadsheet_formulas_are_neutralised() -> None:
    assert [neutralise_formula(v) for v in ("=SUM(A1)", "+33", "-cmd", "@x", "Lens", 12)] == [
        "'=SUM(A1)",
        "'+33",
        "'-cmd",
        "'@x",
        "Lens",
        12,
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("oui", True), (" OUI ", True), ("true", True), ("1", True)]
    + [("non", False), ("", False), (None, False), ("0", False)],
)
def test_yes_no_cells_of_the_reviewed_tables(cell, expected) -> None:
    from core.text import is_yes

    assert is_yes(cell) is expected


def test_terminal_safe_shows_control_characters_and_keeps_line_breaks() -> None:
    from core.text import terminal_safe

    assert terminal_safe("a\x1b[31mb\x07\r\nc\u202ed\u2066é") == "a\\x1b[31mb\\x07\\x0d\nc\\u202ed\\u2066é"
