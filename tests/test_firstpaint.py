"""Which address opens the Carte page, whose first view draws its navigation after the map."""

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
