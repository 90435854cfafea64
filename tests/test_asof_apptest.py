"""The whole app at a chosen version: latest by default, a past one from a link or the sidebar."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.load import load_territory
from store import Store, build_values

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def store_with_update(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{(tmp_path / 'erbm.sqlite').as_posix()}"
    monkeypatch.setenv("ERBM_DATABASE_URL", url)
    db = Store(url)
    db.ensure_build(build_values(load_territory().cites), label="test")
    db.apply(
        {"20": {"statut": "livrée", "logements": 212, "source": "courrier <img src=x onerror=alert(1)>"}},
        base_version=1,
        author="marie",
        note="comité",
    )
    return db


def _status_options(at: AppTest) -> list[str]:
    status = next(ms for ms in at.sidebar.multiselect if ms.label == "Statut")
    return list(status.options)


# The build's own « livrée » cités (Cité n°9 de Lens, Rés. du Parc); the update adds cité 20.
BUILD_LIVREES = int((load_territory().cites["statut"] == "livrée").sum())


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def test_latest_version_is_shown_by_default(store_with_update: Store) -> None:
    at = _app(cite="20").run()
    assert not at.exception, at.exception
    assert BUILD_LIVREES == 2
    assert f"livrée ({BUILD_LIVREES + 1})" in _status_options(at)
    captions = [c.value for c in at.sidebar.caption]
    assert any(
        c.startswith("Données : version 2 du") and c.endswith("\\(marie\\) (dernière version).") for c in captions
    )
    page = "\n".join(m.value for m in at.markdown)
    # The planner's reference is the status's quote, escaped.
    assert "courrier &lt;img src=x onerror=alert(1)&gt;" in page
    assert "Mise à jour n° 2 de Carte ERBM" in page


def test_a_link_with_a_version_shows_that_version(store_with_update: Store) -> None:
    at = _app(version="1").run()
    assert not at.exception, at.exception
    assert f"livrée ({BUILD_LIVREES})" in _status_options(at)  # the build's, not the update's
    warnings = [w.value for w in at.sidebar.warning]
    assert any("version 1 du" in w and "La version actuelle est la 2." in w for w in warnings)
    assert at.query_params["version"] in ("1", ["1"])


def test_the_sidebar_picker_goes_back_to_the_latest(store_with_update: Store) -> None:
    at = _app(version="1").run()
    at.sidebar.radio(key="asof_mode").set_value("Dernière version").run()
    assert not at.exception, at.exception
    assert f"livrée ({BUILD_LIVREES + 1})" in _status_options(at)
    assert "version" not in at.query_params


def test_a_bad_version_in_a_link_is_named_and_ignored(store_with_update: Store) -> None:
    at = _app(version="99").run()
    assert not at.exception
    assert any("« version » : « 99 » ignoré" in w.value for w in at.sidebar.warning)
    assert f"livrée ({BUILD_LIVREES + 1})" in _status_options(at)


def test_an_unreachable_store_falls_back_to_the_build(monkeypatch) -> None:
    monkeypatch.setenv("ERBM_DATABASE_URL", "postgresql+psycopg://nobody:x@127.0.0.1:1/absent")
    at = _app().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    assert any("Base des mises à jour injoignable" in w.value for w in at.sidebar.warning)
    assert "| **250** | **1\u202f185\u202f930** | **59** |" in "\n".join(m.value for m in at.markdown)


def test_switching_to_a_date_starts_on_today_and_shows_the_latest(store_with_update: Store) -> None:
    at = _app(version="1").run()
    at.sidebar.radio(key="asof_mode").set_value("À une date").run()
    assert not at.exception, at.exception
    # Today is after version 2: the data shown are version 2's, as the picker's date says.
    assert at.session_state["data_version"] == 2
    assert f"livrée ({BUILD_LIVREES + 1})" in _status_options(at)


def test_a_link_with_a_future_date_is_named_and_ignored(store_with_update: Store) -> None:
    at = _app(date="2999-01-01").run()
    assert not at.exception, at.exception
    assert any("« date » : « 2999\\-01\\-01 » ignoré \\(date à venir\\)" in w.value for w in at.sidebar.warning)
    assert f"livrée ({BUILD_LIVREES + 1})" in _status_options(at)


def test_a_link_with_a_date_before_the_first_version_is_ignored(store_with_update: Store) -> None:
    at = _app(date="2018-03-01").run()
    assert not at.exception, at.exception
    assert any("ignoré \\(aucune version à cette date\\)" in w.value for w in at.sidebar.warning)


def test_the_pdf_fiche_follows_the_version(store_with_update: Store, monkeypatch) -> None:
    """The fiche cache is keyed on the version: each version gets its own PDF, labelled with it."""
    from pypdf import PdfReader

    from domain.versions import territory_at
    from ui import asof, data, profile

    build = load_territory()
    shown: dict[str, object] = {}
    monkeypatch.setattr(data, "territory", lambda: shown["t"])
    monkeypatch.setattr(asof, "caption", lambda: shown["label"])

    def fiche(number: int) -> str:
        shown["t"] = territory_at(build, store_with_update, number)
        shown["label"] = f"version {number} (test)"
        pdf = profile.fiche_pdf("cite", "20", "b", f"v{number}-test")
        import io

        return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())

    profile.fiche_pdf.clear()
    first, second = fiche(1), fiche(2)
    assert "livrée" not in first and "valeurs des cités : version 1 (test)" in first
    assert "livrée" in second and "valeurs des cités : version 2 (test)" in second
    assert "Mise à jour n° 2 de Carte ERBM" in second
