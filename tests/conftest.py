from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo.load import Territory, load_territory  # noqa: E402
from settings import get_settings  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _private_store(tmp_path_factory):
    """The app's default SQLite store goes to a temporary folder, never into the checkout.

    Tests that need their own store set ERBM_DATABASE_URL themselves; this default only keeps
    the AppTest and browser runs from writing ``var/erbm.sqlite``.
    """
    import os

    previous = os.environ.get("ERBM_STATE_DIR")
    os.environ["ERBM_STATE_DIR"] = str(tmp_path_factory.mktemp("state"))
    yield
    if previous is None:
        os.environ.pop("ERBM_STATE_DIR", None)
    else:
        os.environ["ERBM_STATE_DIR"] = previous


@pytest.fixture(scope="session")
def territory() -> Territory:
    return load_territory()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break without touching the real one."""
    dest = tmp_path / "data"
    shutil.copytree(get_settings().data_dir, dest, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return dest


# Every test is of one kind, so that each runs where it should (`pytest -m unit` in seconds,
# browser and database tests where Chromium and PostgreSQL are). A test may say its kind with a
# marker; otherwise it is derived from what it uses, so that a new test cannot escape its kind.
KINDS = ("unit", "apptest", "browser", "postgres")
BROWSER_FIXTURES = frozenset({"browser", "offline_page", "app_url", "chromium_executable"})


def _derived_kinds(item: pytest.Item) -> set[str]:
    kinds = set()
    if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
        kinds.add("browser")
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "postgresql" in callspec.params.values():
        kinds.add("postgres")
    code = getattr(getattr(item, "function", None), "__code__", None)
    uses_apptest = code is not None and "AppTest" in (*code.co_names, *code.co_varnames)
    if item.path.stem.endswith("apptest") or uses_apptest:
        kinds.add("apptest")
    return kinds or {"unit"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not any(item.get_closest_marker(kind) for kind in KINDS):
            for kind in sorted(_derived_kinds(item)):
                item.add_marker(getattr(pytest.mark, kind))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    import os

    from tests.browser_support import chromium_path

    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: scripts/test.sh should have installed Debian's chromium")
        pytest.skip("Debian's chromium is not installed (bash scripts/test.sh installs it)")
    return path


@pytest.fixture(scope="session")
def app_url() -> str:
    from tests.browser_support import running_app

    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def offline_page(browser, request):
    """A fresh page where every non-local request is refused; screenshot saved on failure."""
    from tests.browser_support import ARTIFACTS, Offline

    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    offline = Offline()
    page.on("request", offline)
    page.offline_guard = offline
    yield page
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
