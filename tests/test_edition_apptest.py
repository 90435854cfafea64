"""Mise à jour and Historique pages in AppTest: who may write, validation, versions and conflicts.

Each test gets its own SQLite store (``ERBM_DATABASE_URL``); the app seeds it from the build on its
first run, so version 1 holds the build's values.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from domain.accounts import hash_password

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bon mot de passe"
CITE = "102"  # Cité des Alouettes, Bully-les-Mines: travaux logements, 139 logements in the build
CITE_NAME = "Cité des Alouettes"
XSS = "<img src=x onerror=alert(1)> {{7*7}} ${7*7} [lien](https://phish.example)"


@pytest.fixture(scope="module")
def marie_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture()
def db_url(tmp_path, monkeypatch) -> str:
    from ui import auth

    url = f"sqlite:///{(tmp_path / 'erbm.sqlite').as_posix()}"
    monkeypatch.setenv("ERBM_DATABASE_URL", url)
    auth.reset_throttle()
    yield url
    auth.reset_throttle()


def open_store(url: str):
    from store import Store

    return Store(url)


def _page(at: AppTest, url_path: str) -> AppTest:
    # Opened directly, as a link to /mise-a-jour would be, without running the map page first.
    # Before a first run AppTest.switch_page only knows a page by its filename, while st.Page
    # identifies it by the hash of its url_path: set that hash.
    at._page_hash = calc_hash(url_path)
    at.run()
    assert not at.exception, at.exception
    return at


def edition(*, secrets: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    return _page(at, "mise-a-jour")


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.error, *at.warning, *at.info, *at.success)]
    return "\n".join(parts)


def write_widgets(at: AppTest) -> dict[str, int]:
    """Every widget that could lead to a write, counted."""
    return {
        "file_uploader": len(at.file_uploader),
        "data_editor": len(at.data_editor),
        "download_button": len(at.download_button),
        "save": sum(b.label in ("Enregistrer la version", "Restaurer cette version") for b in at.button),
    }


NO_WRITE_WIDGET = {"file_uploader": 0, "data_editor": 0, "download_button": 0, "save": 0}


def login(at: AppTest, login_name: str = "marie", password: str = PASSWORD) -> AppTest:
    at.text_input(key="erbm-login-user").input(login_name)
    at.text_input(key="erbm-login-password").input(password)
    next(b for b in at.button if b.label == "Se connecter").click().run()
    assert not at.exception, at.exception
    return at


def logged_in(marie_hash: str) -> AppTest:
    at = edition(secrets={"editeurs": {"marie": marie_hash}})
    return login(at)


def csv_bytes(rows: list[str], header: str = "id;statut;statut_date;logements;source;version_base") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def upload(at: AppTest, data: bytes, name: str = "maj.csv") -> AppTest:
    at.file_uploader[0].upload(name, data, "text/csv").run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


# --- access ------------------------------------------------------------------------------------------


def test_without_any_secrets_file_editing_is_disabled(db_url, monkeypatch) -> None:
    from streamlit.runtime.secrets import secrets_singleton
    from streamlit.testing.v1.util import patch_config_options

    monkeypatch.setattr(secrets_singleton, "_secrets", None)
    with patch_config_options({"secrets.files": [str(ROOT / "tests" / "no-such-secrets.toml")]}):
        at = edition()
    assert [e.value for e in at.error] == []
    assert "La modification des données est désactivée" in at.info[0].value
    assert "python cli.py hash-password" in at.info[0].value
    assert write_widgets(at) == NO_WRITE_WIDGET
    assert len(at.main.text_input) == 0
    assert open_store(db_url).head_number() == 1


def test_secrets_without_editors_disable_editing(db_url) -> None:
    at = edition(secrets={"autre": {"cle": "valeur"}})
    assert "La modification des données est désactivée" in at.info[0].value
    assert write_widgets(at) == NO_WRITE_WIDGET
    assert not any(b.label == "Se connecter" for b in at.button)


def test_a_plain_text_password_in_secrets_does_not_enable_editing(db_url) -> None:
    at = edition(secrets={"editeurs": {"marie": "motdepasse"}})
    assert "La modification des données est désactivée" in at.info[0].value
    assert "1 entrée(s) de la configuration des éditeurs ont été ignorées" in at.warning[0].value
    assert "motdepasse" not in texts(at)
    assert write_widgets(at) == NO_WRITE_WIDGET
    assert not any(b.label == "Se connecter" for b in at.button)


def test_configured_but_not_logged_in_shows_only_the_login_form(db_url, marie_hash) -> None:
    at = edition(secrets={"editeurs": {"marie": marie_hash}})
    assert write_widgets(at) == NO_WRITE_WIDGET
    assert [t.label for t in at.main.text_input] == ["Identifiant", "Mot de passe"]
    assert [b.label for b in at.main.button] == ["Se connecter"]
    assert "marie" not in texts(at)  # account names are not disclosed to visitors


def test_wrong_password_is_refused_in_french(db_url, marie_hash) -> None:
    at = login(edition(secrets={"editeurs": {"marie": marie_hash}}), password="mauvais")
    assert "Identifiant ou mot de passe incorrect" in at.error[0].value
    assert write_widgets(at) == NO_WRITE_WIDGET
    at = login(at, login_name="inconnu", password=PASSWORD)
    assert "Identifiant ou mot de passe incorrect" in at.error[0].value
    assert write_widgets(at) == NO_WRITE_WIDGET
    # The password field never keeps what was typed.
    assert at.session_state.get("erbm-login-password") in ("", None)


def test_right_password_logs_in_and_logout_ends_it(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    assert [e.value for e in at.error] == []
    assert "Connecté : marie (mot de passe)" in texts(at)
    widgets = write_widgets(at)
    assert widgets["file_uploader"] == 1 and widgets["data_editor"] == 1 and widgets["download_button"] == 2
    click(at, "Se déconnecter")
    assert write_widgets(at) == NO_WRITE_WIDGET
    assert any(b.label == "Se connecter" for b in at.button)


def test_brute_force_is_throttled(db_url, marie_hash) -> None:
    at = edition(secrets={"editeurs": {"marie": marie_hash}})
    for _ in range(5):
        at = login(at, password="mauvais")
    assert "bloqué pendant 60 secondes" in at.error[0].value
    at = login(at)  # even the right password waits for the lock to end
    assert "Trop de tentatives de connexion" in at.error[0].value
    assert write_widgets(at) == NO_WRITE_WIDGET


def test_throttle_is_per_login_across_sessions(db_url, marie_hash, monkeypatch) -> None:
    from store import throttle

    monkeypatch.setattr(throttle, "FREE_FAILURES", 2)
    for _ in range(3):
        login(edition(secrets={"editeurs": {"marie": marie_hash}}), password="mauvais")
    at = login(edition(secrets={"editeurs": {"marie": marie_hash}}))  # a fresh session
    assert re.fullmatch(r"Trop de tentatives de connexion\. Réessayez dans \d seconde\(s\)\.", at.error[0].value)
    assert write_widgets(at) == NO_WRITE_WIDGET


def test_per_login_lock_does_not_reveal_which_logins_exist(db_url, marie_hash, monkeypatch) -> None:
    from store import throttle

    monkeypatch.setattr(throttle, "FREE_FAILURES", 2)
    answers = {}
    for name in ("marie", "inconnu"):
        for _ in range(3):
            login(edition(secrets={"editeurs": {"marie": marie_hash}}), login_name=name, password="mauvais")
        at = login(edition(secrets={"editeurs": {"marie": marie_hash}}), login_name=name, password="mauvais")
        answers[name] = at.error[0].value
    assert "Trop de tentatives de connexion" in answers["marie"]
    assert re.sub(r"\d+", "N", answers["inconnu"]) == re.sub(r"\d+", "N", answers["marie"])


def test_an_empty_bucket_refuses_before_hashing(db_url, marie_hash, monkeypatch) -> None:
    """Finding 3 of issue #18: invented logins from fresh sessions cost no hash once the server's
    bucket is empty (they forced 10 PBKDF2 checks a second)."""
    from store import throttle
    from ui import auth

    hashed = []
    real_check = auth.check_login
    monkeypatch.setattr(auth, "check_login", lambda *a: hashed.append(a[1]) or real_check(*a))
    monkeypatch.setattr(throttle, "BUCKET_RATE", 0.001)
    answers = [
        login(edition(secrets={"editeurs": {"marie": marie_hash}}), login_name=f"x{n}", password="mauvais")
        .error[0]
        .value
        for n in range(int(throttle.BUCKET_BURST) + 3)
    ]
    assert len(hashed) == int(throttle.BUCKET_BURST)
    assert all(a.startswith("Trop de tentatives de connexion sur le serveur") for a in answers[-3:])


def test_changing_the_account_hash_ends_the_session(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    at.secrets["editeurs"] = {"marie": hash_password("nouveau mot de passe")}
    at.run()
    assert write_widgets(at) == NO_WRITE_WIDGET
    assert any(b.label == "Se connecter" for b in at.button)


# --- a visitor cannot write, whatever they send -----------------------------------------------------


def test_visitor_forcing_editor_widgets_writes_nothing(db_url, marie_hash) -> None:
    at = edition(secrets={"editeurs": {"marie": marie_hash}})
    before = open_store(db_url).head_number()
    # Values a crafted client message could carry for widgets that only editors get.
    at.session_state["maj-import-note"] = "forcé"
    at.session_state["maj-edit-note"] = "forcé"
    at.session_state["maj-editor-1"] = {
        "edited_rows": {0: {"logements": 9999}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.session_state["history-restore-ok"] = True
    at.session_state["history-restore-note"] = "forcé"
    at.run()
    assert not at.exception
    assert write_widgets(at) == NO_WRITE_WIDGET
    # A forged login marker without the account's fingerprint is no login either.
    at.session_state["_erbm_editor_session"] = ("marie", "0" * 16)
    at.run()
    assert write_widgets(at) == NO_WRITE_WIDGET
    at.switch_page("views/historique.py").run()
    assert not at.exception
    assert not any(b.label == "Restaurer cette version" for b in at.button)
    assert open_store(db_url).head_number() == before


WRITE_WITHOUT_EDITOR = """
import streamlit as st
from ui import auth, edition, history

data = "id;statut;logements\\r\\n102;livrée;140\\r\\n".encode()
preview = edition.prepare_import(data, "maj.csv")
st.write(f"changes={len(preview.changes)}")
for name, call in (
    ("save", lambda: edition.save(preview, "sans compte")),
    ("restore", lambda: history.restore(1, "sans compte")),
):
    try:
        call()
        st.write(f"{name}=WRITTEN")
    except auth.NotAuthorized as err:
        st.write(f"{name}=refused:" + err.french_message())
"""


def test_write_functions_refuse_without_an_editor(db_url, marie_hash) -> None:
    open_store_first = edition(secrets={"editeurs": {"marie": marie_hash}})  # seeds the store
    assert not open_store_first.exception
    at = AppTest.from_string(WRITE_WITHOUT_EDITOR, default_timeout=120)
    at.secrets["editeurs"] = {"marie": marie_hash}
    at.run()
    assert not at.exception, at.exception
    out = "\n".join(m.value for m in at.markdown)
    assert "changes=1" in out  # the preview itself is readable by anyone: it writes nothing
    assert "save=refused:Vous devez être connecté" in out
    assert "restore=refused:" in out
    assert "WRITTEN" not in out
    assert open_store(db_url).head_number() == 1


def test_oidc_user_not_in_the_list_cannot_edit(db_url) -> None:
    secrets = {
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32},
        "editeurs_oidc": {"emails": ["marie@exemple.fr"]},
    }
    at = edition(secrets=secrets, user={"is_logged_in": True, "email": "intrus@exemple.fr", "email_verified": True})
    assert write_widgets(at) == NO_WRITE_WIDGET
    assert "n'est pas autorisé" in at.warning[0].value
    assert any(b.label == "Se connecter avec le fournisseur d'identité" for b in at.button)
    # An address the provider did not verify is not trusted either.
    at = edition(secrets=secrets, user={"is_logged_in": True, "email": "marie@exemple.fr", "email_verified": False})
    assert write_widgets(at) == NO_WRITE_WIDGET
    # Without [auth], an st.user e-mail (set by some hosts) is not a login.
    at = edition(
        secrets={"editeurs_oidc": {"emails": ["marie@exemple.fr"]}},
        user={"is_logged_in": True, "email": "marie@exemple.fr", "email_verified": True},
    )
    assert "La modification des données est désactivée" in at.info[0].value


def test_oidc_address_not_declared_verified_is_refused(db_url) -> None:
    secrets = {
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32},
        "editeurs_oidc": {"emails": ["marie@exemple.fr"]},
    }
    # A provider that does not send « email_verified » at all proves nothing about the address either.
    for claims in ({}, {"email_verified": None}, {"email_verified": "true"}, {"email_verified": 1}):
        user = {"is_logged_in": True, "email": "marie@exemple.fr", "name": "Marie", **claims}
        at = edition(secrets=secrets, user=user)
        assert write_widgets(at) == NO_WRITE_WIDGET, claims
        assert "Connecté" not in texts(at)
        warning = at.warning[0].value
        assert "le fournisseur d'identité ne la déclare pas vérifiée" in warning
        assert "adresse vérifiée" in warning
        assert any(b.label == "Se connecter avec le fournisseur d'identité" for b in at.button)


def test_oidc_login_without_authlib_says_so_in_french(db_url) -> None:
    if importlib.util.find_spec("authlib") is not None:
        pytest.skip("Authlib is installed: st.login would redirect to the provider")
    secrets = {
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32},
        "editeurs_oidc": {"emails": ["marie@exemple.fr"]},
    }
    at = edition(secrets=secrets, user={"is_logged_in": False})
    assert [t.label for t in at.main.text_input] == []  # no [editeurs]: no password form
    click(at, "Se connecter avec le fournisseur d'identité")
    assert "n'est pas disponible sur ce serveur" in at.error[0].value
    assert write_widgets(at) == NO_WRITE_WIDGET


def test_oidc_editor_is_logged_in(db_url) -> None:
    secrets = {
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32},
        "editeurs_oidc": {"emails": ["marie@exemple.fr"]},
    }
    at = edition(
        secrets=secrets,
        user={"is_logged_in": True, "email": "Marie@Exemple.fr", "name": "Marie", "email_verified": True},
    )
    assert "Connecté : Marie (OIDC)" in texts(at)
    assert write_widgets(at)["file_uploader"] == 1


# --- import ------------------------------------------------------------------------------------------


def test_import_creates_exactly_one_version(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    upload(at, csv_bytes([f"{CITE};livrée;2025-03-14;140;{XSS};1"]))
    preview = next(df.value for df in at.dataframe if list(df.value.columns) == ["Cité", "Champ", "Avant", "Après"])
    assert set(preview["Champ"]) == {"Statut", "Date du statut", "Logements", "Source (votre référence)"}
    assert set(preview["Cité"]) == {CITE_NAME}
    row = preview.set_index("Champ").loc["Logements"]
    assert (row["Avant"], row["Après"]) == ("139", "140")
    assert open_store(db_url).head_number() == 1  # nothing written before the button
    at.text_input(key="maj-import-note").input("Comité du 14 mars " + XSS)
    click(at, "Enregistrer la version")
    assert [s.value for s in at.success] == [
        "Version 2 enregistrée. 4 valeur(s) modifiée(s) par le fichier « maj\\.csv »."
    ]
    db = open_store(db_url)
    assert db.head_number() == 2
    head = db.head()
    assert (head.author, head.kind, head.changes, head.base_version) == ("marie", "import", 4, 1)
    assert head.note == "Comité du 14 mars " + XSS
    v = db.values(2)[CITE]
    assert (v.statut, v.statut_date, v.logements, v.source) == ("livrée", "2025-03-14", 140, XSS)
    assert v.statut_source == "maj-2"
    # Only that cité changed.
    assert {c.cite_id for c in db.diff(1, 2)} == {CITE}
    # The uploader is reset: re-running does not import the file a second time.
    at.run()
    assert db.head_number() == 2
    assert at.file_uploader[0].value is None


def test_invalid_file_reports_every_problem_and_writes_nothing(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    upload(at, csv_bytes([f"{CITE};presque fini;2025-03-14;beaucoup;;1", "99999;livrée;;3;;1"]))
    assert "problème(s) : rien n'a été enregistré" in at.error[0].value
    report = next(df.value for df in at.dataframe if list(df.value.columns) == ["Ligne", "Colonne", "Problème"])
    cells = set(zip(report["Ligne"], report["Colonne"], strict=True))
    assert {("2", "statut"), ("2", "logements"), ("3", "id")} <= cells
    assert not any(b.label == "Enregistrer la version" for b in at.button)
    assert open_store(db_url).head_number() == 1


def test_file_without_changes_says_so(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    upload(at, csv_bytes([f"{CITE};travaux logements;2019-11-25;139;;1"]))
    assert any("Aucune valeur ne change" in i.value for i in at.info)
    assert not any(b.label == "Enregistrer la version" for b in at.button)


def test_template_downloads_are_the_head_version(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    labels = [b.label for b in at.download_button]
    assert labels == ["Télécharger le modèle CSV", "Télécharger le modèle XLSX"]


def test_concurrent_change_on_another_cell_is_merged(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    upload(at, csv_bytes([f"{CITE};livrée;2025-03-14;140;;1"]))
    # Another planner saves a different cité between this preview and the click.
    open_store(db_url).apply({"208": {"logements": 600}}, base_version=1, author="paul", kind="edit")
    click(at, "Enregistrer la version")
    assert at.success[0].value.startswith("Version 3 enregistrée.")
    db = open_store(db_url)
    assert db.head_number() == 3
    assert db.values(3)["208"].logements == 600
    assert db.values(3)[CITE].logements == 140


def test_concurrent_change_on_the_same_cell_is_a_clear_conflict(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    upload(at, csv_bytes([f"{CITE};livrée;2025-03-14;140;;1"]))
    open_store(db_url).apply({CITE: {"logements": 150}}, base_version=1, author="paul", kind="edit")
    at.run()
    assert "Enregistrement impossible, rien n'a été enregistré" in at.error[0].value
    conflicts = next(df.value for df in at.dataframe if "Votre saisie" in df.value.columns)
    assert conflicts.to_dict("records") == [
        {"Cité": CITE_NAME, "Champ": "Logements", "Valeur actuelle": "150", "Votre saisie": "140"}
    ]
    assert not any(b.label == "Enregistrer la version" for b in at.button)
    db = open_store(db_url)
    assert db.head_number() == 2
    # Nothing lost: the file is still there; the planner may rebase on purpose, check and save.
    assert at.file_uploader[0].value is not None
    click(at, "Recalculer l'aperçu sur la version actuelle")
    preview = next(df.value for df in at.dataframe if list(df.value.columns) == ["Cité", "Champ", "Avant", "Après"])
    assert preview.set_index("Champ").loc["Logements", "Avant"] == "150"
    click(at, "Enregistrer la version")
    assert at.success[0].value.startswith("Version 3 enregistrée.")
    assert db.values(3)[CITE].logements == 140
    assert db.values(2)[CITE].logements == 150


def _preview_table(at: AppTest):
    return next(df.value for df in at.dataframe if list(df.value.columns) == ["Cité", "Champ", "Avant", "Après"])


def test_rebasing_an_import_keeps_what_others_saved_on_cells_the_file_did_not_change(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    # The file is the template of version 1 with one change: cité 20 gets 50 logements. Its line
    # for cité 33 still holds version 1's values, which the planner never touched.
    upload(
        at,
        csv_bytes(["20;non renseigné;;50;;1", "33;non renseigné;;;;1", f"{CITE};travaux logements;2019-11-25;139;;1"]),
    )
    # Meanwhile another planner saves cité 20 = 60 and cité 33 = 70.
    open_store(db_url).apply({"20": {"logements": 60}, "33": {"logements": 70}}, base_version=1, author="paul")
    at.run()
    assert "Enregistrement impossible" in at.error[0].value
    click(at, "Recalculer l'aperçu sur la version actuelle")
    preview = _preview_table(at)
    # Only the planner's own change is carried over; cité 33's 70 is not reverted to « non renseigné ».
    assert preview.to_dict("records") == [
        {"Cité": "Cité n°5 d'Auchel", "Champ": "Logements", "Avant": "60", "Après": "50"}
    ]
    click(at, "Enregistrer la version")
    assert at.success[0].value.startswith("Version 3 enregistrée. 1 valeur(s) modifiée(s)")
    db = open_store(db_url)
    assert db.values(3)["20"].logements == 50
    assert db.values(3)["33"].logements == 70
    assert db.values(3)[CITE] == db.values(2)[CITE]


def test_rebasing_an_import_carries_a_status_with_its_date(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    upload(at, csv_bytes([f"{CITE};livrée;2019-11-25;139;;1"]))  # the status only; the date kept
    open_store(db_url).apply({CITE: {"statut_date": "2020-01"}}, base_version=1, author="paul")
    at.run()
    assert "Enregistrement impossible" in at.error[0].value
    click(at, "Recalculer l'aperçu sur la version actuelle")
    preview = _preview_table(at).set_index("Champ")
    # The planner's status wins with the date they gave it, never with someone else's date.
    assert preview.loc["Statut", "Après"] == "livrée"
    assert preview.loc["Date du statut", "Après"] == "2019-11-25"
    click(at, "Enregistrer la version")
    v = open_store(db_url).values(3)[CITE]
    assert (v.statut, v.statut_date) == ("livrée", "2019-11-25")


def test_a_file_without_version_base_must_name_its_version(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    # Another planner saved cité 208 = 600 (version 2) after this file was filled from version 1.
    open_store(db_url).apply({"208": {"logements": 600}}, base_version=1, author="paul")
    at.run()
    upload(
        at,
        csv_bytes(
            [f"{CITE};travaux logements;2019-11-25;140;", "208;travaux logements;source non datée;605;"],
            header="id;statut;statut_date;logements;source",
        ),
        name="sans_version.csv",
    )
    warning = next(w.value for w in at.warning if "ne dit pas de quelle version" in w.value)
    assert "sans\\_version\\.csv" in warning
    choice = next(b for b in at.selectbox if b.label == "Version d'où vient le fichier")
    # The version whose values are closest to the file's is suggested: version 1, not the head.
    assert choice.value == 1
    assert "suggérée" in choice.format_func(1)
    save = next(b for b in at.button if b.label == "Enregistrer la version")
    assert save.disabled
    preview = _preview_table(at)
    assert preview.to_dict("records") == [{"Cité": CITE_NAME, "Champ": "Logements", "Avant": "139", "Après": "140"}]
    # A forged click on the disabled button (a crafted message; AppTest refuses it otherwise) writes nothing.
    save.proto.disabled = False
    save.click().run()
    assert not at.exception, at.exception
    assert open_store(db_url).head_number() == 2
    # Choosing the current version shows what that would undo; nothing is saved without the box.
    choice.set_value(2).run()
    rows = _preview_table(at).to_dict("records")
    assert {"Cité": "Cité n°4 de Lens", "Champ": "Logements", "Avant": "600", "Après": "605"} in rows
    assert any(c.label == "Ce fichier a été fait à partir de la version actuelle (2)" for c in at.checkbox)
    at.selectbox(key=choice.key).set_value(1).run()
    box = next(c for c in at.checkbox if c.label == "Ce fichier a été fait à partir de la version 1")
    box.check().run()
    assert not next(b for b in at.button if b.label == "Enregistrer la version").disabled
    click(at, "Enregistrer la version")
    assert at.success[0].value.startswith("Version 3 enregistrée. 1 valeur(s) modifiée(s)")
    db = open_store(db_url)
    assert db.values(3)[CITE].logements == 140
    assert db.values(3)["208"].logements == 600  # paul's change is kept
    assert db.head().base_version == 1


SAVE_AFTER_A_CONCURRENT_WRITE = """
import streamlit as st
from ui import edition
from ui.data import store

preview = edition.prepare_import("id;statut;logements;version_base\\r\\n102;livrée;140;1\\r\\n".encode(), "maj.csv")
# Another planner saves the same cell between the preview and the click.
store().apply({"102": {"logements": 150}}, base_version=1, author="paul", kind="edit")
result = edition.save(preview, "")
st.text(result.message)
st.dataframe(result.conflicts)
"""


def test_a_write_racing_the_click_gets_the_french_conflict_message(db_url, marie_hash) -> None:
    from domain.accounts import hash_fingerprint
    from ui.auth import NO_CLIENT_BINDING

    edition(secrets={"editeurs": {"marie": marie_hash}})  # seeds the store
    at = AppTest.from_string(SAVE_AFTER_A_CONCURRENT_WRITE, default_timeout=120)
    at.secrets["editeurs"] = {"marie": marie_hash}
    at.session_state["_erbm_editor_session"] = ("marie", hash_fingerprint(marie_hash), NO_CLIENT_BINDING)
    at.run()
    assert not at.exception, at.exception
    message = at.text[0].value
    assert message.startswith("Modifications refusées, rien n'a été enregistré : 1 valeur(s)")
    assert "depuis la version 1" in message
    assert at.dataframe[0].value.to_dict("records") == [
        {
            "Cité": CITE_NAME,
            "Champ": "Logements",
            "Valeur actuelle": "150",
            "Votre saisie": "140",
            "Modifiée en version": "2",
        }
    ]
    db = open_store(db_url)
    assert db.head_number() == 2  # paul's version only
    assert db.values(2)[CITE].logements == 150


# --- table editing -----------------------------------------------------------------------------------


def _editor_key(at: AppTest) -> str:
    return next(k for k in at.session_state if str(k).startswith("maj-editor-"))


def _row_of(at: AppTest, cite_id: str) -> int:
    table = at.data_editor[0].value
    return int(table.index[table["id"] == cite_id][0])


def test_table_edit_creates_one_version(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    key = _editor_key(at)
    row = _row_of(at, CITE)
    at.session_state[key] = {
        "edited_rows": {row: {"logements": 141, "source": "Courrier du bailleur " + XSS}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    preview = next(df.value for df in at.dataframe if list(df.value.columns) == ["Cité", "Champ", "Avant", "Après"])
    assert set(preview["Champ"]) == {"Logements", "Source (votre référence)"}
    click(at, "Enregistrer la version")
    assert at.success[0].value.startswith("Version 2 enregistrée.")
    db = open_store(db_url)
    head = db.head()
    assert (head.number, head.kind, head.author, head.changes) == (2, "edit", "marie", 2)
    assert db.values(2)[CITE].logements == 141
    # The table is reopened on the new version: no pending change, no second version.
    at.run()
    assert db.head_number() == 2
    assert not any(b.label == "Enregistrer la version" for b in at.button)


def test_table_edit_with_a_bad_date_is_reported_by_cite(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    key = _editor_key(at)
    at.session_state[key] = {
        "edited_rows": {_row_of(at, CITE): {"statut_date": "hier"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    report = next(df.value for df in at.dataframe if list(df.value.columns) == ["Cité", "Colonne", "Problème"])
    assert report.iloc[0]["Cité"] == CITE_NAME
    assert report.iloc[0]["Colonne"] == "Date du statut"
    assert not any(b.label == "Enregistrer la version" for b in at.button)
    assert open_store(db_url).head_number() == 1


def test_table_edit_conflict_keeps_the_edits(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    key = _editor_key(at)
    edits = {"edited_rows": {_row_of(at, CITE): {"logements": 141}}, "added_rows": [], "deleted_rows": []}
    at.session_state[key] = edits
    at.run()
    open_store(db_url).apply({CITE: {"logements": 150}}, base_version=1, author="paul", kind="edit")
    at.run()
    assert "Enregistrement impossible" in at.error[0].value
    assert not any(b.label == "Enregistrer la version" for b in at.button)
    assert open_store(db_url).head_number() == 2
    click(at, "Reporter mes saisies sur la version actuelle")
    preview = next(df.value for df in at.dataframe if list(df.value.columns) == ["Cité", "Champ", "Avant", "Après"])
    assert preview.to_dict("records") == [{"Cité": CITE_NAME, "Champ": "Logements", "Avant": "150", "Après": "141"}]
    click(at, "Enregistrer la version")
    assert at.success[0].value.startswith("Version 3 enregistrée.")
    db = open_store(db_url)
    assert db.head().base_version == 2
    assert db.values(3)[CITE].logements == 141


def test_values_carried_to_a_newer_version_survive_another_save_meanwhile(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    at.session_state[_editor_key(at)] = {
        "edited_rows": {_row_of(at, CITE): {"logements": 141}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    db = open_store(db_url)
    db.apply({CITE: {"logements": 150}}, base_version=1, author="paul", kind="edit")
    at.run()
    click(at, "Reporter mes saisies sur la version actuelle")
    # Someone else saves another cité before this planner clicks: the table must keep their 141.
    db.apply({"208": {"logements": 600}}, base_version=2, author="jeanne", kind="edit")
    at.run()
    assert at.data_editor[0].value.set_index("id").loc[CITE, "logements"] == 141
    preview = _preview_table(at)
    assert preview.to_dict("records") == [{"Cité": CITE_NAME, "Champ": "Logements", "Avant": "150", "Après": "141"}]
    click(at, "Enregistrer la version")
    assert at.success[0].value.startswith("Version 4 enregistrée.")
    assert (db.values(4)[CITE].logements, db.values(4)["208"].logements) == (141, 600)


def test_table_saves_beside_a_stored_value_that_looks_like_a_formula(db_url, marie_hash) -> None:
    edition(secrets={"editeurs": {"marie": marie_hash}})  # seeds the store
    # A source stored from « '=… » in a file, legitimately: it is text, never a formula.
    open_store(db_url).apply({"208": {"source": "=compte rendu du 3 mars"}}, base_version=1, author="paul")
    at = login(edition(secrets={"editeurs": {"marie": marie_hash}}))
    key = _editor_key(at)
    edits = {
        "edited_rows": {_row_of(at, CITE): {"logements": 141}, _row_of(at, "208"): {"logements": 601}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.session_state[key] = edits
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    preview = _preview_table(at)
    assert sorted(preview["Cité"]) == [CITE_NAME, "Cité n°4 de Lens"]
    assert set(preview["Champ"]) == {"Logements"}  # the untouched source is not re-sent
    click(at, "Enregistrer la version")
    assert at.success[0].value.startswith("Version 3 enregistrée. 2 valeur(s) modifiée(s)")
    db = open_store(db_url)
    assert db.values(3)["208"].source == "=compte rendu du 3 mars"
    assert (db.values(3)["208"].logements, db.values(3)[CITE].logements) == (601, 141)


def test_table_formula_typed_by_the_planner_is_reported_by_cite(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    at.session_state[_editor_key(at)] = {
        "edited_rows": {_row_of(at, CITE): {"source": "=HYPERLINK(1)"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    report = next(df.value for df in at.dataframe if list(df.value.columns) == ["Cité", "Colonne", "Problème"])
    assert report.to_dict("records")[0]["Cité"] == CITE_NAME
    assert report.to_dict("records")[0]["Colonne"] == "Source (votre référence)"
    assert len(report) == 1
    assert not any(b.label == "Enregistrer la version" for b in at.button)


def test_table_follows_a_new_version_when_nothing_is_pending(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    open_store(db_url).apply({"208": {"logements": 600}}, base_version=1, author="paul", kind="edit")
    at.run()
    assert not at.exception
    table = at.data_editor[0].value
    assert table.set_index("id").loc["208", "logements"] == 600
    assert any("Tableau ouvert sur la version 2" in c.value for c in at.caption)


# --- history -----------------------------------------------------------------------------------------


def _history(at: AppTest) -> AppTest:
    at.switch_page("views/historique.py").run()
    assert not at.exception, at.exception
    return at


def test_history_is_public_and_shows_planner_text_as_text(db_url, marie_hash) -> None:
    edition(secrets={"editeurs": {"marie": marie_hash}})  # seeds the store
    db = open_store(db_url)
    db.apply({CITE: {"logements": 140, "source": XSS}}, base_version=1, author="marie " + XSS, note=XSS)
    at = _page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), "historique")
    assert [e.value for e in at.error] == []
    assert at.title[0].value == "Historique des mises à jour"
    versions = at.dataframe[0].value
    assert list(versions.columns) == ["N°", "Date", "Auteur", "Type", "Note", "Modifications", "Restaurée depuis"]
    assert list(versions["N°"]) == [2, 1]
    assert versions.iloc[0]["Note"] == XSS  # a table cell: text, never HTML
    assert versions.iloc[0]["Type"] == "import de fichier"
    assert versions.iloc[0]["Modifications"] == 2
    markdown = "\n".join(m.value for m in at.markdown)
    assert not re.search(r"(?<!\\)<img", markdown) and "{{7*7}}" not in markdown
    assert r"\<img src=x onerror=alert\(1\)\>" in markdown
    values = at.dataframe[1].value
    assert values.set_index("Cité").loc[CITE_NAME, "Source"] == XSS
    assert not any(b.label == "Restaurer cette version" for b in at.button)
    at.selectbox(key="history-version").set_value(1).run()
    assert "demande un compte d'éditeur" in texts(at)
    assert not any(b.label == "Restaurer cette version" for b in at.button)


def test_history_compares_two_versions(db_url, marie_hash) -> None:
    edition(secrets={"editeurs": {"marie": marie_hash}})
    open_store(db_url).apply({CITE: {"logements": 140}}, base_version=1, author="marie")
    at = _page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), "historique")
    diff = next(df.value for df in at.dataframe if "Version 1" in df.value.columns)
    assert diff.to_dict("records") == [
        {"Cité": CITE_NAME, "Champ": "Logements", "Version 1": "139", "Version 2": "140"}
    ]
    at.selectbox(key="history-a").set_value(2).run()
    assert any("Choisissez deux versions différentes" in c.value for c in at.caption)


def test_editor_restores_a_version(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    open_store(db_url).apply({CITE: {"logements": 140}}, base_version=1, author="paul")
    _history(at)
    at.selectbox(key="history-version").set_value(1).run()
    at.text_input(key="history-restore-note").input("Erreur de saisie de Paul")
    next(b for b in at.button if b.label == "Restaurer cette version").click().run()
    assert "Cochez la case" in at.warning[0].value
    assert open_store(db_url).head_number() == 2
    at.checkbox(key="history-restore-ok").check()
    next(b for b in at.button if b.label == "Restaurer cette version").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Version 3 enregistrée : restauration de la version 1."
    db = open_store(db_url)
    head = db.head()
    assert (head.number, head.kind, head.restored_from, head.author) == (3, "rollback", 1, "marie")
    assert head.note == "Erreur de saisie de Paul"
    assert db.values(3) == db.values(1)
    assert db.values(2)[CITE].logements == 140  # nothing overwritten in place


def test_restore_refuses_when_a_version_was_saved_after_the_page_was_drawn(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    open_store(db_url).apply({CITE: {"logements": 140}}, base_version=1, author="paul")
    _history(at)
    at.selectbox(key="history-version").set_value(1).run()
    at.text_input(key="history-restore-note").input("Erreur de saisie de Paul")
    at.checkbox(key="history-restore-ok").check()
    # Someone saves version 3 while the editor reads the page showing version 2 as current.
    open_store(db_url).apply({"208": {"logements": 600}}, base_version=2, author="jeanne")
    next(b for b in at.button if b.label == "Restaurer cette version").click().run()
    assert not at.exception, at.exception
    assert "La version 3 a été enregistrée depuis l'affichage de cette page" in at.error[0].value
    db = open_store(db_url)
    assert db.head_number() == 3
    assert db.values(3)["208"].logements == 600
    # Confirmed again on the page that now shows version 3, the restoration goes through.
    at.checkbox(key="history-restore-ok").check()
    next(b for b in at.button if b.label == "Restaurer cette version").click().run()
    assert at.success[0].value == "Version 4 enregistrée : restauration de la version 1."
    assert db.values(4) == db.values(1)


def test_restoring_values_identical_to_the_current_ones_writes_nothing(db_url, marie_hash) -> None:
    at = logged_in(marie_hash)
    db = open_store(db_url)
    db.apply({CITE: {"logements": 140}}, base_version=1, author="paul")
    db.rollback(1, author="paul", note="annulé")  # version 3 = version 1's values
    _history(at)
    at.selectbox(key="history-version").set_value(1).run()
    at.checkbox(key="history-restore-ok").check()
    next(b for b in at.button if b.label == "Restaurer cette version").click().run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == ["Rien à restaurer : la version 1 est identique à la version actuelle."]
    assert open_store(db_url).head_number() == 3


def test_planner_text_never_becomes_a_link(db_url, marie_hash) -> None:
    hostile = "voir http://evil.example et www.evil.example, contact@evil.example [x](https://phish.example) $x$"
    at = logged_in(marie_hash)
    upload(at, csv_bytes([f"{CITE};livrée;2025-03-14;140;;1"]), name="http://evil.example.csv")
    at.text_input(key="maj-import-note").input(hostile)
    click(at, "Enregistrer la version")
    flash = at.success[0].value
    assert flash.startswith("Version 2 enregistrée")
    _history(at)
    markdown = "\n".join([flash, *(m.value for m in at.markdown)])
    assert "Note de la version 2" in markdown
    for link in ("http://", "https://", "www.", "@evil", "](", "$x$"):
        assert link not in markdown, link
