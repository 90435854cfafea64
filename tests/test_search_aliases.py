"""The usual names of the basin's EPCI find them (domain/search.py, EPCI_ALIASES)."""

from __future__ import annotations

import pytest

from domain.search import EPCI_ALIASES, search

EXPECTED = {
    "CA du Douaisis": "200044618",
    "Douaisis Agglo": "200044618",
    "CAPH": "200042190",
    "CALL": "246200364",
    "CABBALR": "200072460",
    "CAVM": "245901160",
    "CAHC": "246200299",
    "Cœur d'Ostrevent": "245901152",
    "coeur d'ostrevent": "245901152",
    "caph": "200042190",
}


@pytest.mark.parametrize(("query", "siren"), EXPECTED.items())
def test_an_epci_alias_finds_its_epci_first(territory, query: str, siren: str) -> None:
    hits = search(territory, query)
    assert hits and (hits[0].kind, hits[0].ref) == ("epci", siren), hits[:3]


def test_every_alias_names_an_epci_of_the_data(territory) -> None:
    assert set(EPCI_ALIASES) <= set(territory.epci["siren"].astype(str))


def test_an_acronym_is_shown_in_the_suggestion(territory) -> None:
    assert search(territory, "CALL")[0].label == "Communauté d'agglomération de Lens - Liévin (CALL) — EPCI"
