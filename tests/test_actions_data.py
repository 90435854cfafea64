"""The programme's located actions (data/sources/actions*.csv): each fact proven by a verbatim quote
of the seed it cites, each place a real commune of Nord or Pas-de-Calais, each amount in euros,
each date at a precision it can be read at; and the built layer that follows them."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from data.actions import _spread, build_actions
from domain.actiondates import french_fuzzy_date, parse_fuzzy_date
from domain.actions import (
    ACTION_STATUSES,
    AMOUNT_NATURES,
    THEMES,
    counts,
    load_actions,
    summable_amounts,
    theme_summary,
)
from geo.errors import DataFileError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(SOURCES / name, dtype=str, keep_default_na=False)


ACTIONS = _read("actions.csv")
FACTS = _read("actions_faits.csv")
NON_PLACED = _read("actions_non_placees.csv")
DOCUMENTS = _read("documents.csv").set_index("doc_id")
COMMUNES = gpd.read_parquet(ROOT / "data" / "communes.parquet", columns=["insee", "nom", "dep", "geometry"])


def _seeds_dir() -> Path:
    """The programme documents, committed under data/sources/seeds/ so that CI checks every quote."""
    return ROOT / "data" / "sources" / "seeds"


def _normalised(text: str) -> str:
    # Whitespace as one space (the seeds break lines anywhere), markdown bold markers and
    # typographic apostrophes set aside (seed-002 writes ’ where the others write ').
    return re.sub(r"\s+", " ", text.replace("**", "").replace("\u2019", "'")).strip()


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    folder = _seeds_dir()
    seeds = DOCUMENTS[DOCUMENTS["kind"] == "seed"]
    return {doc: _normalised((folder / row.location).read_text(encoding="utf-8")) for doc, row in seeds.iterrows()}


def _quotes() -> list[tuple[str, str, str]]:
    out = []
    for frame, name in ((ACTIONS, "actions"), (FACTS, "faits"), (NON_PLACED, "non placées")):
        for row in frame.itertuples(index=False):
            out.append((name, row.document, row.citation))
    for row in ACTIONS[ACTIONS["statut_citation"] != ""].itertuples(index=False):
        out.append(("statut", row.statut_document, row.statut_citation))
    return out


def test_every_quote_is_found_verbatim_in_the_seed_it_cites(seed_texts) -> None:
    quotes = _quotes()
    assert len(quotes) == 120 + 82 + 22 + 9
    missing = [(kind, doc, q[:60]) for kind, doc, q in quotes if _normalised(q) not in seed_texts[doc]]
    assert missing == []


def test_a_changed_quote_is_not_found(seed_texts) -> None:
    quote = _normalised(ACTIONS.set_index("id").loc["hopital-lens", "citation"])
    assert quote in seed_texts["seed-001"]
    assert quote.replace("611", "612") not in seed_texts["seed-001"]


def test_ids_are_unique_and_every_fact_names_a_known_action() -> None:
    assert ACTIONS["id"].is_unique
    assert len(ACTIONS) == 120
    assert set(FACTS["action_id"]) <= set(ACTIONS["id"])


def test_every_commune_exists_and_lies_in_nord_or_pas_de_calais() -> None:
    deps = COMMUNES.set_index("insee")["dep"]
    codes = [c for cell in ACTIONS["communes"] for c in cell.split("|")]
    assert len(codes) == 171
    assert [c for c in codes if c not in deps.index] == []
    assert set(deps.loc[codes]) == {"59", "62"}


def test_places_are_the_ones_the_quotes_name() -> None:
    by_id = ACTIONS.set_index("id")
    names = COMMUNES.set_index("insee")["nom"]
    assert [names[c] for c in by_id.loc["hopital-lens", "communes"].split("|")] == ["Lens"]
    assert [names[c] for c in by_id.loc["internats-excellence", "communes"].split("|")] == [
        "Valenciennes",
        "Béthune",
        "Douai",
    ]
    assert len(by_id.loc["petites-villes-de-demain", "communes"].split("|")) == 11
    assert by_id.loc["msp-baralle", "communes"] == "62081"


def test_vocabularies_are_closed_and_every_theme_has_an_action() -> None:
    assert set(ACTIONS["theme"]) == set(THEMES)
    assert set(ACTIONS["statut"]) <= set(ACTION_STATUSES)
    assert set(ACTIONS["position"]) == {"commune"}  # no seed publishes a site's coordinates
    assert set(FACTS["kind"]) == {"montant", "date_annonce", "date_debut", "date_livraison"}
    assert set(FACTS.loc[FACTS["kind"] == "montant", "nature"]) == set(AMOUNT_NATURES)


def test_amounts_are_positive_whole_euros() -> None:
    money = FACTS[FACTS["kind"] == "montant"]
    assert len(money) == 40
    assert all(v.isdigit() and int(v) > 0 for v in money["valeur"])
    hospital = money[money["action_id"] == "hopital-lens"]
    assert sorted(hospital["valeur"].astype(int)) == [1_900_000, 192_000_000]
    assert set(hospital["financeur"]) == {
        "Agence régionale de santé",
        "Département du Pas-de-Calais (accès à l'hôpital)",
    }


def test_dates_parse_at_the_precision_they_are_written() -> None:
    dates = FACTS[FACTS["kind"] != "montant"]
    assert len(dates) == 42
    for row in dates.itertuples(index=False):
        assert parse_fuzzy_date(row.valeur).precision == row.precision, row
    hospital = dates[dates["action_id"] == "hopital-lens"].set_index("document")
    assert sorted(dates.loc[dates["action_id"] == "hopital-lens", "valeur"]) == ["2023", "2027", "automne-2026"]
    assert hospital.loc["seed-001", "precision"] == "saison"


@pytest.mark.parametrize(
    ("text", "shown", "start", "end"),
    [
        ("2022-03-15", "15 mars 2022", "2022-03-15", "2022-03-15"),
        ("2022-03", "mars 2022", "2022-03-01", "2022-03-31"),
        ("2019-T4", "4e trimestre 2019", "2019-10-01", "2019-12-31"),
        ("2020-S1", "1er semestre 2020", "2020-01-01", "2020-06-30"),
        ("2025", "2025", "2025-01-01", "2025-12-31"),
        ("mi-2025", "mi-2025", "2025-05-01", "2025-08-31"),
        ("fin-2018", "fin 2018", "2018-09-01", "2018-12-31"),
        ("automne-2026", "automne 2026", "2026-09-01", "2026-12-31"),
    ],
)
def test_a_fuzzy_date_keeps_its_precision(text, shown, start, end) -> None:
    parsed = parse_fuzzy_date(text)
    assert (french_fuzzy_date(text), parsed.start.isoformat(), parsed.end.isoformat()) == (shown, start, end)


@pytest.mark.parametrize("text", ["2022-13", "2022-02-30", "2025-T5", "vers 2025", "31/12/2025"])
def test_an_impossible_date_is_refused_in_french(text) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_fuzzy_date(text)


def test_the_sum_counts_costs_else_fundings_and_never_shared_amounts() -> None:
    amounts = summable_amounts(FACTS)
    assert amounts["hopital-lens"] == 193_900_000  # two fundings, no total cost given
    assert amounts["fret-valenciennes-mons"] == 735_000 + 8_300_000  # studies + works costs, not the State's share
    assert amounts["msp-baralle"] == 3_100_000  # total cost, its 1 M€ from the Région is inside it
    assert "reseau-chaleur-bethune" not in amounts  # only the ADEME's amount for several networks


def test_the_build_links_each_action_to_each_of_its_communes() -> None:
    points = build_actions(COMMUNES.assign(epci_siren="200000000", epci_nom="EPCI"))
    assert len(points) == 171
    assert points["id"].nunique() == 120
    lens = points[points["insee"] == "62498"]
    assert len(lens) == 12
    assert len({(round(p.x), round(p.y)) for p in lens.geometry}) == len(lens)
    area = COMMUNES.set_index("insee").loc["62498", "geometry"]
    assert all(area.contains(p) for p in lens.geometry)


def test_spread_points_stay_in_their_commune_and_apart() -> None:
    area = COMMUNES.set_index("insee").loc["59178", "geometry"]  # Douai
    base = area.point_on_surface()
    pts = [_spread(base, area, k) for k in range(8)]
    assert all(area.contains(p) for p in pts)
    assert len({(round(p.x), round(p.y)) for p in pts}) == 8


def test_a_bad_row_is_refused_with_its_line_and_field(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    bad = ACTIONS.copy()
    bad.loc[3, "communes"] = "99999"
    bad.loc[5, "theme"] = "sport"
    bad.to_csv(folder / "actions.csv", index=False)
    for name in ("actions_faits.csv", "documents.csv"):
        (folder / name).write_bytes((SOURCES / name).read_bytes())
    monkeypatch.setattr("data.actions.sources_dir", lambda: folder)
    with pytest.raises(DataFileError) as err:
        build_actions(COMMUNES.assign(epci_siren="200000000", epci_nom="EPCI"))
    text = str(err.value)
    assert "99999" in text and "sport" in text


def test_loaded_layer_counts_and_theme_summary() -> None:
    actions = load_actions(data_dir=ROOT / "data")
    c = counts(actions)
    assert (c["count"], c["links_to_communes"], c["non_placed"]) == (120, 171, 22)
    assert c["by_theme"] == {
        "logement": 8,
        "mobilité": 15,
        "santé": 36,
        "éducation-insertion": 22,
        "économie-foncier": 9,
        "énergie-environnement": 15,
        "culture-patrimoine-nature": 11,
        "centralités": 4,
    }
    summary = theme_summary(actions).set_index("theme")
    assert summary.loc["centralités", "montant"] == 293_000_000
    assert summary["actions"].sum() == 120
    assert (summary["avec_montant"] + summary["sans_montant"] == summary["actions"]).all()


def test_inventory_and_export_carry_the_actions() -> None:
    import json

    from domain.actions import export_frame
    from domain.export import to_geojson
    from domain.inventory import inventory
    from geo.load import load_territory

    data = ROOT / "data"
    inv = inventory(load_territory(data_dir=data), data_dir=data)
    assert inv["actions"]["count"] == 120
    assert inv["actions"]["by_theme"]["mobilité"] == 15
    geo = json.loads(to_geojson(export_frame(load_actions(data_dir=data)), stamp={"couche": "actions"}))
    assert len(geo["features"]) == 171
    hospital = next(f["properties"] for f in geo["features"] if f["properties"]["id"] == "hopital-lens")
    assert hospital["position"] == "commune"
    assert "192\u202f000\u202f000 € (Agence régionale de santé ; seed-001)" in hospital["montants"]
    assert "Livraison ou mise en service : automne 2026 (seed-001)" in hospital["dates"]
    lon, lat = next(f["geometry"]["coordinates"] for f in geo["features"] if f["properties"]["id"] == "hopital-lens")
    assert 2.7 < lon < 2.9 and 50.4 < lat < 50.5
