"""CSV exports open as columns in French Excel (« ; » and a UTF-8 byte-order mark), with a plain
comma for tools (domain/export.py, ui/exports.py)."""

from __future__ import annotations

import csv
import io

import pytest

from domain.export import to_csv


def _cites(territory):
    return territory.cites.head(3)


def test_the_default_separator_is_a_semicolon(territory) -> None:
    text = to_csv(_cites(territory), stamp={"source": "essai ; virgule, point"})
    header = text.splitlines()[0]
    assert header.startswith("id;") and "," not in header
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4 and {len(r) for r in rows} == {len(rows[0])}
    # A value holding the separator is quoted, not split.
    assert rows[1][rows[0].index("source")] == "essai ; virgule, point"


def test_a_plain_comma_on_demand(territory) -> None:
    text = to_csv(_cites(territory), stamp={}, sep=",")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "id" and len(rows) == 4
    assert rows[1][0] == str(territory.cites["id"].iloc[0])


def test_an_unknown_separator_is_refused_in_french(territory) -> None:
    with pytest.raises(ValueError, match="séparateur CSV inconnu"):
        to_csv(_cites(territory), stamp={}, sep="\t")
