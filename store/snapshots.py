"""One version's rows in the database: its record in ``versions`` and its snapshot in ``cite_values``.

Each function works inside the caller's connection (and transaction): ``store.db.Store`` decides
when to read and write, these say how.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Row, insert, select

from store.merge import Snapshot, cite_sort_key, diff_snapshots
from store.model import CiteValues
from store.schema import cite_values, versions

VALUE_COLUMNS = ("statut", "statut_date", "logements", "source", "statut_source", "logements_source")


@dataclass(frozen=True)
class Version:
    """Who wrote a version, when, why, and how many values it changed."""

    number: int
    created_at: datetime
    author: str
    note: str
    kind: str
    restored_from: int | None
    changes: int
    base_version: int | None


@dataclass(frozen=True)
class Draft:
    """A version about to be written: its full snapshot and what the history says of it."""

    snapshot: dict[str, CiteValues]
    kind: str
    author: str
    note: str
    base_version: int | None = None
    restored_from: int | None = None


# Builds the version to write from the head it sees (its number + 1, its snapshot); None: nothing to write.
DraftMaker = Callable[[Connection, int, dict[str, CiteValues]], "Draft | None"]


def version_of(row: Row) -> Version:
    return Version(
        number=row.number,
        created_at=row.created_at,
        author=row.author,
        note=row.note,
        kind=row.kind,
        restored_from=row.restored_from,
        changes=row.changes,
        base_version=row.base_version,
    )


def values_of(row: Row) -> CiteValues:
    return CiteValues(**{name: getattr(row, name) for name in VALUE_COLUMNS})


def load_snapshot(conn: Connection, number: int) -> dict[str, CiteValues]:
    rows = conn.execute(select(cite_values).where(cite_values.c.version == number)).all()
    return {row.cite_id: values_of(row) for row in sorted(rows, key=lambda r: cite_sort_key(r.cite_id))}


def insert_snapshot(conn: Connection, number: int, snapshot: Snapshot) -> None:
    rows = [
        {"version": number, "cite_id": cite_id, **{name: getattr(v, name) for name in VALUE_COLUMNS}}
        for cite_id, v in snapshot.items()
    ]
    if rows:
        conn.execute(insert(cite_values), rows)


def insert_version(
    conn: Connection, *, number: int, draft: Draft, previous: Snapshot, previous_at: datetime | None
) -> Version:
    # Creation times follow version numbers even if two instances' clocks disagree, so that
    # "as of" a date never skips a version that an earlier one depends on.
    now = datetime.now(UTC)
    version = Version(
        number=number,
        created_at=max(now, previous_at) if previous_at is not None else now,
        author=draft.author,
        note=draft.note,
        kind=draft.kind,
        restored_from=draft.restored_from,
        # The first version has nothing to differ from: its snapshot is the data, not a change.
        changes=len(diff_snapshots(previous, draft.snapshot)) if number > 1 else 0,
        base_version=draft.base_version,
    )
    conn.execute(
        insert(versions),
        {
            "number": number,
            "parent": number - 1 if number > 1 else None,
            "created_at": version.created_at,
            "author": version.author,
            "note": version.note,
            "kind": version.kind,
            "restored_from": version.restored_from,
            "base_version": version.base_version,
            "changes": version.changes,
        },
    )
    insert_snapshot(conn, number, draft.snapshot)
    return version


def latest(conn: Connection) -> Row | None:
    """The head's number and creation time, as this transaction sees them."""
    return conn.execute(
        select(versions.c.number, versions.c.created_at).order_by(versions.c.number.desc()).limit(1)
    ).first()


def last_change(
    conn: Connection, cite_id: str, fields: tuple[str, ...], *, start: tuple[object, ...], after: int, upto: int
) -> int | None:
    """The version, after ``after`` and up to ``upto``, that last changed any of these fields of a cité."""
    rows = conn.execute(
        select(cite_values.c.version, *(cite_values.c[name] for name in fields))
        .where(cite_values.c.cite_id == cite_id, cite_values.c.version > after, cite_values.c.version <= upto)
        .order_by(cite_values.c.version)
    ).all()
    found, previous = None, tuple(start)
    for number, *values in rows:
        if tuple(values) != previous:
            found, previous = number, tuple(values)
    return found
