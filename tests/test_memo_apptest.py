"""Prepared data survives a « clear caches » message (issue #18, finding 6).

Any browser can send Streamlit's ``clear_cache`` message, which empties ``st.cache_data`` and
``st.cache_resource`` for every session; the prepared data (datasets, display layers, store, map
pieces, key figures, facet counts) is kept per process (``ui.memo``) and must stay the same objects.
"""

from __future__ import annotations

import threading

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui.memo import process_cache

SCRIPT = """
import streamlit as st
from domain.metrics import INDICATORS
from ui import data, filters, headline, mapcache

t = data.territory()
dd = data.display_data()
ids = dd.cites["id"].astype(str).tolist()[:5]
objects = {
    "build": data.build_territory(),
    "territory": t,
    "display": dd,
    "store": data.store(),
    "colouring": mapcache.colouring(t, dd, next(iter(INDICATORS))),
    "cites": mapcache.cites_layer(dd, ids, show=True),
    "headline": headline._markdown("x", dd.cites_version, t),
    "facets": filters._facet_counts(dd.cites_version, filters.CiteFilter(), "statut", dd.cites),
}
for name, value in objects.items():
    st.text(f"{name}={id(value)}")
"""


def identities(at: AppTest) -> dict[str, str]:
    return dict(t.value.split("=", 1) for t in at.text)


def test_clearing_streamlits_caches_keeps_the_prepared_data(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ERBM_DATABASE_URL", f"sqlite:///{(tmp_path / 'erbm.sqlite').as_posix()}")
    at = AppTest.from_string(SCRIPT, default_timeout=120).run()
    assert not at.exception, at.exception
    before = identities(at)
    assert len(before) == 8
    # What a clear_cache BackMsg from any session does (streamlit.runtime: caching.*.clear()).
    st.cache_data.clear()
    st.cache_resource.clear()
    at.run()
    assert not at.exception, at.exception
    assert identities(at) == before


def test_one_computation_per_key_even_when_asked_at_once() -> None:
    calls = []
    gate = threading.Event()

    @process_cache(maxsize=2)
    def slow(key: str, _payload: object) -> list[str]:
        gate.wait(5)
        calls.append(key)
        return [key]

    threads = [threading.Thread(target=slow, args=("a", object())) for _ in range(4)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join()
    assert calls == ["a"]
    assert slow("a", None) is slow("a", object())  # _payload is not part of the key
    slow("b", None)
    slow("c", None)  # a third key pushes out the least recently used one
    assert not slow.is_cached("a", None) and slow.is_cached("c", None)


def test_a_failed_computation_is_not_kept() -> None:
    outcomes = iter([ValueError("panne"), "ok"])

    @process_cache(maxsize=2)
    def flaky(key: str) -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    with pytest.raises(ValueError, match="panne"):
        flaky("a")
    assert flaky("a") == "ok"
