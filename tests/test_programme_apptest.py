"""The Programme page charts series only and searches the other facts; the Sources page lists the
cités the documents name outside the inventory."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def _page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _facts_table(at: AppTest):
    # The facts' table is the one with a definition per row (the page also has the actions' table).
    return next(d.value for d in at.dataframe if "Définition" in d.value.columns)


def test_programme_page_charts_series_and_searches_the_facts(territory) -> None:
    from domain.programme import charted_series, single_facts

    at = _page("views/programme.py")
    definitions = [c.value for c in at.caption if c.value.startswith("Définition : ")]
    assert len(definitions) == len(charted_series(territory)) >= 4
    facts = _facts_table(at)
    assert len(facts) == len(single_facts(territory))
    at.text_input(key="prog_q").input("creations 2018").run()
    found = _facts_table(at)
    assert found["Indicateur"].tolist() == ["Créations d'entreprises en zone BUD au cours de l'année 2018"]
    assert found["Valeur"].tolist() == [328.0]


def test_sources_page_lists_cites_outside_the_inventory() -> None:
    at = _page("views/sources.py")
    assert any(s.value.startswith("Cités citées mais hors inventaire (") for s in at.subheader)
    table = next(d.value for d in at.dataframe if "Cité (nom du document)" in d.value.columns)
    assert {"cité Taffin", "Cité d'Orient", "cité Bernard", "cité de Louches"} <= set(table["Cité (nom du document)"])
