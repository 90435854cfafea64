"""The versioned store of the cités' editable values: SQLite by default, PostgreSQL to scale out.

Every change is a new version holding the full snapshot of the 59 cités; nothing is ever updated
or deleted. A version is written in one transaction, so a crash leaves the previous head intact.
Writers take the database's write lock before reading the head they build on (``BEGIN IMMEDIATE``
on SQLite, a transaction-level advisory lock on PostgreSQL), so concurrent imports either both
land or the second one gets a :class:`ConflictError`. Should two writers still build on the same
head, they collide on the version number (a primary key): the loser rolls back, re-reads the new
head and merges again.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, time
from time import sleep

from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, InterfaceError, OperationalError

from core.vocab import PARIS
from store import snapshots
from store.errors import ConflictError, InvalidChange, StoreError, UnknownVersion
from store.fields import MAX_AUTHOR_CHARS, MAX_NOTE_CHARS, clean_free_text
from store.merge import (
    Change,
    Snapshot,
    cite_sort_key,
    conflicts_of,
    diff_snapshots,
    rebuild,
    requested_cells,
    three_way,
    with_changes,
)
from store.model import EDITABLE_FIELDS, MAX_VERSION, CiteValues
from store.schema import SCHEMA_LOCK_KEY, create_schema, make_engine, versions
from store.snapshots import Draft, DraftMaker, Version
from store.throttle import LoginThrottle

__all__ = ["BUILD_AUTHOR", "Store", "Version", "instant", "is_version_number"]

log = logging.getLogger("carte_erbm")

BUILD_AUTHOR = "construction des données"
MAX_WRITE_ATTEMPTS = 20
RETRY_PAUSE_S = 0.01
# Snapshots never change once written, so a cached one is never stale; only the head number is.
SNAPSHOT_CACHE_SIZE = 64
MAX_KIND_LENGTH = 20
# Serialises writers on PostgreSQL, held until the write transaction ends (its own key: distinct
# from the schema creation's).
WRITE_LOCK_KEY = SCHEMA_LOCK_KEY + 1


def is_version_number(number: object) -> bool:
    """True for a number a version can have (1 to 2**31 - 1); the database is never asked about others."""
    return isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= MAX_VERSION


def instant(when: date | datetime) -> datetime:
    """The moment meant by a date (the end of that day in Paris) or a datetime (naive: Paris time)."""
    if isinstance(when, datetime):
        return when.replace(tzinfo=PARIS) if when.tzinfo is None else when
    return datetime.combine(when, time.max, tzinfo=PARIS)


def _checked_author(author: str) -> str:
    if not " ".join(str(author or "").split()):
        raise InvalidChange("Indiquez l'auteur de la modification : l'historique dit qui a fait chaque version.")
    return clean_free_text(author, what="Auteur", limit=MAX_AUTHOR_CHARS)


def _checked_note(note: str) -> str:
    # Refused, never cut: a note longer than the limit is the planner's to shorten.
    return clean_free_text(note, what="Note de version", limit=MAX_NOTE_CHARS)


def _checked_ids(changes: Mapping[str, Mapping[str, object]], head: Snapshot) -> None:
    unknown = sorted((str(c) for c in changes if c not in head), key=cite_sort_key)
    if unknown:
        raise InvalidChange(
            f"Cité(s) inconnue(s) : {', '.join(unknown)}. Les identifiants sont ceux de la colonne « id » du modèle."
        )


@contextmanager
def _database_errors(url: str) -> Iterator[None]:
    """Database failures as a French sentence that names no host, user, path or driver message:
    those go to the server's log only, for the administrator."""
    try:
        yield
    except IntegrityError:
        raise
    except DBAPIError as err:
        reason = str(err.orig).strip().splitlines()[0] if err.orig is not None else type(err).__name__
        log.warning("base de données %s : %s", url, reason)
        if isinstance(err, OperationalError | InterfaceError):
            raise StoreError(
                "Base de données indisponible : réessayez dans un moment ; si cela dure, "
                "l'administrateur trouvera le détail dans le journal du serveur."
            ) from err
        raise StoreError(
            "La base de données a refusé l'opération : rien n'a été enregistré. "
            "L'administrateur trouvera le détail dans le journal du serveur."
        ) from err


class Store:
    """One database of versions; share one instance per process (it is thread-safe)."""

    def __init__(self, url: str, *, cite_names: Mapping[str, str] | None = None) -> None:
        # Names only make refusal messages readable; the store never depends on them.
        self.cite_names: dict[str, str] = dict(cite_names or {})
        try:
            self._engine = make_engine(url)
        except ArgumentError as err:
            # The address may hold a password: it goes nowhere, not even to the log.
            raise StoreError(
                "Adresse de base de données invalide (ERBM_DATABASE_URL) : sqlite:///chemin/erbm.sqlite "
                "ou postgresql+psycopg://utilisateur@hôte:5432/base attendue."
            ) from err
        self.dialect: str = self._engine.dialect.name
        self._display_url = make_url(url).render_as_string(hide_password=True)
        self._cache: OrderedDict[int, dict[str, CiteValues]] = OrderedDict()
        self._cache_lock = threading.Lock()
        with self._errors():
            create_schema(self._engine)
        self.logins = LoginThrottle(self._engine, self._errors)

    def close(self) -> None:
        self._engine.dispose()

    def _errors(self) -> AbstractContextManager[None]:
        return _database_errors(self._display_url)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._errors(), self._engine.connect() as conn:
            yield conn

    def _remember(self, number: int, snapshot: dict[str, CiteValues]) -> None:
        with self._cache_lock:
            self._cache[number] = snapshot
            self._cache.move_to_end(number)
            while len(self._cache) > SNAPSHOT_CACHE_SIZE:
                self._cache.popitem(last=False)

    def _snapshot(self, conn: Connection, number: int) -> dict[str, CiteValues]:
        with self._cache_lock:
            cached = self._cache.get(number)
        if cached is None:
            cached = snapshots.load_snapshot(conn, number)
            if cached:  # an empty result may be a version not written yet: never remember it
                self._remember(number, cached)
        return cached

    # Reading ---------------------------------------------------------------------------------

    def head_number(self) -> int:
        """The latest version's number (0 for an empty store): one indexed query."""
        with self._read() as conn:
            return int(conn.execute(select(func.max(versions.c.number))).scalar() or 0)

    def head(self) -> Version:
        with self._read() as conn:
            row = conn.execute(select(versions).order_by(versions.c.number.desc()).limit(1)).first()
        if row is None:
            raise UnknownVersion(0, head=0)
        return snapshots.version_of(row)

    def versions(self) -> list[Version]:
        """Every version, newest first."""
        with self._read() as conn:
            rows = conn.execute(select(versions).order_by(versions.c.number.desc())).all()
        return [snapshots.version_of(row) for row in rows]

    def _checked_number(self, number: int) -> int:
        if not is_version_number(number):
            raise UnknownVersion(number, head=self.head_number())
        return number

    def version(self, number: int) -> Version:
        self._checked_number(number)
        with self._read() as conn:
            row = conn.execute(select(versions).where(versions.c.number == number)).first()
        if row is None:
            raise UnknownVersion(number, head=self.head_number())
        return snapshots.version_of(row)

    def values(self, number: int | None = None) -> dict[str, CiteValues]:
        """The full snapshot of a version (the head when ``number`` is None)."""
        if number is None:
            number = self.head_number()
        self._checked_number(number)
        with self._read() as conn:
            snapshot = self._snapshot(conn, number)
            if (
                not snapshot
                and conn.execute(select(versions.c.number).where(versions.c.number == number)).first() is None
            ):
                raise UnknownVersion(number, head=int(conn.execute(select(func.max(versions.c.number))).scalar() or 0))
        return dict(snapshot)

    def version_at(self, when: date | datetime) -> Version | None:
        """The version the data were in at that moment: the last one created at or before it."""
        limit = instant(when)
        with self._read() as conn:
            row = conn.execute(
                select(versions).where(versions.c.created_at <= limit).order_by(versions.c.number.desc()).limit(1)
            ).first()
        return snapshots.version_of(row) if row is not None else None

    def diff(self, a: int, b: int, *, fields: tuple[str, ...] = EDITABLE_FIELDS) -> list[Change]:
        """What differs from version ``a`` to version ``b``, by cité then field."""
        self._checked_number(a)
        self._checked_number(b)
        return diff_snapshots(self.values(a), self.values(b), fields=fields)

    # Writing ---------------------------------------------------------------------------------

    def _write(self, make_draft: DraftMaker) -> Version | None:
        for attempt in range(MAX_WRITE_ATTEMPTS):
            seen = 0
            try:
                with self._errors(), self._engine.connect() as conn:
                    conn.execution_options(erbm_write=True)
                    with conn.begin():
                        if self.dialect == "postgresql":
                            # Writers queue here instead of colliding on the version number.
                            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
                        latest = snapshots.latest(conn)
                        seen = latest.number if latest is not None else 0
                        head = self._snapshot(conn, seen) if seen else {}
                        draft = make_draft(conn, seen + 1, dict(head))
                        if draft is None:
                            return None
                        version = snapshots.insert_version(
                            conn,
                            number=seen + 1,
                            draft=draft,
                            previous=head,
                            previous_at=latest.created_at if latest is not None else None,
                        )
            except IntegrityError:
                if self.head_number() == seen:
                    raise  # no one else wrote: a genuine constraint violation, not a race
                # Another writer took this number first: merge again on top of theirs, after a short
                # random pause so that a crowd of writers does not collide again in lockstep.
                sleep(random.uniform(0, RETRY_PAUSE_S * (attempt + 1)))
                continue
            self._remember(version.number, draft.snapshot)
            return version
        raise StoreError("Trop d'enregistrements simultanés : rien n'a été enregistré, réessayez dans un instant.")

    def ensure_build(self, build: Mapping[str, CiteValues], *, label: str) -> Version | None:
        """Seed an empty store with the build, or bring the head's reference values up to a new build.

        Values a planner entered are kept; cités follow the build's list. ``None``: nothing to do.
        """
        reference = dict(build)
        current = self.head_number()
        if current and rebuild(self.values(current), reference) == self.values(current):
            return None  # the common case at every start: no write lock taken

        def draft(_conn: Connection, number: int, head: dict[str, CiteValues]) -> Draft | None:
            if number == 1:
                return Draft(reference, kind="initial", author=BUILD_AUTHOR, note=f"Données de référence : {label}.")
            updated = rebuild(head, reference)
            if updated == head:
                return None
            return Draft(
                updated,
                kind="build",
                author=BUILD_AUTHOR,
                note=(
                    f"Données de référence reconstruites ({label}) : les valeurs qu'aucun chargé de mission "
                    "n'a saisies suivent la nouvelle construction."
                ),
                base_version=number - 1,
            )

        return self._write(draft)

    def apply(
        self,
        changes: Mapping[str, Mapping[str, object]],
        *,
        base_version: int | None,
        author: str,
        note: str = "",
        kind: str = "import",
    ) -> Version | None:
        """Write a planner's changes as a new version, merged on top of anything saved since their base.

        Only fields that differ from ``base_version`` (the head when None) count as changed. A cell
        changed since then by someone else to another value is a conflict: :class:`ConflictError`,
        nothing written. ``None`` when nothing would change.
        """
        who = _checked_author(author)
        note = _checked_note(note)
        if not kind or len(kind) > MAX_KIND_LENGTH:
            raise InvalidChange(f"Type de version invalide « {kind} ».")
        base = self.values(self._checked_number(base_version)) if base_version is not None else None

        def draft(conn: Connection, number: int, head: dict[str, CiteValues]) -> Draft | None:
            _checked_ids(changes, head)
            start = base if base is not None else head
            cells = requested_cells(changes, start)
            effective, conflicting = three_way(cells, base=start, head=head)
            if conflicting:
                since = base_version if base_version is not None else number - 1

                def changed_in(cite_id: str, unit: tuple[str, ...]) -> int | None:
                    before = start.get(cite_id, head[cite_id])
                    return snapshots.last_change(
                        conn,
                        cite_id,
                        unit,
                        start=tuple(getattr(before, name) for name in unit),
                        after=since,
                        upto=number - 1,
                    )

                raise ConflictError(
                    conflicts_of(cells, conflicting, base=start, head=head, changed_in=changed_in),
                    base_version=since,
                    head=number - 1,
                    names=self.cite_names,
                )
            if not effective:
                return None
            return Draft(
                with_changes(head, effective, number=number),
                kind=kind,
                author=who,
                note=note,
                base_version=base_version if base_version is not None else number - 1,
            )

        return self._write(draft)

    def rollback(self, number: int, *, author: str, note: str = "", expected_head: int | None = None) -> Version | None:
        """Restore version ``number`` as a new version; the versions in between stay in the history.

        ``expected_head``: the head the user saw when they confirmed; if another version was saved
        since, :class:`ConflictError` and nothing written. ``None`` (nothing written) when the head
        already holds exactly the values of version ``number``.
        """
        who = _checked_author(author)
        note = _checked_note(note)
        target = self.values(self._checked_number(number))
        if expected_head is not None and not isinstance(expected_head, int):
            raise InvalidChange(f"Version attendue invalide « {expected_head} ».")

        def draft(_conn: Connection, new: int, head: dict[str, CiteValues]) -> Draft | None:
            current = new - 1
            if expected_head is not None and expected_head > current:
                raise UnknownVersion(expected_head, head=current)
            if expected_head is not None and current != expected_head:
                raise ConflictError(
                    [],
                    base_version=expected_head,
                    head=current,
                    names=self.cite_names,
                    message=(
                        f"La version {current} a été enregistrée depuis l'affichage de cette page : "
                        "rechargez l'historique et confirmez à nouveau la restauration."
                    ),
                )
            if head == target:
                return None
            return Draft(
                dict(target), kind="rollback", author=who, note=note, base_version=current, restored_from=number
            )

        return self._write(draft)
