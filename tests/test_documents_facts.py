"""Cité and road facts follow the programme documents: quotes verbatim, the six first operations,
multi-commune cités in each of their communes, roads' own figures, past announcements kept as such."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from domain.filters import CiteFilter, apply, facet_counts
from domain.membership import cites_of_commune
from domain.metrics import commune_values
from domain.offinventory import cites_outside_inventory
from domain.profile import profile
from domain.records import record
from domain.urlstate import ViewState, from_params, to_params
from tests.sources_support import SOURCES, missing_pieces

SOMAIN, ABSCON, CHAUFFOUR = "59574", "59002", "10020"
FIRST_OPERATIONS = {
    "853": "Cité Heurteau",  # Hornaing
    "10010": "Rés. du Parc",  # Méricourt (« Cité du Parc » in the press kit)
    "102": "Cité des Alouettes",  # Bully-les-Mines
    "680": "Cité des Acacias",  # Condé-sur-l'Escaut (« Cité Acacias Nouvelle »)
    "262": "Cité des Genettes",  # Liévin
    "100034": "Cité Sabatier",  # Raismes
}


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(SOURCES / name, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", ["cite_facts.csv", "road_facts.csv", "cites_hors_inventaire.csv"])
def test_every_quote_is_verbatim_in_its_document(name) -> None:
    table = _csv(name)
    wrong = [
        (i + 2, d, missing_pieces(d, q)[:1])
        for i, (d, q) in enumerate(zip(table["doc_id"], table["quote"], strict=True))
        if missing_pieces(d, q)
    ]
    assert not wrong


def test_the_six_first_operations_of_the_press_kit_are_flagged(territory) -> None:
    flagged = territory.cites[territory.cites["premieres_operations"]]
    assert dict(zip(flagged["id"], flagged["nom"], strict=True)) == FIRST_OPERATIONS
    assert (flagged["premieres_operations_source"] == "seed-000").all()


def test_sabatier_and_acacias_show_the_press_kit_counts(territory) -> None:
    cites = territory.cites.set_index("id")
    assert cites.loc["100034", "logements"] == 193 and cites.loc["680", "logements"] == 88
    assert cites.loc["100034", "logements_source"].startswith("seed-000")
    facts = {f.label: f for f in record(territory, "cite", "100034").facts}
    assert facts["Logements"].value == "193"
    assert facts["Logements (fait publié)"].quote.startswith("193 logements à la Cité Sabatier à Raismes (Nord)")


def test_documented_counts_and_completions_are_used(territory) -> None:
    cites = territory.cites.set_index("id")
    # Cité des Arts, in the cité n°9 of Lens: 94 then 171 logements (mid-term review).
    assert cites.loc["219", "logements"] == 171 and cites.loc["219", "statut"] == "livrée"
    # The 118 SIA logements of Méricourt: rehabilitation completed, with its date.
    assert (cites.loc["10010", "statut"], cites.loc["10010", "statut_date"]) == ("livrée", "2021-09-25")


def test_a_multi_commune_cite_belongs_to_each_of_its_communes(territory) -> None:
    chauffour = territory.cites.set_index("id").loc[CHAUFFOUR]
    assert chauffour["insee"] == ABSCON  # its point lies in Abscon
    assert chauffour["insee_communes"] == f"{ABSCON}|{SOMAIN}"
    for insee in (SOMAIN, ABSCON):
        assert CHAUFFOUR in set(cites_of_commune(territory.cites, insee)["id"])
        assert "Cité du Chauffour" in [c.nom for c in profile(territory, "commune", insee).cites]
        assert any(r[1] == CHAUFFOUR for r in record(territory, "commune", insee).related)
    counts = commune_values(territory, "cites")
    assert counts[SOMAIN] >= 1 and counts[ABSCON] >= 1
    somain_only = apply(territory.cites, CiteFilter(commune=("Somain",)))
    assert CHAUFFOUR in set(somain_only["id"])
    assert facet_counts(territory.cites, CiteFilter(), "commune")["Somain"] == len(somain_only)
    epci = facet_counts(territory.cites, CiteFilter(), "epci")
    assert epci["Communauté d'agglomération Cœur d'Ostrevent"] >= 1
    # A link filtered on Somain keeps the filter (communes travel as INSEE codes).
    state = ViewState(cite_filter=CiteFilter(commune=("Somain",)))
    params = to_params(state, territory)
    assert params["commune_filtre"] == [SOMAIN]
    assert from_params(params, territory)[0].cite_filter.commune == ("Somain",)


def test_cites_named_but_outside_the_inventory_are_listed() -> None:
    table = cites_outside_inventory()
    assert {"cité Taffin", "Cité d'Orient", "cité Bernard", "cité de Louches"} <= set(table["nom"])
    assert table["doc_id"].str.match(r"^(seed|web)-\d{3}$").all()


def test_roads_carry_their_own_figures(territory) -> None:
    roads = territory.roads.set_index("id")
    rn17 = roads.loc["rn17"]
    assert rn17["cout"] == "26\u202f200\u202f000 €" and rn17["cout_eur"] == 26_200_000
    assert rn17["financeurs"] == "État (100 %) : 26\u202f200\u202f000 €"
    assert rn17["achevement"] == "novembre 2021"
    echangeur = roads.loc["a21-echangeur-31"]
    assert echangeur["financeurs"] == "État : 2\u202f000\u202f000 € ; Région Hauts-de-France : 1\u202f000\u202f000 €"
    assert echangeur["achevement"] == "mars 2022"
    cnv = roads.loc["contournement-nord-valenciennes"]
    assert cnv["cout"] == "près de 125\u202f000\u202f000 €" and cnv["debut"] == "2016"
    assert "Valenciennes Métropole : 15\u202f400\u202f000 €" in cnv["financeurs"]
    assert "Porte du Hainaut : 750\u202f000 €" in cnv["financeurs"]
    a21 = json.loads(roads.loc["a21", "chiffres"])
    assert a21 == [
        {
            "champ": "Investi",
            "texte": "plus de 58\u202f000\u202f000 € ; depuis 2017 (convention du 2 septembre 2025) ; « plus de » ; "
            "investis depuis 2017",
            "source": "seed-004, Faciliter les mobilités du quotidien",
            "citation": "Plus de 58M€ ont été ainsi investis sur l'A21",
        }
    ]
    programme = [c for c in json.loads(echangeur["chiffres"]) if c["champ"] == "Programme d'ensemble"]
    assert "4\u202f000\u202f000 €" in programme[0]["texte"]
    note = [c for c in json.loads(rn17["chiffres"]) if c["champ"] == "Remarque"]
    assert note[0]["citation"] == "la mise à 2X2 voies de la RN17 entre Vimy et Arras"


def test_road_figures_reach_the_side_panel_and_the_fiche(territory) -> None:
    facts = {f.label: f.value for f in record(territory, "route", "rn17").facts}
    assert facts["Coût"] == "26\u202f200\u202f000 €" and facts["Achèvement"] == "novembre 2021"
    lines = {r.id: r for r in profile(territory, "commune", "62065").roads}  # Avion
    assert "coût : 26\u202f200\u202f000 €" in lines["rn17"].chiffres
    assert "achèvement : novembre 2021" in lines["rn17"].chiffres


def test_a_past_announcement_is_not_shown_as_done(territory) -> None:
    statut = territory.roads.set_index("id").loc["contournement-nord-valenciennes", "statut"]
    # Announced for 24/11/2025, a date now past; no source confirms the opening.
    assert "ouverture complète annoncée pour le 24/11/2025 (annonce" in statut
    assert "aucune source consultée ne confirme" in statut
    assert not any(word in statut for word in ("ouvert en totalité", "en service", "achevé le", "livré"))
