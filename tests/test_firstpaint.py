"""Which address opens the Carte page, whose first view draws its navigation after the map; the
one switch of that first view."""

from __future__ import annotations

import pytest

from ui.firstpaint import is_carte_url


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("http://localhost:8501/", "", True),
        ("http://localhost:8501", "", True),
        ("http://localhost:8501/carte?commune=62498&zoom=11", "", True),
        ("http://localhost:8501/carte/", "", True),
        ("http://localhost:8501/territoire?commune=62498", "", False),
        ("http://localhost:8501/cartes", "", False),
        ("https://erbm.example/outils/carte-erbm/", "/outils/carte-erbm/", True),
        ("https://erbm.example/outils/carte-erbm/carte", "outils/carte-erbm", True),
        ("https://erbm.example/outils/carte-erbm/sources", "outils/carte-erbm", False),
        ("https://erbm.example/", "outils/carte-erbm", False),
        ("", "", True),
    ],
)
def test_is_carte_url(url: str, base: str, expected: bool) -> None:
    assert is_carte_url(url, base_path=base) is expected


def test_one_switch_turns_map_first_off(monkeypatch) -> None:
    """Off, no run holds the widgets back, even a browser's first one; on, until the map is drawn."""
    import streamlit as st

    from ui import firstpaint

    monkeypatch.setattr(firstpaint, "_has_browser", lambda: True)
    monkeypatch.setattr(st, "session_state", {})
    assert firstpaint.holds_widgets() is True
    assert firstpaint.begin_prelude() is True and firstpaint.ended_prelude() is True
    monkeypatch.setattr(firstpaint, "MAP_FIRST", False)
    assert firstpaint.holds_widgets() is False
    assert firstpaint.begin_prelude() is False and firstpaint.ended_prelude() is False
    assert firstpaint.hides_navigation() is False
    monkeypatch.setattr(firstpaint, "MAP_FIRST", True)
    firstpaint.on_map_drawn()  # the component reported the map drawn: the whole page is due
    assert firstpaint.holds_widgets() is False
    assert st.session_state[firstpaint.FULL_PAGE_DUE_KEY] is True
