"""Programme series: real points, in order, each with its source."""

from __future__ import annotations

from domain.programme import HEADLINE, epci_breakdown, qualifier, series


def test_housing_series_has_its_dated_points_and_sources(territory) -> None:
    s = series(territory, "logements_rehabilites")
    assert s["valeur"].tolist() == [7000.0, 8000.0, 15500.0] or s["valeur"].tolist() == [8000.0, 7000.0, 15500.0]
    assert s["date"].is_monotonic_increasing
    assert s["periode"].tolist()[-1] == "2025"
    assert "Convention" in s["source"].iloc[-1]
    assert (s["citation"].str.len() > 20).all()


def test_every_headline_series_has_points(territory) -> None:
    for spec in HEADLINE:
        assert len(series(territory, spec.indicator)) >= 2, spec.indicator


def test_unknown_series_is_empty_not_an_error(territory) -> None:
    assert series(territory, "nexiste_pas").empty


def test_epci_breakdown_marks_uncovered_signatories(territory) -> None:
    table = epci_breakdown(territory)
    signatories = set(territory.epci.loc[territory.epci["signataire"], "nom"])
    assert signatories <= set(table["EPCI"])
    gaps = table[table["Date"] == "non renseigné"]
    covered = table[table["Date"] != "non renseigné"]
    assert not set(gaps["EPCI"]) & set(covered["EPCI"])
    assert "Communauté d'agglomération de Lens - Liévin" in set(covered["EPCI"])


def test_qualifier_keeps_the_sources_words() -> None:
    assert qualifier("plus de 15500 foyers", False) == "plus de"
    assert qualifier("15500 foyers", True) == "≈"
    assert qualifier("15500 foyers", False) == ""
