"""Scaling out: two app instances on one PostgreSQL see each other's updates.

Instance A has an editor account; instance B has none, like a read-only public front. A planner
imports a file on A, and a visitor of B sees the new version and the new value on their next run.
"""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, streamlit_server
from tests.store_support import fresh_database_url

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CSV = "id;statut;logements;source;version_base\r\n102;livrée;140;Courrier du bailleur;1\r\n"


@pytest.fixture()
def two_instances(tmp_path):
    from domain.accounts import hash_password

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[editeurs]\nmarie = "{hash_password("bon mot de passe")}"\n', encoding="utf-8")
    with fresh_database_url("postgresql", tmp_path) as url:
        env = {"ERBM_DATABASE_URL": url}
        with (
            streamlit_server(extra=("--secrets.files", str(secrets)), env=env, log_name="instance-a") as (a, _),
            streamlit_server(
                extra=("--secrets.files", str(tmp_path / "none.toml")), env=env, log_name="instance-b"
            ) as (
                b,
                _,
            ),
        ):
            yield a, b, url


def _sidebar_version(page) -> str:
    caption = page.get_by_text("Données : version", exact=False).first
    caption.wait_for(timeout=90_000)
    return caption.inner_text()


def test_an_import_on_one_instance_is_seen_by_the_other(browser, two_instances, tmp_path) -> None:
    a, b, url = two_instances
    ctx_a = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    ctx_b = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page_a, page_b = ctx_a.new_page(), ctx_b.new_page()
    try:
        page_b.goto(b + "/?cite=102")
        assert _sidebar_version(page_b).startswith("Données : version 1 du")
        page_b.get_by_text("travaux logements", exact=False).first.wait_for(timeout=60_000)

        page_a.goto(a + "/")
        page_a.get_by_role("link", name="Mise à jour").click()
        page_a.get_by_label("Identifiant").fill("marie")
        page_a.get_by_label("Mot de passe", exact=True).fill("bon mot de passe")
        page_a.get_by_role("button", name="Se connecter").click()
        page_a.get_by_text("Connecté : marie").wait_for(timeout=60_000)
        csv = tmp_path / "maj.csv"
        csv.write_bytes(CSV.encode("utf-8"))
        page_a.locator('input[type="file"]').set_input_files(str(csv))
        page_a.get_by_text("modification(s) par rapport à la version 1").wait_for(timeout=60_000)
        page_a.get_by_role("button", name="Enregistrer la version").click()
        page_a.get_by_text("Version 2 enregistrée").wait_for(timeout=60_000)

        # B's next run (here: following a navigation link) reads the head written through A.
        page_b.get_by_role("link", name="Historique").click()
        page_b.get_by_text("2 version(s)", exact=False).wait_for(timeout=60_000)
        page_b.get_by_role("link", name="Carte").click()
        page_b.get_by_text("Données : version 2 du", exact=False).wait_for(timeout=60_000)
        assert "marie" in _sidebar_version(page_b)
        page_b.goto(b + "/?cite=102")
        page_b.get_by_text("Mise à jour n° 2 de Carte ERBM", exact=False).first.wait_for(timeout=60_000)
        panel = page_b.get_by_text("Courrier du bailleur", exact=False).first
        assert panel.is_visible()
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page_a.screenshot(path=str(ARTIFACTS / "two-instances-a.png"), full_page=True)
        page_b.screenshot(path=str(ARTIFACTS / "two-instances-b.png"), full_page=True)
        raise
    finally:
        ctx_a.close()
        ctx_b.close()
