"""Fresh databases for the store's tests: an SQLite file always, PostgreSQL when a server is given.

``ERBM_TEST_POSTGRES_URL`` names an empty PostgreSQL database (``bash scripts/with-postgres.sh``
starts one); each test gets its own schema in it, dropped afterwards. In CI (``CI`` set) a missing
or unreachable server fails the PostgreSQL tests instead of skipping them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from store import Store

POSTGRES_ENV = "ERBM_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(
            f"PostgreSQL is required in CI: {reason} (scripts/test.sh starts one through scripts/with-postgres.sh)"
        )
    pytest.skip(f"PostgreSQL tests skipped: {reason} (run them with: bash scripts/with-postgres.sh python3 -m pytest)")


def with_search_path(url: str, schema: str) -> str:
    """The same database, with every unqualified table name resolved in ``schema``."""
    return make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@contextmanager
def fresh_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        # A folder that does not exist yet: the store creates it on first start.
        yield f"sqlite:///{(tmp_path / 'var' / 'erbm.sqlite').as_posix()}"
        return
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        _unavailable(f"{POSTGRES_ENV} is not set")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except OperationalError as err:
        admin.dispose()
        _unavailable(f"{url} is unreachable ({err.orig})")
    try:
        yield with_search_path(url, schema)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


class StoreFactory:
    """Opens stores on one database, like separate app instances, and closes them all at the end."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._opened: list[Store] = []

    def __call__(self, **options: object) -> Store:
        store = Store(self.url, **options)  # type: ignore[arg-type]
        self._opened.append(store)
        return store

    def close(self) -> None:
        for store in self._opened:
            store.close()
