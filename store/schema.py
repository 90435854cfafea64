"""The store's tables and how to open them on SQLite or PostgreSQL.

History is linear and insert-only, and the database itself guarantees both: a version's parent is
the version just before it (a CHECK), a parent has at most one child (the primary key on the
number), and triggers refuse any UPDATE, DELETE or TRUNCATE of a version or of its snapshot.
"""

from __future__ import annotations

import logging
import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic, sleep
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.types import TypeDecorator

from store.errors import StoreError

log = logging.getLogger("carte_erbm")

# Serialises schema creation between processes on PostgreSQL: concurrent CREATE TABLE IF NOT EXISTS
# can still collide in the catalogue. Any constant works, as long as it is this store's own.
SCHEMA_LOCK_KEY = 0x4552424D  # "ERBM"
# Serialises the login counters' updates on PostgreSQL (store.throttle); distinct from the others.
THROTTLE_LOCK_KEY = SCHEMA_LOCK_KEY + 2
SQLITE_BUSY_TIMEOUT_MS = 30_000


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite stores naive text, so UTC is implied there)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

versions = Table(
    "erbm_versions",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("parent", Integer, ForeignKey("erbm_versions.number"), nullable=True, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("author", String(200), nullable=False),
    Column("note", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("restored_from", Integer, ForeignKey("erbm_versions.number"), nullable=True),
    Column("base_version", Integer, nullable=True),
    Column("changes", Integer, nullable=False),
    CheckConstraint(
        "(number = 1 AND parent IS NULL) OR (number > 1 AND parent IS NOT NULL AND parent = number - 1)",
        name="erbm_versions_linear",
    ),
)

cite_values = Table(
    "erbm_cite_values",
    metadata,
    Column("version", Integer, ForeignKey("erbm_versions.number"), primary_key=True),
    Column("cite_id", String(64), primary_key=True),
    Column("statut", String(64), nullable=False),
    Column("statut_date", String(32), nullable=False),
    Column("logements", Integer, nullable=True),
    Column("source", Text, nullable=False),
    Column("statut_source", String(200), nullable=False),
    Column("logements_source", String(200), nullable=False),
)

# Login attempts (store.throttle): the server's token bucket, each login's failures, the browsers
# trusted for a login. Updated in place, unlike the history.
login_throttle = Table(
    "erbm_login_throttle",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("amount", Float, nullable=False),
    Column("stamp", Float, nullable=False),
)

INSERT_ONLY_MESSAGE = "historique en ajout seul : une version enregistrée ne se modifie ni ne se supprime"


def _sqlite_insert_only(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{INSERT_ONLY_MESSAGE}'); END"
        for op in ("UPDATE", "DELETE")
    ]


def _postgresql_insert_only(table: str) -> list[str]:
    return [
        f"CREATE OR REPLACE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION erbm_insert_only()",
        f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION erbm_insert_only()",
    ]


POSTGRESQL_FUNCTION = (
    "CREATE OR REPLACE FUNCTION erbm_insert_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION USING MESSAGE = '{INSERT_ONLY_MESSAGE} (' || TG_TABLE_NAME || ')'; END $$"
)


def normalise_url(url: str) -> URL:
    """``postgres://`` and ``postgresql://`` mean psycopg 3, the only PostgreSQL driver installed."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"Base de données non prise en charge : « {parsed.get_backend_name()} » "
            "(SQLite par défaut, ou PostgreSQL avec postgresql+psycopg://…)."
        )
    return parsed


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own implicit BEGIN would defer the write lock to the first INSERT, after the head
    # was read: two writers could then both build on the same head. We emit BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    # Switching a new database to WAL needs it to itself, and SQLite answers « locked » at once
    # instead of waiting busy_timeout: several instances starting together retry for as long.
    deadline = monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or monotonic() > deadline:
                raise
            sleep(random.uniform(0.005, 0.02))
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the database's write lock before reading the head it builds on.
    mode = "IMMEDIATE" if conn.get_execution_options().get("erbm_write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            log.warning("dossier de la base SQLite %s : %s", folder, err.strerror)
            raise StoreError(
                "Impossible de créer le dossier de la base SQLite (voir le journal du serveur, ou ERBM_STATE_DIR)."
            ) from err
    engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def create_schema(engine: Engine) -> None:
    """Create the tables once; any number of processes may call this at the same time."""
    with engine.connect().execution_options(erbm_write=True) as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        # Added after the first release: a database made before gets it now.
        login_throttle.create(conn, checkfirst=True)
        if inspect(conn).has_table(versions.name):
            return
        metadata.create_all(conn)
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(POSTGRESQL_FUNCTION)
            statements = [*_postgresql_insert_only(versions.name), *_postgresql_insert_only(cite_values.name)]
        else:
            statements = [*_sqlite_insert_only(versions.name), *_sqlite_insert_only(cite_values.name)]
        for statement in statements:
            conn.exec_driver_sql(statement)
