"""AppTest smoke tests: every page runs on the real data without an exception or an error box."""

from __future__ import annotations

from html import escape as html_escape
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def _texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_carte_page_runs_and_shows_key_figures() -> None:
    at = _app().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    # A one-line header (the map fills the window under it): the page's only h1.
    assert sum("<h1>Carte ERBM</h1>" in m.value for m in at.markdown) == 1
    # The key figures are one Markdown table (no st.metric: its code held the map back).
    assert list(at.metric) == []
    table = next(m.value for m in at.markdown if m.value.startswith("| Communes |"))
    rows = table.split("\n")
    assert rows[0] == "| Communes | Habitants | Cités de l'inventaire | Communes BUD | Logements réhabilités (1) |"
    assert rows[2] == "| **250** | **1\u202f185\u202f930** | **59** | **159** | **plus de 15\u202f500** |"
    # Each figure's source and date under it; the source's own sentence as a numbered note.
    assert "Arrêtés du 14/02/2018 et du 11/04/2019 · 2019\\-04\\-11" in rows[3]
    assert "\\(1\\) Logements réhabilités : « A mi 2025" in rows[-1] and "plus de 15500 foyers" in rows[-1]
    assert "59 cité(s) affichée(s) sur 59" in _texts(at)


def test_filter_changes_the_count_everywhere() -> None:
    at = _app().run()
    status = next(ms for ms in at.sidebar.multiselect if ms.label == "Statut")
    status.select("travaux logements").run()
    assert not at.exception
    text = _texts(at)
    n = int(text.split(" cité(s) affichée(s) sur 59")[0].rsplit("**", 1)[-1])
    assert 0 < n < 59
    assert f"{n} cité(s) sur 59 après filtres." in text


def test_search_selects_and_shows_the_record() -> None:
    at = _app().run()
    at.sidebar.text_input[0].input("lievin").run()
    hits = [b for b in at.sidebar.button if b.label.startswith("Liévin (62510)")]
    assert len(hits) == 1
    hits[0].click().run()
    assert not at.exception
    assert any(s.value == "Liévin" for s in at.subheader)


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("views/cites.py", "Cités minières de l'ERBM"),
        ("views/sources.py", "Sources et qualité des données"),
        ("views/programme.py", "Le programme en chiffres"),
    ],
)
def test_other_pages_run(page: str, title: str) -> None:
    at = _app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    import html

    headers = [html.unescape(m.value) for m in at.markdown]
    titles = [t.value for t in at.title] + [h for h in headers if f"<h1>{title}</h1>" in h]
    assert title in titles[0], titles


def test_broken_data_shows_a_french_message_not_a_trace(data_copy, monkeypatch) -> None:
    (data_copy / "cites.parquet").write_bytes(b"not a parquet file")
    monkeypatch.setenv("ERBM_DATA_DIR", str(data_copy))
    at = _app().run()
    assert not at.exception
    message = at.error[0].value
    assert "Les données de la carte ne peuvent pas être chargées" in message
    assert "cites.parquet" in message and "fichier illisible" in message
    assert "Traceback" not in message
    # Issue #18, finding 4: neither the server's folders nor the library's words reach a visitor.
    assert str(data_copy) not in message and "/" not in message.replace("/s", "")
    assert "ArrowInvalid" not in message and "magic bytes" not in message


def test_territory_page_opens_from_a_link_and_its_figures_equal_the_data(territory) -> None:
    at = _app()
    at.query_params["commune"] = "62498"
    at.switch_page("views/territoire.py").run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    assert at.header[0].value == "Lens"
    lens = territory.communes.set_index("insee").loc["62498"]
    cites = territory.cites[territory.cites["insee"] == "62498"]
    html = "\n".join(m.value for m in at.markdown)
    population = f"{int(lens['population']):,}".replace(",", "\u202f")
    assert population in html
    assert html_escape(lens["epci_nom"]) in html
    assert any(s.value == f"Cités ({len(cites)})" for s in at.subheader)
    table = next(df.value for df in at.dataframe if "Cité" in df.value.columns)
    assert sorted(table["Cité"]) == sorted(cites["nom"])


def test_territory_page_with_unknown_code_says_so() -> None:
    at = _app()
    at.query_params["epci"] = "123"
    at.switch_page("views/territoire.py").run()
    assert not at.exception
    assert any("EPCI inconnu « 123 »" in w.value for w in at.warning)


def test_a_filter_matching_no_cite_draws_an_empty_layer_not_an_error() -> None:
    at = _app()
    at.query_params["statut"] = "travaux espaces publics"
    at.query_params["bailleur"] = "SIA"
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    assert "0 cité(s) affichée(s) sur 59" in _texts(at)


def test_link_warnings_cannot_inject_markdown() -> None:
    at = _app()
    at.query_params["commune"] = "[Cliquez ici](https://phish.example) ![](https://tracker.example/p.png)"
    at.run()
    assert not at.exception
    warning = at.warning[0].value
    assert "](https://phish.example)" not in warning
    assert r"\[Cliquez ici\]\(https" + "\u200b://phish" in warning
