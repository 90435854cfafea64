"""The map's palettes against WCAG 2: status never by colour alone, every symbol's edge at 3:1
against whatever it is drawn on (1.4.11), computed from relative luminance (layers/contrast.py).

Five status colours cannot all be 3:1 from one another (luminance leaves room for three such
colours at most), nor can five choropleth classes: WCAG asks that colour not be the only cue
(1.4.1) and that a symbol's boundary stand out from what is next to it (1.4.11); that is what
is checked here, with the real style spec that drives the web map, the presentation and the PDF.
"""

from __future__ import annotations

import pandas as pd
import pytest

from core.vocab import STATUSES
from layers import cites, communes
from layers.contrast import MIN_GRAPHIC, blend, contrast, luminance

MAP_BACKGROUND = "#e9eef2"  # layers/map.css, .leaflet-container


def test_luminance_and_contrast_match_wcag_reference_values() -> None:
    assert luminance("#000000") == 0 and luminance("#ffffff") == 1
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert blend("#000000", 0.5, "#ffffff") == "#808080"


def _choropleth_fills() -> list[str]:
    """Every fill a commune can have, as seen over the map's background."""
    _, entries = communes.classify(pd.Series([0, None, *range(1, 249)], dtype=float))
    opacity = communes.STYLE.base.fill.opacity
    return [blend(e.color, opacity, MAP_BACKGROUND) for e in entries] + [MAP_BACKGROUND, "#f4f1ea"]  # + context


def test_every_status_has_its_own_shape_readable_on_its_colour() -> None:
    glyphs = {status: (glyph, ink) for status, glyph, ink in cites.GLYPHS}
    assert set(glyphs) == set(STATUSES)
    assert len({g for g, _ in glyphs.values()}) == len(STATUSES)  # five different shapes
    for status, (_, ink) in glyphs.items():
        assert contrast(ink, cites.STATUS_COLORS[status]) >= MIN_GRAPHIC, status
    # The legend shows the same shapes.
    layer = cites.build(
        __import__("geopandas").GeoDataFrame(
            {"id": [], "nom": [], "commune": [], "statut": [], "logements": []}, geometry=[], crs="EPSG:4326"
        )
    )
    legend = {e.label.split(" (")[0]: e.glyph for e in layer.legend.entries if e.glyph}
    assert legend == {s: g for s, (g, _) in glyphs.items()}


def test_a_cite_circle_stands_out_on_every_commune_fill() -> None:
    """The circle's dark ring and the light halo around it: one of them is 3:1 against any fill."""
    ring = cites.RING
    for fill in _choropleth_fills():
        assert max(contrast(ring, fill), contrast("#ffffff", fill)) >= MIN_GRAPHIC, fill
    # And the ring against the circle's own colour: the circle's edge is seen on its fill.
    for status, color in cites.STATUS_COLORS.items():
        assert contrast(ring, color) >= MIN_GRAPHIC, (status, color, round(contrast(ring, color), 2))


def test_choropleth_classes_run_from_light_to_dark_and_their_ends_are_3_to_1() -> None:
    entries = communes.classify(pd.Series(range(1, 251), dtype=float))[1]
    lum = [luminance(e.color) for e in entries]
    assert len(lum) == 5
    assert lum == sorted(lum, reverse=True)  # one order: light means fewer, dark means more
    assert all(a / b > 1.15 for a, b in zip(lum, lum[1:], strict=False))  # neighbours differ
    assert contrast(entries[0].color, entries[-1].color) >= MIN_GRAPHIC
