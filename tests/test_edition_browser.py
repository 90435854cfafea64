"""End-to-end, in headless Chromium: a visitor cannot write; an editor logs in and imports a file.

Each server here has its own SQLite store and its own secrets (none for the visitor's server), so
the checks do not depend on a ``.streamlit/secrets.toml`` a developer may have.
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager

import pytest

from tests.browser_support import ARTIFACTS, streamlit_server

pytestmark = pytest.mark.browser

XSS_NOTE = "<img src=x onerror=alert(1)> {{7*7}} réunion du 3 mars, voir http://evil.example et www.evil.example"
CSV = "id;statut;statut_date;logements;source\r\n102;livrée;2025-03-14;140;Courrier <b>bailleur</b>\r\n"


def seeded_store(path):
    """A store seeded like the app seeds it, with one planner version whose note is hostile."""
    from geo.load import load_territory
    from settings import get_settings
    from store import Store, build_values

    url = f"sqlite:///{(path / 'erbm.sqlite').as_posix()}"
    db = Store(url)
    db.ensure_build(build_values(load_territory().cites), label=f"données construites ({get_settings().data_dir})")
    db.apply({"208": {"logements": 600}}, base_version=1, author="paul", note=XSS_NOTE, kind="edit")
    return url, db


@pytest.fixture(scope="module")
def visitor_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("edition-visitor")
    url, db = seeded_store(tmp)
    with streamlit_server(
        extra=("--secrets.files", str(tmp / "no-secrets.toml")),
        env={"ERBM_DATABASE_URL": url},
        log_name="edition-visitor",
    ) as (app_url, _pid):
        yield app_url, db


@contextmanager
def editor_server(tmp, *, log_name: str):
    """The served app on a seeded store, with one editor (marie, « bon mot de passe »); yields
    (URL, database path)."""
    from domain.accounts import hash_password

    url, db = seeded_store(tmp)
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[editeurs]\nmarie = "{hash_password("bon mot de passe")}"\n', encoding="utf-8")
    with streamlit_server(
        extra=("--secrets.files", str(secrets)), env={"ERBM_DATABASE_URL": url}, log_name=log_name
    ) as (app_url, _pid):
        yield app_url, db


@pytest.fixture(scope="module")
def editor_app(tmp_path_factory):
    with editor_server(tmp_path_factory.mktemp("edition-editor"), log_name="edition-editor") as served:
        yield served


def open_page(page, app_url: str, link: str) -> None:
    # Direct loads of a sub-page wait ~25 s on a Streamlit health-check fallback
    # (streamlit/streamlit#7074): open the root and follow the navigation link.
    page.goto(app_url + "/")
    page.get_by_role("link", name=link).click()


def wait_tables(page, n: int) -> None:
    """Wait until ``n`` tables have drawn their grid (a screenshot before shows empty skeletons)."""
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"stDataFrameResizable\"] canvas').length >= n",
        arg=n,
        timeout=60_000,
    )
    next_frames(page)


def next_frames(page) -> None:
    """Return once the browser has painted two more frames: what the page had in hand is drawn
    (the grids' canvases, or a script a hostile text would have run), without a fixed sleep."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def session_ids(page) -> list[str]:
    """Session ids the server announced to this page (decoded from the websocket's NewSession)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found: list[str] = []

    def on_frame(payload) -> None:
        if isinstance(payload, str):
            return
        try:
            msg = ForwardMsg.FromString(payload)
        except Exception:  # noqa: BLE001 - not every frame is a ForwardMsg we can read
            return
        if msg.WhichOneof("type") == "new_session":
            found.append(msg.new_session.initialize.session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return found


def crafted_uploads(page, app_url: str, ids: list[str]) -> None:
    """Send the update file straight to Streamlit's upload endpoint, as a script would, bypassing the page."""
    assert ids, "the page never received its session id"
    session_id = ids[-1]
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    files = {"file": {"name": "maj.csv", "mimeType": "text/csv", "buffer": CSV.encode()}}
    endpoint = f"{app_url}/_stcore/upload_file"
    request = page.request
    # Without the XSRF token, and for a session that does not exist, Streamlit refuses the bytes.
    no_token = request.put(f"{endpoint}/{session_id}/{uuid.uuid4()}", multipart=files)
    assert no_token.status == 403
    wrong_session = request.put(
        f"{endpoint}/{uuid.uuid4()}/{uuid.uuid4()}", multipart=files, headers={"X-Xsrftoken": xsrf}
    )
    assert wrong_session.status == 400
    # For the visitor's own session Streamlit keeps the bytes in memory, but no widget of this page
    # ever reads them: nothing reaches the store.
    own = request.put(f"{endpoint}/{session_id}/{uuid.uuid4()}", multipart=files, headers={"X-Xsrftoken": xsrf})
    assert own.status < 500


def test_an_upload_over_the_import_limit_is_refused_before_it_is_read(offline_page, visitor_app) -> None:
    """Streamlit's upload endpoint takes no more than the import limit (5 MB), from anyone: an
    anonymous session cannot make the server hold 200 MB files (issue #18)."""
    from store.model import MAX_IMPORT_BYTES

    app_url, _ = visitor_app
    ids = session_ids(offline_page)
    open_page(offline_page, app_url, "Mise à jour")
    offline_page.get_by_text("La modification des données est désactivée").wait_for(timeout=60_000)
    xsrf = next(c["value"] for c in offline_page.context.cookies() if c["name"] == "_streamlit_xsrf")
    endpoint = f"{app_url}/_stcore/upload_file/{ids[-1]}"

    def upload(size: int) -> int:
        files = {"file": {"name": "maj.csv", "mimeType": "text/csv", "buffer": b"x" * size}}
        return offline_page.request.put(
            f"{endpoint}/{uuid.uuid4()}", multipart=files, headers={"X-Xsrftoken": xsrf}
        ).status

    assert upload(MAX_IMPORT_BYTES + 1024 * 1024) == 413  # 6 MB: refused from its Content-Length
    assert upload(MAX_IMPORT_BYTES - 64 * 1024) < 300  # just under the limit: taken, as before


def rerun_edition_page(page, expected: str) -> None:
    """Navigate away and back, so that the page runs again with whatever the session received."""
    page.get_by_role("link", name="Historique").click()
    page.get_by_text("Historique des mises à jour").wait_for(timeout=60_000)
    page.get_by_role("link", name="Mise à jour").click()
    page.get_by_text(expected).first.wait_for(timeout=60_000)


def test_visitor_sees_editing_disabled_and_a_crafted_upload_changes_nothing(offline_page, visitor_app) -> None:
    app_url, db = visitor_app
    before = db.head_number()
    ids = session_ids(offline_page)
    open_page(offline_page, app_url, "Mise à jour")
    offline_page.get_by_text("La modification des données est désactivée").wait_for(timeout=60_000)
    offline_page.get_by_text("python cli.py hash-password").first.wait_for()
    assert offline_page.locator('input[type="file"]').count() == 0
    assert offline_page.get_by_role("button", name="Se connecter").count() == 0
    assert offline_page.get_by_role("button", name="Enregistrer la version").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.screenshot(path=str(ARTIFACTS / "edition-visiteur.png"), full_page=True)

    crafted_uploads(offline_page, app_url, ids)
    rerun_edition_page(offline_page, "La modification des données est désactivée")
    assert offline_page.locator('input[type="file"]').count() == 0
    assert db.head_number() == before


def test_crafted_upload_without_login_on_a_server_with_editors_changes_nothing(offline_page, editor_app) -> None:
    app_url, db = editor_app
    before = db.head_number()
    ids = session_ids(offline_page)
    open_page(offline_page, app_url, "Mise à jour")
    offline_page.get_by_text("Connexion des éditeurs").wait_for(timeout=60_000)
    assert offline_page.locator('input[type="file"]').count() == 0
    assert offline_page.get_by_role("button", name="Enregistrer la version").count() == 0

    crafted_uploads(offline_page, app_url, ids)
    rerun_edition_page(offline_page, "Connexion des éditeurs")
    assert offline_page.locator('input[type="file"]').count() == 0
    assert offline_page.get_by_role("button", name="Enregistrer la version").count() == 0
    assert offline_page.get_by_text("Connecté :").count() == 0
    assert db.head_number() == before


def test_history_shows_a_hostile_note_as_text(offline_page, visitor_app) -> None:
    app_url, db = visitor_app
    dialogs: list[str] = []
    offline_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(offline_page, app_url, "Historique")
    offline_page.get_by_text("Historique des mises à jour").wait_for(timeout=60_000)
    note = offline_page.get_by_text(re.compile(r"Note de la version 2"))
    note.wait_for(timeout=60_000)
    text = note.inner_text()
    assert "<img src=x onerror=alert(1)>" in text
    assert "{{7*7}}" in text and "49" not in text
    assert offline_page.locator('img[src="x"]').count() == 0
    assert offline_page.locator('a[href*="evil.example"]').count() == 0  # a bare address is no link
    next_frames(offline_page)
    assert dialogs == []
    assert offline_page.get_by_text("Restaurer cette version").count() == 0
    wait_tables(offline_page, 3)
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.screenshot(path=str(ARTIFACTS / "historique.png"), full_page=True)
    assert db.head_number() == 2


def test_editor_logs_in_and_imports_a_file(offline_page, editor_app, tmp_path) -> None:
    app_url, db = editor_app
    open_page(offline_page, app_url, "Mise à jour")
    offline_page.get_by_label("Identifiant").fill("marie")
    offline_page.get_by_label("Mot de passe", exact=True).fill("mauvais")
    offline_page.get_by_role("button", name="Se connecter").click()
    offline_page.get_by_text("Identifiant ou mot de passe incorrect").wait_for(timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.screenshot(path=str(ARTIFACTS / "edition-connexion.png"), full_page=True)
    offline_page.get_by_label("Identifiant").fill("marie")
    offline_page.get_by_label("Mot de passe", exact=True).fill("bon mot de passe")
    offline_page.get_by_role("button", name="Se connecter").click()
    offline_page.get_by_text("Connecté : marie").wait_for(timeout=60_000)
    offline_page.get_by_text("Modifier quelques cités").wait_for()
    wait_tables(offline_page, 1)
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.screenshot(path=str(ARTIFACTS / "edition-editeur.png"), full_page=True)

    csv = tmp_path / "maj.csv"
    csv.write_bytes(CSV.encode("utf-8"))
    offline_page.locator('input[type="file"]').set_input_files(str(csv))
    offline_page.get_by_text("modification(s) par rapport à la version 2").wait_for(timeout=60_000)
    # The file has no version_base: the planner names the version it was made from before saving.
    offline_page.get_by_text("ne dit pas de quelle version il a été fait").wait_for()
    assert offline_page.get_by_role("button", name="Enregistrer la version").is_disabled()
    offline_page.get_by_text("Ce fichier a été fait à partir de la version actuelle (2)").click()
    offline_page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.includes('Enregistrer la version') && !b.disabled)",
        timeout=60_000,
    )
    offline_page.get_by_label("Note de version (facultative)").fill("Comité du 14 mars")
    offline_page.get_by_label("Note de version (facultative)").press("Enter")
    wait_tables(offline_page, 2)
    offline_page.screenshot(path=str(ARTIFACTS / "edition-apercu.png"), full_page=True)
    offline_page.get_by_role("button", name="Enregistrer la version").click()
    offline_page.get_by_text("Version 3 enregistrée").wait_for(timeout=60_000)
    head = db.head()
    assert (head.number, head.author, head.kind, head.note) == (3, "marie", "import", "Comité du 14 mars")
    assert db.values(3)["102"].source == "Courrier <b>bailleur</b>"


def test_a_client_resuming_the_editors_session_id_is_no_editor(browser, editor_app) -> None:
    """Finding 1 of issue #18: the session id (in upload addresses, so in proxy logs) is not a login.

    The editor logs in with a browser; a client without the browser's key cookie opens Streamlit's
    websocket with that session id and runs the page: it gets the login form, not the editor's page.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bench.wsclient import Client

    app_url, db = editor_app
    context = browser.new_context()
    try:
        page = context.new_page()
        ids = session_ids(page)
        open_page(page, app_url, "Mise à jour")
        page.get_by_label("Identifiant").fill("marie")
        page.get_by_label("Mot de passe", exact=True).fill("bon mot de passe")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_text("Connecté : marie").wait_for(timeout=60_000)
        key = next(c for c in context.cookies() if c["name"] == "erbm_cle")
        assert key["httpOnly"] and key["sameSite"] == "Strict"

        def resume(cookie: str | None):
            # Playwright's sync API holds this thread's event loop: the client runs in another thread.
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(asyncio.run, resume_async(cookie)).result()

        async def resume_async(cookie: str | None):
            client = Client(app_url, cookie=cookie)
            await client.connect(resume=ids[-1])
            try:
                return await client.rerun(page="mise-a-jour")
            finally:
                await client.close()

        stranger = resume(None)
        assert stranger.finished
        assert stranger.has_text("Connexion des éditeurs")
        assert not stranger.has_text("Connecté : marie")
        other_key = resume("erbm_cle=" + "A" * 43)
        assert other_key.finished and not other_key.has_text("Connecté : marie")
        # The browser that logged in, with its key, is still the editor.
        same_key = resume(f"erbm_cle={key['value']}")
        assert same_key.finished and same_key.has_text("Connecté : marie")
    finally:
        context.close()
