"""The versioned store, run against SQLite and (when a server is given) PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError

import store.snapshots as snapshots
from store import (
    BUILD_AUTHOR,
    ConflictError,
    InvalidChange,
    Store,
    StoreError,
    UnknownVersion,
    build_values,
)
from store.merge import Change, diff_snapshots, rebuild
from store.model import CiteValues
from store.schema import cite_values, normalise_url, versions
from tests.store_support import BACKENDS, StoreFactory, fresh_database_url

ROOT = Path(__file__).resolve().parent.parent
PARIS = ZoneInfo("Europe/Paris")
NAMES = {"102": "Cité des Alouettes", "208": "Cité n°4 de Lens", "20": "Cité n°5 d'Auchel"}


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    with fresh_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture()
def stores(store_url):
    factory = StoreFactory(store_url)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def build(territory) -> dict[str, CiteValues]:
    return build_values(territory.cites)


@pytest.fixture()
def seeded(stores, build) -> Store:
    db = stores(cite_names=NAMES)
    assert db.ensure_build(build, label="test").number == 1
    return db


def row_counts(db: Store) -> tuple[int, int]:
    with db._engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(versions)).scalar(),
            conn.execute(select(func.count()).select_from(cite_values)).scalar(),
        )


# Reference snapshot ------------------------------------------------------------------------------


def test_build_values_from_the_committed_cites(build) -> None:
    assert len(build) == 59
    assert build["102"] == CiteValues(
        statut="travaux logements",
        statut_date="2019-11-25",
        logements=139,
        source="",
        statut_source="seed-000",
        logements_source="seed-000 (2019-11-25)",
    )
    assert build["20"] == CiteValues(statut="non renseigné")
    assert build["208"].statut_date == "source non datée" and build["208"].logements == 605


def test_postgres_urls_use_psycopg_3() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///x.sqlite").drivername == "sqlite"
    with pytest.raises(StoreError, match="non prise en charge"):
        normalise_url("mysql://u@h/db")


# Seeding and reading -----------------------------------------------------------------------------


def test_first_start_creates_the_store_and_seeds_version_one(stores, build, store_url) -> None:
    db = stores()
    assert db.dialect == ("sqlite" if store_url.startswith("sqlite") else "postgresql")
    assert db.head_number() == 0
    with pytest.raises(UnknownVersion, match="Aucune version enregistrée"):
        db.head()
    first = db.ensure_build(build, label="construction du 2026-11-22")
    assert (first.number, first.kind, first.author, first.changes, first.base_version) == (
        1,
        "initial",
        BUILD_AUTHOR,
        0,
        None,
    )
    assert first.note == "Données de référence : construction du 2026-11-22."
    assert first.created_at.tzinfo is not None and first.created_at.utcoffset() == timedelta(0)
    assert db.ensure_build(build, label="construction du 2026-11-22") is None
    assert db.head() == first == db.version(1)
    assert db.values() == build == db.values(1)
    assert list(db.values())[:5] == ["20", "33", "63", "75", "102"]  # inventory order, numeric
    if db.dialect == "sqlite":
        path = Path(store_url.removeprefix("sqlite:///"))
        assert path.is_file()
        with db._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_unknown_versions_are_named_in_french(seeded) -> None:
    for call in (
        lambda: seeded.values(42),
        lambda: seeded.version(42),
        lambda: seeded.diff(1, 42),
        lambda: seeded.rollback(42, author="marie"),
        lambda: seeded.apply({"102": {"statut": "livrée"}}, base_version=42, author="marie"),
    ):
        with pytest.raises(UnknownVersion) as err:
            call()
        assert err.value.french_message() == "Version 42 inconnue : les versions vont de 1 à 1."
    assert row_counts(seeded) == (1, 59)


# Applying changes --------------------------------------------------------------------------------


def test_apply_writes_only_changed_fields_and_sources_them_to_the_new_version(seeded, build) -> None:
    v2 = seeded.apply(
        {"102": {"statut": "livrée", "statut_date": "2024-06", "logements": 139, "source": "CR du 12 juin"}},
        base_version=1,
        author="marie",
        note="réunion de suivi",
    )
    assert (v2.number, v2.kind, v2.author, v2.note, v2.base_version, v2.changes) == (
        2,
        "import",
        "marie",
        "réunion de suivi",
        1,
        3,  # logements was already 139
    )
    assert seeded.values()["102"] == CiteValues(
        statut="livrée",
        statut_date="2024-06",
        logements=139,
        source="CR du 12 juin",
        statut_source="maj-2",
        logements_source="seed-000 (2019-11-25)",
    )
    assert seeded.values(1) == build  # nothing overwritten in place
    assert {k: v for k, v in seeded.values().items() if k != "102"} == {k: v for k, v in build.items() if k != "102"}
    assert row_counts(seeded) == (2, 118)

    v3 = seeded.apply({"20": {"logements": 250}}, base_version=None, author="paul", kind="edit")
    assert (v3.number, v3.kind, v3.base_version, v3.changes) == (3, "edit", 2, 1)
    assert seeded.values()["20"] == CiteValues(statut="non renseigné", logements=250, logements_source="maj-3")
    assert [v.number for v in seeded.versions()] == [3, 2, 1]


def test_no_effective_change_writes_nothing(seeded, build) -> None:
    assert seeded.apply({"102": {"statut": "travaux logements", "logements": 139}}, base_version=1, author="m") is None
    assert seeded.apply({}, base_version=None, author="m") is None
    seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="marie")
    # Someone else already saved the very same value: nothing left to write.
    assert seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="paul") is None
    assert seeded.head_number() == 2
    assert row_counts(seeded) == (2, 118)


def test_invalid_changes_are_refused_whole(seeded) -> None:
    cases = [
        ({"102": {"statut": "livrée"}, "999999": {"statut": "études"}}, "Cité(s) inconnue(s) : 999999"),
        ({"102": {"statut": "fini"}}, "statut inconnu « fini »"),
        ({"102": {"logements": -4}}, "nombre de logements invalide « -4 »"),
        ({"102": {"logements": "12"}}, "nombre de logements invalide « 12 »"),
        ({"102": {"statut_source": "x"}}, "Champ non modifiable « statut_source »"),
    ]
    for changes, message in cases:
        with pytest.raises(InvalidChange) as err:
            seeded.apply(changes, base_version=1, author="marie")
        assert isinstance(err.value, ValueError)
        assert message in err.value.french_message()
    with pytest.raises(InvalidChange, match="auteur"):
        seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="  ")
    assert row_counts(seeded) == (1, 59)


# Merging concurrent imports ----------------------------------------------------------------------


def test_imports_from_the_same_base_merge_field_by_field(seeded) -> None:
    a = seeded.apply({"102": {"statut": "livrée", "logements": 139}}, base_version=1, author="marie")
    # Paul's file was made from version 1 too: his untouched 102 statut must not undo Marie's.
    b = seeded.apply(
        {"102": {"statut": "travaux logements", "logements": 150}, "208": {"logements": 610}},
        base_version=1,
        author="paul",
    )
    assert (a.number, b.number, b.base_version, b.changes) == (2, 3, 1, 2)
    head = seeded.values()
    assert (head["102"].statut, head["102"].statut_source) == ("livrée", "maj-2")
    assert (head["102"].logements, head["102"].logements_source) == (150, "maj-3")
    assert (head["208"].logements, head["208"].statut) == (610, "travaux logements")
    assert seeded.diff(2, 3) == [Change("102", "logements", 139, 150), Change("208", "logements", 605, 610)]


def test_conflict_lists_each_cell_and_writes_nothing(seeded) -> None:
    seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="marie")
    seeded.apply({"20": {"logements": 80}}, base_version=2, author="marie")
    with pytest.raises(ConflictError) as err:
        seeded.apply(
            {"102": {"statut": "études"}, "20": {"logements": 90}, "208": {"logements": 610}},
            base_version=1,
            author="paul",
        )
    conflict = err.value
    # The status is reported with its date: the two are merged as one.
    assert [(c.cite_id, c.field, c.current, c.proposed, c.changed_in) for c in conflict.conflicts] == [
        ("20", "logements", 80, 90, 3),
        ("102", "statut", "livrée (2019-11-25)", "études (2019-11-25)", 2),
    ]
    message = conflict.french_message()
    assert "depuis la version 1" in message
    assert (
        "cité 102 (Cité des Alouettes), champ « statut » : « livrée (2019-11-25) » dans la base (version 2), "
        "« études (2019-11-25) » dans votre saisie"
    ) in message
    assert "cité 20 (Cité n°5 d'Auchel), champ « logements » : « 80 » dans la base (version 3)" in message
    assert "version courante (3)" in message
    assert seeded.head_number() == 3
    assert seeded.values()["208"].logements == 605  # all or nothing


def _apply_at_once(instances: list[Store], counts: dict[str, int], *, timeout: float) -> dict[str, object]:
    """Each instance writes one cité's count, all released at the same instant; each one's
    version, or the exception it raised."""
    barrier = threading.Barrier(len(counts))
    results: dict[str, object] = {}

    def run(db: Store, cite_id: str, count: int) -> None:
        barrier.wait()
        try:
            results[cite_id] = db.apply({cite_id: {"logements": count}}, base_version=1, author=f"p{count}")
        except Exception as err:  # noqa: BLE001 - reported by the callers' assertions
            results[cite_id] = err

    threads = [
        threading.Thread(target=run, args=(db, cid, n)) for db, (cid, n) in zip(instances, counts.items(), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return results


def test_concurrent_imports_on_separate_instances_all_land(stores, build) -> None:
    stores().ensure_build(build, label="test")
    planned = {"102": 1, "208": 2, "20": 3, "33": 4, "63": 5, "75": 6}
    instances = [stores() for _ in planned]
    results = _apply_at_once(instances, planned, timeout=120)
    assert all(isinstance(r, snapshots.Version) for r in results.values()), results
    assert sorted(r.number for r in results.values()) == [2, 3, 4, 5, 6, 7]
    head = instances[0].values()
    for cite_id, count in planned.items():
        assert head[cite_id].logements == count
        assert head[cite_id].logements_source == f"maj-{results[cite_id].number}"
    assert [v.number for v in instances[-1].versions()] == [7, 6, 5, 4, 3, 2, 1]


def test_concurrent_imports_of_the_same_cell_one_lands_one_conflicts(stores, build) -> None:
    stores().ensure_build(build, label="test")
    first, second = stores(cite_names=NAMES), stores(cite_names=NAMES)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def run(db: Store, statut: str) -> None:
        barrier.wait()
        try:
            results.append(db.apply({"102": {"statut": statut}}, base_version=1, author=statut))
        except ConflictError as err:
            results.append(err)

    threads = [
        threading.Thread(target=run, args=(first, "livrée")),
        threading.Thread(target=run, args=(second, "études")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    saved = [r for r in results if isinstance(r, snapshots.Version)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(saved) == 1 and len(refused) == 1
    assert first.head_number() == 2
    winner = first.values()["102"].statut
    assert winner == saved[0].author
    assert refused[0].conflicts[0].current == f"{winner} (2019-11-25)" and refused[0].conflicts[0].changed_in == 2


def test_a_writer_that_read_a_stale_head_retries_and_merges(seeded, monkeypatch) -> None:
    seeded.apply({"208": {"logements": 610}}, base_version=1, author="marie")
    real_latest = snapshots.latest
    calls = []

    def stale_once(conn):
        calls.append(1)
        row = real_latest(conn)
        if len(calls) == 1:  # as if version 2 had not been committed yet when this writer looked
            return conn.execute(select(versions.c.number, versions.c.created_at).where(versions.c.number == 1)).first()
        return row

    monkeypatch.setattr(snapshots, "latest", stale_once)
    v = seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="paul")
    assert len(calls) == 2  # the primary key refused version 2 once
    assert v.number == 3
    head = seeded.values()
    assert head["208"].logements == 610 and head["102"].statut == "livrée"


def test_interleaved_writers_both_land(stores, build, monkeypatch) -> None:
    """Writer A has read the head and is about to insert when writer B saves on another instance."""
    stores().ensure_build(build, label="test")
    a, b = stores(), stores()
    real_insert = snapshots.insert_version
    b_done = threading.Event()
    state: dict[str, object] = {}

    def b_writes() -> None:
        state["b"] = b.apply({"208": {"logements": 610}}, base_version=1, author="b")
        b_done.set()

    def insert_after_b(conn, **kwargs):
        if "thread" not in state:
            state["thread"] = threading.Thread(target=b_writes)
            state["thread"].start()
            # B waits for A's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the advisory lock); a B
            # that did not would have written within a few milliseconds.
            state["b_first"] = b_done.wait(timeout=1)
        return real_insert(conn, **kwargs)

    monkeypatch.setattr(snapshots, "insert_version", insert_after_b)
    va = a.apply({"102": {"statut": "livrée"}}, base_version=1, author="a")
    state["thread"].join(timeout=120)
    vb = state["b"]
    assert not state["b_first"] and (va.number, vb.number) == (2, 3)
    head = a.values()
    assert head["102"].statut == "livrée" and head["208"].logements == 610


# Rollback, diff, as-of ---------------------------------------------------------------------------


def test_rollback_restores_a_snapshot_as_a_new_version(seeded, build) -> None:
    seeded.apply({"102": {"statut": "livrée", "source": "CR"}}, base_version=1, author="marie")
    v2_values = seeded.values(2)
    seeded.apply({"208": {"logements": 700}}, base_version=2, author="paul")
    back = seeded.rollback(1, author="lucie", note="saisies erronées")
    assert (back.number, back.kind, back.restored_from, back.author, back.note, back.changes) == (
        4,
        "rollback",
        1,
        "lucie",
        "saisies erronées",
        3,
    )
    assert seeded.values(4) == build
    assert seeded.values(2) == v2_values and seeded.values(3)["208"].logements == 700
    assert seeded.diff(3, 4) == [
        Change("102", "statut", "livrée", "travaux logements"),
        Change("102", "source", "CR", ""),
        Change("208", "logements", 700, 605),
    ]
    again = seeded.rollback(2, author="lucie")
    assert seeded.values(again.number) == v2_values and seeded.values()["102"].statut_source == "maj-2"


def test_diff_is_sorted_by_cite_then_template_column(seeded) -> None:
    seeded.apply(
        {"208": {"logements": 1, "statut": "livrée"}, "20": {"source": "x", "statut_date": "2020"}},
        base_version=1,
        author="m",
    )
    assert seeded.diff(1, 2) == [
        Change("20", "statut_date", "", "2020"),
        Change("20", "source", "", "x"),
        Change("208", "statut", "travaux logements", "livrée"),
        Change("208", "logements", 605, 1),
    ]
    assert [(c.before, c.after) for c in seeded.diff(2, 1)][0] == ("2020", "")
    assert seeded.diff(2, 2) == []


def test_version_at_a_date_or_a_moment(seeded) -> None:
    v1 = seeded.version(1)
    v2 = seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="m")
    assert v2.created_at >= v1.created_at
    assert seeded.version_at(v1.created_at) == v1
    assert seeded.version_at(v2.created_at) == v2
    assert seeded.version_at(v1.created_at - timedelta(microseconds=1)) is None
    assert seeded.version_at(v2.created_at + timedelta(days=3)) == v2
    today = v2.created_at.astimezone(PARIS).date()
    assert seeded.version_at(today) == v2  # a date means the end of that day in Paris
    assert seeded.version_at(today - timedelta(days=1)) is None
    naive_paris = v1.created_at.astimezone(PARIS).replace(tzinfo=None)
    assert seeded.version_at(naive_paris).number == 1


def test_creation_times_never_go_back(seeded, monkeypatch) -> None:
    before = seeded.version(1).created_at

    class SlowClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2000, 1, 1, tzinfo=UTC)

    monkeypatch.setattr(snapshots, "datetime", SlowClock)
    v2 = seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="m")
    assert v2.created_at == before  # an instance with a late clock still sorts after version 1
    assert seeded.version_at(date(2000, 1, 2)) is None


# Crash safety ------------------------------------------------------------------------------------


def test_a_failure_mid_write_leaves_the_previous_head_intact(seeded, build, monkeypatch) -> None:
    real = snapshots.insert_snapshot

    def half_then_fail(conn, number, snapshot):
        real(conn, number, dict(list(snapshot.items())[:30]))
        raise RuntimeError("disque plein (simulé)")

    monkeypatch.setattr(snapshots, "insert_snapshot", half_then_fail)
    with pytest.raises(RuntimeError, match="simulé"):
        seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="m")
    assert row_counts(seeded) == (1, 59)
    monkeypatch.undo()
    other = Store(
        seeded._display_url if seeded.dialect == "sqlite" else str(seeded._engine.url.render_as_string(False))
    )
    try:
        assert other.head_number() == 1 and other.values() == build
        assert seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="m").number == 2
    finally:
        other.close()


CRASHING_IMPORT = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    import store.snapshots as snapshots
    from store import Store

    real = snapshots.insert_snapshot

    def half_then_die(conn, number, snapshot):
        real(conn, number, dict(list(snapshot.items())[:30]))
        print("rows written, dying", flush=True)
        os._exit(7)

    snapshots.insert_snapshot = half_then_die
    Store({url!r}).apply({{"102": {{"statut": "livrée"}}, "208": {{"logements": 1}}}}, base_version=1, author="m")
    """
)


def test_a_process_killed_mid_import_leaves_the_previous_head_intact(seeded, build, store_url) -> None:
    script = CRASHING_IMPORT.format(root=str(ROOT), url=store_url)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 7, result.stderr
    assert "rows written, dying" in result.stdout
    fresh = Store(store_url)
    try:
        assert fresh.head_number() == 1
        assert fresh.values() == build
        assert row_counts(fresh) == (1, 59)
        # The dead writer's lock is gone: the next import goes through at once.
        assert fresh.apply({"102": {"statut": "livrée"}}, base_version=1, author="m").number == 2
    finally:
        fresh.close()


# Several instances and the build -----------------------------------------------------------------


def test_two_instances_see_each_others_updates(stores, build) -> None:
    one, two = stores(), stores()
    assert one.ensure_build(build, label="test").number == 1
    assert two.ensure_build(build, label="test") is None
    assert two.values()["102"].statut == "travaux logements"  # cached by instance two
    one.apply({"102": {"statut": "livrée"}}, base_version=1, author="m")
    assert two.head_number() == 2
    assert two.values()["102"].statut == "livrée"
    two.apply({"208": {"logements": 9}}, base_version=2, author="p")
    assert one.head_number() == 3 and one.head().author == "p"
    assert one.values()["208"].logements == 9


def test_ensure_build_follows_a_rebuild_but_keeps_planner_values(seeded, build) -> None:
    seeded.apply({"102": {"statut": "livrée", "source": "CR"}, "208": {"logements": 610}}, base_version=1, author="m")
    rebuilt = dict(build)
    rebuilt["102"] = replace(build["102"], statut="études", logements=200, logements_source="seed-009 (2026-01-01)")
    rebuilt["208"] = replace(build["208"], statut="livrée", statut_date="2026-02", statut_source="web-099", logements=1)
    del rebuilt["20"]
    rebuilt["100999"] = CiteValues(statut="études", statut_date="2025", statut_source="web-100")

    v = seeded.ensure_build(rebuilt, label="construction du 2026-12-01")
    assert (v.number, v.kind, v.author, v.base_version) == (3, "build", BUILD_AUTHOR, 2)
    assert "reconstruites (construction du 2026-12-01)" in v.note
    head = seeded.values()
    assert head["102"] == CiteValues(
        statut="livrée",  # the planner's, kept
        statut_date="2019-11-25",
        logements=200,  # the build's, followed
        source="CR",
        statut_source="maj-2",
        logements_source="seed-009 (2026-01-01)",
    )
    assert (head["208"].statut, head["208"].statut_date, head["208"].statut_source) == ("livrée", "2026-02", "web-099")
    assert (head["208"].logements, head["208"].logements_source) == (610, "maj-2")
    assert "20" not in head and head["100999"] == rebuilt["100999"]
    assert "20" in seeded.values(2)
    assert seeded.ensure_build(rebuilt, label="construction du 2026-12-01") is None
    assert rebuild(head, rebuilt) == head


def test_concurrent_first_starts_seed_exactly_one_version(stores, build) -> None:
    """Several instances start at once on an empty database: one schema, one initial version."""
    barrier = threading.Barrier(4)
    results: list[object] = []

    def start() -> None:
        barrier.wait()
        try:
            db = stores()
            results.append(db.ensure_build(build, label="test"))
        except Exception as err:  # noqa: BLE001 - reported by the assertion below
            results.append(err)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not [r for r in results if isinstance(r, Exception)], results
    created = [r for r in results if r is not None]
    assert len(created) == 1 and created[0].kind == "initial"
    db = stores()
    assert db.head_number() == 1 and db.values() == build

    rebuilt = dict(build)
    rebuilt["102"] = replace(build["102"], statut="livrée", statut_source="web-200")
    barrier = threading.Barrier(4)
    results.clear()
    instances = [stores() for _ in range(4)]

    def rebuild_at_once(db: Store) -> None:
        barrier.wait()
        results.append(db.ensure_build(rebuilt, label="nouvelle construction"))

    threads = [threading.Thread(target=rebuild_at_once, args=(i,)) for i in instances]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert [r.kind for r in results if r is not None] == ["build"]
    assert db.head_number() == 2 and db.values()["102"].statut == "livrée"


def test_schema_creation_is_idempotent_across_processes(store_url, build) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from store import Store
        Store({store_url!r}).close()
        print("ok")
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    db = Store(store_url)
    try:
        assert db.head_number() == 0
        db.ensure_build(build, label="test")
        db.close()
        db = Store(store_url)  # reopening an existing store changes nothing
        assert db.head_number() == 1 and db.values() == build
    finally:
        db.close()


# What the database itself guarantees -------------------------------------------------------------


def test_history_is_insert_only_in_the_database(seeded) -> None:
    engine = seeded._engine
    for statement in (
        "UPDATE erbm_versions SET author = 'x'",
        "DELETE FROM erbm_versions",
        "UPDATE erbm_cite_values SET statut = 'livrée'",
        "DELETE FROM erbm_cite_values",
    ):
        with pytest.raises(Exception, match="ajout seul"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    if seeded.dialect == "postgresql":
        with pytest.raises(Exception, match="ajout seul"):
            with engine.begin() as conn:
                conn.execute(text("TRUNCATE erbm_cite_values"))
    assert row_counts(seeded) == (1, 59)


def test_history_is_linear_in_the_database(seeded) -> None:
    row = {"created_at": datetime.now(UTC), "author": "x", "note": "", "kind": "import", "changes": 0}
    for bad in (
        {"number": 3, "parent": 2},  # a gap: version 2 does not exist
        {"number": 2, "parent": None},  # a second root
        {"number": 3, "parent": 1},  # a branch from version 1
    ):
        with pytest.raises(IntegrityError):
            with seeded._engine.begin() as conn:
                conn.execute(insert(versions), {**row, **bad})
    assert seeded.head_number() == 1


def test_unreachable_postgres_is_a_french_error() -> None:
    with pytest.raises(StoreError, match="Base de données indisponible"):
        Store("postgresql://erbm@127.0.0.1:1/nulle_part")


def test_snapshot_diff_counts_added_and_removed_cites(build) -> None:
    smaller = {k: v for k, v in build.items() if k != "102"}
    changes = diff_snapshots(build, smaller)
    assert {c.cite_id for c in changes} == {"102"}
    assert Change("102", "statut", "travaux logements", None) in changes


# Review fixes: version bounds, rollback confirmation, status unit, many writers ---------------------

HUGE = 99999999999999999999


@pytest.mark.parametrize("number", [0, -1, 2**31, HUGE])
def test_version_numbers_out_of_range_are_unknown_versions_not_database_errors(seeded, number) -> None:
    for call in (
        lambda: seeded.values(number),
        lambda: seeded.version(number),
        lambda: seeded.diff(1, number),
        lambda: seeded.diff(number, 1),
        lambda: seeded.rollback(number, author="marie"),
        lambda: seeded.apply({"102": {"statut": "livrée"}}, base_version=number, author="marie"),
    ):
        with pytest.raises(UnknownVersion) as err:
            call()
        assert err.value.french_message() == f"Version {number} inconnue : les versions vont de 1 à 1."
    assert row_counts(seeded) == (1, 59)


def test_the_largest_version_number_is_asked_to_the_database(seeded) -> None:
    with pytest.raises(UnknownVersion, match=f"Version {2**31 - 1} inconnue"):
        seeded.values(2**31 - 1)


def test_rollback_refuses_when_a_version_was_saved_since_the_confirmation(seeded, build) -> None:
    seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="marie")  # page drawn at head 2
    seeded.apply({"208": {"logements": 700}}, base_version=2, author="paul")  # saved meanwhile
    with pytest.raises(ConflictError) as err:
        seeded.rollback(1, author="lucie", expected_head=2)
    assert err.value.french_message() == (
        "La version 3 a été enregistrée depuis l'affichage de cette page : rechargez l'historique et "
        "confirmez à nouveau la restauration."
    )
    assert err.value.conflicts == () and (err.value.base_version, err.value.head) == (2, 3)
    assert row_counts(seeded) == (3, 177)
    with pytest.raises(UnknownVersion):
        seeded.rollback(1, author="lucie", expected_head=9)
    back = seeded.rollback(1, author="lucie", expected_head=3)
    assert (back.number, back.restored_from, back.base_version) == (4, 1, 3)
    assert seeded.values(4) == build


def test_rollback_to_a_snapshot_identical_to_the_head_writes_nothing(seeded) -> None:
    assert seeded.rollback(1, author="lucie") is None
    assert seeded.rollback(1, author="lucie", expected_head=1) is None
    assert row_counts(seeded) == (1, 59)
    seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="marie")
    assert seeded.rollback(2, author="lucie") is None
    assert seeded.rollback(1, author="lucie").number == 3
    assert seeded.rollback(1, author="lucie") is None  # version 3 holds version 1's values
    assert row_counts(seeded) == (3, 177)


def test_status_and_its_date_merge_as_one_unit(seeded) -> None:
    seeded.apply({"102": {"statut": "livrée"}}, base_version=1, author="marie")
    # Paul's file, from version 1, only changes the date: « livrée » with his date was never entered.
    with pytest.raises(ConflictError) as err:
        seeded.apply({"102": {"statut": "travaux logements", "statut_date": "2020-05"}}, base_version=1, author="paul")
    assert [(c.cite_id, c.field, c.current, c.proposed, c.changed_in) for c in err.value.conflicts] == [
        ("102", "statut", "livrée (2019-11-25)", "travaux logements (2020-05)", 2),
    ]
    assert "« livrée (2019-11-25) » dans la base (version 2), « travaux logements (2020-05) »" in str(err.value)
    assert seeded.head_number() == 2
    # The other way round: a date changed first, then a status from the old base.
    seeded.apply({"208": {"statut_date": "2021"}}, base_version=2, author="marie")
    with pytest.raises(ConflictError) as err:
        seeded.apply({"208": {"statut": "livrée"}}, base_version=2, author="paul")
    assert [(c.field, c.current, c.proposed, c.changed_in) for c in err.value.conflicts] == [
        ("statut", "travaux logements (2021)", "livrée (source non datée)", 3),
    ]
    # Other fields of the same cité still merge, and the same unit entered twice needs nothing.
    v4 = seeded.apply({"102": {"statut": "livrée", "logements": 150}}, base_version=1, author="lea")
    assert (v4.number, v4.changes) == (4, 1)
    assert (seeded.values()["102"].statut, seeded.values()["102"].logements) == ("livrée", 150)
    assert seeded.apply({"102": {"statut": "livrée", "statut_date": "2019-11-25"}}, base_version=1, author="x") is None


def test_three_way_lists_only_the_planners_cells_of_a_conflicting_unit(build) -> None:
    from store.merge import conflicts_of, three_way

    base = {"102": build["102"]}
    head = {"102": replace(build["102"], statut="livrée")}
    cells = {("102", "statut_date"): "2020-05", ("102", "logements"): 150}
    effective, conflicting = three_way(cells, base=base, head=head)
    assert effective == {("102", "logements"): 150}
    assert conflicting == [("102", "statut_date")]  # a cell the caller can look up in ``cells``
    conflicts = conflicts_of(cells, conflicting, base=base, head=head)
    assert [(c.field, c.current, c.proposed, c.changed_in) for c in conflicts] == [
        ("statut", "livrée (2019-11-25)", "travaux logements (2020-05)", None)
    ]
    unset = {"102": replace(build["102"], statut="livrée", statut_date="")}
    assert conflicts_of(cells, conflicting, base=base, head=unset)[0].current == "livrée (date non renseignée)"


def test_thirty_simultaneous_disjoint_imports_all_land_without_retrying(stores, build, monkeypatch) -> None:
    stores().ensure_build(build, label="test")
    cite_ids = sorted(build, key=lambda c: (len(c), c))[:30]
    instances = [stores() for _ in cite_ids]
    real_latest, attempts, lock = snapshots.latest, [], threading.Lock()

    def counted(conn):
        with lock:
            attempts.append(1)
        return real_latest(conn)

    monkeypatch.setattr(snapshots, "latest", counted)
    results = _apply_at_once(instances, {cite_id: 1000 + n for n, cite_id in enumerate(cite_ids)}, timeout=300)
    assert all(isinstance(r, snapshots.Version) for r in results.values()), results
    assert sorted(r.number for r in results.values()) == list(range(2, 32))
    assert len(attempts) == 30  # writers queue on the write lock: none had to merge again
    head = instances[0].values()
    for n, cite_id in enumerate(cite_ids):
        assert (head[cite_id].logements, head[cite_id].logements_source) == (1000 + n, f"maj-{results[cite_id].number}")


def _unused() -> None:  # keep imports honest for linters
    create_engine, os
