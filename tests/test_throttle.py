"""Login attempts counted in the store (store/throttle.py, issue #18 finding 3), SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from store import Store
from store import throttle as rules
from tests.store_support import BACKENDS, fresh_database_url

BROWSER = "b" * 64


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    with fresh_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture()
def logins(store_url):
    db = Store(store_url)
    yield db.logins
    db.close()


def test_random_logins_cannot_make_the_server_hash_faster_than_the_bucket(logins) -> None:
    """Fresh sessions with invented logins, 20 attempts a second for 10 s: the bucket's burst then
    its rate, not 200 hashes."""
    admitted = 0
    for tick in range(200):
        now = 1000.0 + tick * 0.05
        name = uuid.uuid4().hex
        verdict = logins.admit(name, browser=None, now=now)
        if verdict.allowed:
            admitted += 1
            logins.failed(name, now=now)
        else:
            assert verdict.reason == "serveur" and 0 < verdict.wait_s <= 1 / rules.BUCKET_RATE
    assert admitted == int(rules.BUCKET_BURST + 199 * 0.05 * rules.BUCKET_RATE)  # 14, not 200


def test_one_wrong_try_every_five_minutes_never_keeps_the_editor_out(logins) -> None:
    """The old per-login lock never reset: after 10 failures, one every 5 min kept the login locked."""
    now = 0.0
    for _ in range(24 * 12):  # a day of attacks
        verdict = logins.admit("marie", browser=None, now=now)
        assert verdict.allowed
        logins.failed("marie", now=now)
        # The editor, from a browser never used before, a minute after the attacker's try.
        assert logins.admit("marie", browser=None, now=now + rules.MAX_DELAY_S + 1).allowed
        now += 300.0
    assert logins.failures("marie") == 24 * 12


def test_backoff_grows_then_is_forgotten(logins) -> None:
    for _ in range(rules.FREE_FAILURES):
        assert logins.admit("paul", browser=None, now=10.0).allowed
        logins.failed("paul", now=10.0)
    assert logins.admit("paul", browser=None, now=10.0).allowed  # the free failures wait nothing
    logins.failed("paul", now=10.0)
    verdict = logins.admit("paul", browser=None, now=10.5)
    assert (verdict.allowed, verdict.reason, verdict.wait_s) == (False, "identifiant", 1.5)
    assert [rules.backoff_s(n) for n in (4, 5, 6, 7, 20)] == [0.0, 2.0, 4.0, 8.0, rules.MAX_DELAY_S]
    # Quiet for long enough, the count starts again from one.
    later = 10.0 + rules.FORGET_AFTER_S + 1
    assert logins.admit("paul", browser=None, now=later).allowed
    logins.failed("paul", now=later)
    assert logins.failures("paul") == 1


def test_a_browser_that_logged_in_before_is_never_held_back(logins) -> None:
    logins.succeeded("marie", browser=BROWSER, now=0.0)
    for tick in range(50):  # the login's backoff at its longest, the bucket empty
        logins.admit("marie", browser=None, now=100.0)
        logins.failed("marie", now=100.0)
    assert not logins.admit("marie", browser=None, now=100.0).allowed
    assert logins.admit("marie", browser=BROWSER, now=100.0).allowed
    assert not logins.admit("marie", browser="c" * 64, now=100.0).allowed
    # Trust is per login: the same browser is a stranger for another one.
    assert logins.admit("paul", browser=BROWSER, now=100.0).reason == "serveur"


def test_counts_are_shared_by_every_instance_on_the_database(store_url) -> None:
    first, second = Store(store_url), Store(store_url)
    try:
        for _ in range(rules.FREE_FAILURES + 1):
            first.logins.failed("marie", now=5.0)
        assert second.logins.failures("marie") == rules.FREE_FAILURES + 1
        assert not second.logins.admit("marie", browser=None, now=5.0).allowed
        second.logins.succeeded("marie", browser=None, now=6.0)
        assert first.logins.failures("marie") == 0
    finally:
        first.close()
        second.close()
