"""Programme series: one measure per series, real points in order, each with its source."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.figures import resolve_figure
from domain.programme import charted_series, epci_breakdown, qualifier, series, single_facts
from tests.sources_support import SOURCES, missing_pieces

INDICATORS = pd.read_csv(SOURCES / "indicators.csv", dtype=str, keep_default_na=False)


def test_housing_series_has_its_dated_points_and_sources(territory) -> None:
    s = series(territory, "logements_rehabilites")
    assert sorted(s["valeur"].tolist()[:2]) == [7000.0, 8000.0] and s["valeur"].tolist()[-1] == 15500.0
    assert s["date"].is_monotonic_increasing
    # « A mi 2025 »: the document's precision, neither the end of 2025 nor a day.
    assert s["periode"].tolist()[-1] == "mi-2025"
    assert s["date"].iloc[-1] == pd.Timestamp("2025-06-30")
    assert "Convention" in s["source"].iloc[-1]
    assert (s["citation"].str.len() > 20).all()


def test_bud_communes_go_from_150_in_2018_to_159_in_2019(territory) -> None:
    s = series(territory, "bud_communes")
    assert list(zip(s["periode"], s["valeur"], strict=True)) == [("2018", 150.0), ("2019", 159.0)]
    assert "calculée" in INDICATORS.loc[INDICATORS["value"] == "159", "note"].iloc[0]


def test_every_indicator_has_one_definition_and_one_unit() -> None:
    assert (INDICATORS["definition"].str.len() > 10).all()
    per = INDICATORS.groupby("indicator").agg({"definition": "nunique", "unit": "nunique"})
    assert (per["definition"] == 1).all() and (per["unit"] == 1).all()


@pytest.mark.parametrize(
    ("indicator", "value", "other", "other_value"),
    [
        # 328 firms created during 2018 are not the « plus de 300 » firms that benefited by mid-2019.
        ("bud_creations_2018", 328, "bud_entreprises_creees", 300),
        # 40 M€ granted over 2021-2022 is not the cumulative 90 M€.
        ("subventions_espaces_publics_2021_2022", 40_000_000, "subventions_espaces_publics_accordees", 90_000_000),
        # A one-day event on the whole basin is not a week in two arrondissements.
        ("rsa_journee_2019_allocataires", 2500, "rsa_semaine_2022_allocataires", 2509),
    ],
)
def test_points_of_another_measure_are_another_indicator(indicator, value, other, other_value) -> None:
    by = INDICATORS.groupby("indicator")
    assert by.get_group(indicator)["value"].astype(float).tolist() == [value]
    assert value not in by.get_group(other)["value"].astype(float).tolist()
    assert other_value in by.get_group(other)["value"].astype(float).tolist()
    assert by.get_group(indicator)["definition"].iloc[0] != by.get_group(other)["definition"].iloc[0]


def test_no_duplicate_points() -> None:
    keys = INDICATORS[["indicator", "scope", "as_of", "value"]]
    assert not keys.duplicated().any(), INDICATORS[keys.duplicated(keep=False)][["indicator", "doc_id"]]
    # A restated figure keeps its other documents as « repris par », not as a second point.
    objectif = INDICATORS[INDICATORS["indicator"] == "logements_rehabilites_objectif"]
    assert len(objectif) == 1 and set(objectif["repris_par"].iloc[0].split(" ; ")) == {
        "seed-001",
        "seed-002",
        "seed-003",
    }


def test_every_quote_is_verbatim_in_the_document_it_cites() -> None:
    wrong = [
        (i + 2, d, missing_pieces(d, q)[:1])
        for i, (d, q) in enumerate(zip(INDICATORS["doc_id"], INDICATORS["quote"], strict=True))
        if missing_pieces(d, q)
    ]
    assert not wrong


def test_only_series_of_one_measure_with_two_dates_are_charted(territory) -> None:
    specs = {s.indicator: s for s in charted_series(territory)}
    assert {
        "logements_rehabilites",
        "bud_communes",
        "bud_entreprises_creees",
        "subventions_rehabilitation_accordees",
    } <= set(specs)
    assert specs["logements_rehabilites"].target == 23000 and specs["logements_rehabilites"].target_year == 2027
    # One point only, or two sources disagreeing on the same 2018 list: a fact of the table, not a chart.
    for single in (
        "bud_creations_2018",
        "heures_insertion",
        "rsa_journee_2019_allocataires",
        "logements_35_cites_prioritaires",
    ):
        assert single not in specs
    for spec in specs.values():
        points = series(territory, spec.indicator)
        assert points["date"].nunique() >= 2, spec.indicator
    facts = single_facts(territory)
    assert "Créations d'entreprises en zone BUD au cours de l'année 2018" in set(facts["Indicateur"])
    assert not set(facts["Indicateur"]) & {"Communes du « bassin urbain à dynamiser »"}


def test_a_figure_dated_mid_year_says_so(territory) -> None:
    assert resolve_figure(territory, "logements_rehabilites").date == "chiffre de mi-2025"


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
