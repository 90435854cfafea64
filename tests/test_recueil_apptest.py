"""The binder in the app: Mon territoire builds an EPCI's binder with a progress bar and offers it;
a second session asking for the same binder is served from the cache; the Cités page binds the
filtered cités."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import streamlit as st
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from fiche import recueil as fiche_recueil
from ui import recueil as ui_recueil

ROOT = Path(__file__).resolve().parent.parent
SAINT_OMER = "200069037"  # 3 communes in the perimeter


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)


def _binders(scope: str) -> dict[tuple[str, ...], bytes]:
    return {k: v for k, v in ui_recueil._CACHE.items() if k[3] == scope}


def _build(at: AppTest, label: str) -> AppTest:
    button = next(b for b in at.button if b.label == label)
    button.click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    return at


class ProgressSpy:
    """Stands for ``st.progress``: each bar the app makes is the real one, its updates noted."""

    def __init__(self, real) -> None:
        self.real, self.updates = real, []

    def __call__(self, value, text=None):
        self.updates.append((value, text))
        spy, bar = self, self.real(value, text=text)

        class Bar:
            def progress(self, value, text=None):
                spy.updates.append((value, text))
                return bar.progress(value, text=text)

            def empty(self):
                return bar.empty()

        return Bar()


def test_epci_binder_is_built_then_served_from_cache(territory, monkeypatch) -> None:
    ui_recueil._CACHE.clear()
    spy = ProgressSpy(st.progress)
    monkeypatch.setattr(st, "progress", spy)
    at = _app()
    at.query_params["epci"] = SAINT_OMER
    at.switch_page("views/territoire.py").run()
    assert not at.exception, at.exception
    _build(at, "Recueil PDF des communes")
    binders = _binders("epci")
    assert len(binders) == 1
    ((key, pdf),) = binders.items()
    reader = PdfReader(io.BytesIO(pdf))
    members = territory.perimeter_communes
    names = sorted(members.loc[members["epci_siren"] == SAINT_OMER, "nom"])
    assert [o.title.rsplit(" (", 1)[0] for o in reader.outline[2:]] == names
    assert key[4] == SAINT_OMER
    # A real progress bar, moved on after each of the 3 sheets while the binder was built.
    assert spy.updates == [(0.0, "Recueil : 0 fiche sur 3")] + [
        (done / 3, f"Recueil : {done} fiche(s) sur 3") for done in (1, 2, 3)
    ]
    spy.updates.clear()

    def no_second_rendering(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("rendered again instead of served from the cache")

    monkeypatch.setattr(fiche_recueil, "render_binder", no_second_rendering)
    other = _app()  # another session asks for the same binder
    other.query_params["epci"] = SAINT_OMER
    other.switch_page("views/territoire.py").run()
    _build(other, "Recueil PDF des communes")
    assert _binders("epci") == binders
    assert spy.updates == [(0.0, "Recueil : 0 fiche sur 3")]  # served at once: the bar never moved
    assert [b.label for b in other.download_button] == ["Télécharger le recueil PDF"]


def test_commune_page_offers_no_binder() -> None:
    at = _app()
    at.query_params["commune"] = "62498"
    at.switch_page("views/territoire.py").run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.label.startswith("Recueil PDF")]


@pytest.mark.parametrize("statut", ["travaux espaces publics"])
def test_cites_page_binds_the_filtered_cites(territory, statut) -> None:
    ui_recueil._CACHE.clear()
    at = _app()
    at.query_params["statut"] = statut
    at.switch_page("views/cites.py").run()
    assert not at.exception, at.exception
    _build(at, "Recueil PDF des cités filtrées")
    ((key, pdf),) = _binders("cites").items()
    wanted = territory.cites[territory.cites["statut"] == statut]
    assert 0 < len(wanted) < len(territory.cites)
    assert sorted(key[5].split(",")) == sorted(wanted["id"])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.outline) == 2 + len(wanted)
    assert f"sélection : Statut : {statut}" in reader.pages[0].extract_text().replace("\n", " ")
