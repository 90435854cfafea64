"""Login attempts, counted in the database so that every instance of the app shares the counts.

Two rules, checked before a password is hashed (PBKDF2 costs about 0.3 s of CPU):

- a token bucket for the whole server: at most ``BUCKET_BURST`` checks at once, then
  ``BUCKET_RATE`` per second, whatever the login typed: random logins from fresh sessions cannot
  make the server hash faster than that;
- a backoff per login: after ``FREE_FAILURES`` failures, each further attempt waits
  ``2**(n - FREE_FAILURES)`` seconds after the last failure, at most ``MAX_DELAY_S``; the count is
  forgotten ``FORGET_AFTER_S`` after the last failure. There is no lock that lasts: one wrong try
  every five minutes delays the editor by a minute at most after each try, never keeps them out.

A browser that has already logged in to a login (its key hash, ``ui.browserkey``) skips both: an
attacker cannot lock out an editor who comes back with the same browser. Unknown logins are
counted like real ones, so the answers do not tell which logins exist.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from store.schema import THROTTLE_LOCK_KEY, login_throttle

BUCKET_RATE = 1.0  # password checks per second, for the whole server
BUCKET_BURST = 5.0
FREE_FAILURES = 4
MAX_DELAY_S = 60.0
FORGET_AFTER_S = 15 * 60.0
TRUST_DAYS = 90
_BUCKET = "bucket"


@dataclass(frozen=True)
class Verdict:
    """May a password be checked now? If not, how long to wait, and whether the server
    (``"serveur"``: the bucket is empty) or the login (``"identifiant"``: its backoff) says so."""

    allowed: bool
    wait_s: float = 0.0
    reason: str = ""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _login_row(login: str) -> str:
    return "login:" + _digest(login)


def _trust_row(login: str, browser: str) -> str:
    return "ok:" + _digest(f"{login}\x00{browser}")


def backoff_s(failures: int) -> float:
    """Seconds to wait after the last failure, once a login has ``failures`` of them."""
    if failures <= FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY_S, 2.0 ** (failures - FREE_FAILURES))


class LoginThrottle:
    """The counters of one database; thread- and process-safe (each step is one write transaction)."""

    def __init__(self, engine: Engine, errors: Callable[[], AbstractContextManager[None]]) -> None:
        self._engine = engine
        self._errors = errors

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        # One writer at a time: SQLite's BEGIN IMMEDIATE (erbm_write), PostgreSQL's advisory lock.
        with self._engine.connect().execution_options(erbm_write=True) as conn, conn.begin():
            if self._engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": THROTTLE_LOCK_KEY})
            yield conn

    @staticmethod
    def _get(conn: Connection, name: str) -> tuple[float, float] | None:
        row = conn.execute(select(login_throttle.c.amount, login_throttle.c.stamp).where(login_throttle.c.name == name))
        found = row.first()
        return (float(found[0]), float(found[1])) if found is not None else None

    @staticmethod
    def _put(conn: Connection, name: str, amount: float, stamp: float, *, exists: bool) -> None:
        if exists:
            conn.execute(update(login_throttle).where(login_throttle.c.name == name).values(amount=amount, stamp=stamp))
        else:
            conn.execute(insert(login_throttle).values(name=name, amount=amount, stamp=stamp))

    def _trusted(self, conn: Connection, login: str, browser: str | None, now: float) -> bool:
        if not browser:
            return False
        found = self._get(conn, _trust_row(login, browser))
        return found is not None and now - found[1] < TRUST_DAYS * 86400

    def admit(self, login: str, *, browser: str | None, now: float) -> Verdict:
        """Whether a password check for ``login`` may run now; takes a token from the bucket if so."""
        with self._errors(), self._transaction() as conn:
            if self._trusted(conn, login, browser, now):
                return Verdict(True)
            failures = self._get(conn, _login_row(login))
            if failures is not None and now - failures[1] < FORGET_AFTER_S:
                wait = failures[1] + backoff_s(int(failures[0])) - now
                if wait > 0:
                    return Verdict(False, wait, "identifiant")
            bucket = self._get(conn, _BUCKET)
            tokens = BUCKET_BURST if bucket is None else min(BUCKET_BURST, bucket[0] + (now - bucket[1]) * BUCKET_RATE)
            if tokens < 1.0:
                return Verdict(False, (1.0 - tokens) / BUCKET_RATE, "serveur")
            self._put(conn, _BUCKET, tokens - 1.0, now, exists=bucket is not None)
            return Verdict(True)

    def failed(self, login: str, *, now: float) -> None:
        """Count a failure for ``login``; forget the counts nobody has added to for a while."""
        with self._errors(), self._transaction() as conn:
            name = _login_row(login)
            found = self._get(conn, name)
            count = found[0] + 1 if found is not None and now - found[1] < FORGET_AFTER_S else 1.0
            self._put(conn, name, count, now, exists=found is not None)
            conn.execute(
                delete(login_throttle).where(
                    login_throttle.c.name.like("login:%"), login_throttle.c.stamp < now - FORGET_AFTER_S
                )
            )

    def succeeded(self, login: str, *, browser: str | None, now: float) -> None:
        """Forget the login's failures; trust this browser for this login from now on."""
        with self._errors(), self._transaction() as conn:
            conn.execute(delete(login_throttle).where(login_throttle.c.name == _login_row(login)))
            conn.execute(
                delete(login_throttle).where(
                    login_throttle.c.name.like("ok:%"), login_throttle.c.stamp < now - TRUST_DAYS * 86400
                )
            )
            if browser:
                name = _trust_row(login, browser)
                self._put(conn, name, 1.0, now, exists=self._get(conn, name) is not None)

    def failures(self, login: str) -> int:
        with self._errors(), self._engine.connect() as conn:
            found = self._get(conn, _login_row(login))
        return int(found[0]) if found is not None else 0

    def reset(self) -> None:
        """Forget every count (tests; an administrator may do the same by emptying the table)."""
        with self._errors(), self._transaction() as conn:
            conn.execute(delete(login_throttle))
