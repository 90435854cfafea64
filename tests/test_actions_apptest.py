"""The programme's actions in the app: filters with counts on the map page, the panel of an action
found by the search, « Ce que le programme fait ici », and the Programme and Sources sections."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def _texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_action_filters_count_and_filter_the_layer() -> None:
    at = _app().run()
    theme = next(ms for ms in at.sidebar.multiselect if ms.label == "Thème de l'action")
    assert "120 action(s) sur 120 après filtres." in _texts(at)
    theme.select("santé").run()
    assert not at.exception, at.exception
    assert "36 action(s) sur 120 après filtres." in _texts(at)
    status = next(ms for ms in at.sidebar.multiselect if ms.label == "Avancement de l'action")
    assert any(o.startswith("études (13)") for o in status.options)


def test_search_opens_the_record_of_an_action() -> None:
    at = _app().run()
    at.sidebar.text_input[0].input("micro-lycee").run()
    hit = next(b for b in at.sidebar.button if b.label.startswith("Micro-lycée de Liévin"))
    hit.click().run()
    assert not at.exception, at.exception
    assert any(s.value == "Micro-lycée de Liévin (45 places)" for s in at.subheader)


def test_territory_page_says_what_the_programme_does_here() -> None:
    at = _app()
    at.query_params["commune"] = "59172"
    at.switch_page("views/territoire.py").run()
    assert not at.exception, at.exception
    assert any(s.value == "Ce que le programme fait ici (11 actions)" for s in at.subheader)
    tables = [df.value for df in at.dataframe if "Action" in df.value.columns]
    assert "Requalification de la friche des Pierres Blanches (ZAC, 80 ha)" in set().union(
        *(set(t["Action"]) for t in tables)
    )


def test_programme_and_sources_pages_count_the_actions() -> None:
    at = _app().run()
    at.switch_page("views/programme.py").run()
    assert not at.exception, at.exception
    summary = next(df.value for df in at.dataframe if "Actions sans montant" in df.value.columns)
    assert int(summary["Actions"].sum()) == 120
    row = summary.set_index("Thème").loc["Centralités"]
    assert row["Somme des montants donnés"] == "293\u202f000\u202f000 €"
    at.switch_page("views/sources.py").run()
    assert not at.exception, at.exception
    non_placed = next(df.value for df in at.dataframe if "Pourquoi non placé" in df.value.columns)
    assert len(non_placed) == 22
    positions = next(df.value for df in at.dataframe if "Position" in df.value.columns)
    assert positions["Actions"].tolist() == [0, 120]


def test_a_communes_panel_lists_its_actions_and_opens_one(territory) -> None:
    """Issue #14, item 4: the side panel of a commune lists the programme's actions there."""
    from domain.profile.programme import programme_here

    at = _app()
    at.query_params["commune"] = "62498"
    at.run()
    assert not at.exception, at.exception
    here = programme_here(territory, "commune", "62498")
    assert here.count == 12
    assert f"**Actions du programme ici ({here.count})**" in [m.value for m in at.markdown]
    hospital = next(b for b in at.button if b.label.startswith("Reconstruction de l'hôpital de Lens"))
    hospital.click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Reconstruction de l'hôpital de Lens") for s in at.subheader)
