"""One style per layer for every renderer, and the map's code and markup shipped as files."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from layers import bud, cites, communes, context, epci, roads
from layers.map import client_css, client_js
from layers.presentation import document
from layers.presentation_data import STYLES
from layers.spec import LegendSection
from layers.style import Stroke, mpl_color, mpl_dashes, points, style_json

LAYERS_DIR = Path(__file__).resolve().parents[1] / "layers"
SHIPPED = sorted(p for ext in ("js", "css", "html") for p in LAYERS_DIR.glob(f"*.{ext}"))


def _parts():
    """Every part of the web map, as its layers build them."""
    colouring = communes.Colouring("Population", "", (), (), LegendSection("Communes", ()))
    layers = [
        context.build(),
        communes.build(colouring),
        bud.build(pd.DataFrame({"statut": ["classée"], "communes": [1]})),
        epci.build(pd.DataFrame({"signataire": [True, False]})),
        roads.build(pd.DataFrame({"trace": ["tracé indicatif"]})),
    ]
    return tuple(p for layer in layers for p in layer.parts) + (next(p for p in cites.build(_one_cite()).parts),)


def _one_cite():
    import geopandas as gpd
    from shapely.geometry import Point

    return gpd.GeoDataFrame(
        {"id": ["1"], "nom": ["C"], "commune": ["L"], "statut": ["livrée"], "logements": pd.array([5], dtype="Int64")},
        geometry=[Point(2.8, 50.4)],
        crs=4326,
    )


def _client_config() -> dict:
    """The JSON the map's code receives (the argument of ``erbmSetup``)."""
    code = client_js(_parts(), bundle_url="/app/static/bundles/carte-x.json")
    start = code.rindex("erbmSetup(") + len("erbmSetup(")
    return json.loads(code[start : code.rindex(");")])


# --------------------------------------------------------------------------- assets as files


def test_layers_ship_their_scripts_styles_and_markup_as_files() -> None:
    names = {p.name for p in SHIPPED}
    assert {"map.js", "map.css", "style.js", "topojson.js", "presentation.js", "presentation.css"} <= names
    assert "presentation.html" in names


@pytest.mark.parametrize("path", [p for p in SHIPPED if p.suffix == ".js"], ids=lambda p: p.name)
def test_every_shipped_script_parses(path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the scripts' syntax cannot be checked")
    result = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_every_shipped_file_is_read_by_the_code(territory) -> None:
    from domain.scenario import load_scenario
    from layers.presentation import presentation_html
    from settings import get_settings

    served = client_js(_parts()) + client_css()
    presented = presentation_html(territory, load_scenario(get_settings().scenario_file, territory))
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        assert text in served or text in presented, f"{path.name} is never sent to a browser"


def test_no_layer_module_holds_script_or_style_source() -> None:
    """Scripts, styles and markup live in files; Python only passes data to them (calls with JSON
    arguments), inside the one wrapper branca needs around each element's code (a Jinja macro)."""
    for path in LAYERS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and not node.value.startswith("{% macro"):
                for marker in ("function(", "function (", "{display:", "<section", "L.geoJSON"):
                    assert marker not in node.value, (path.name, node.value[:80])


def test_document_data_is_json_that_no_text_can_close() -> None:
    data = {"title": "&lt;t&gt;", "layers": {}, "scenes": [], "attribution": "", "styles": {}, "x": "</script><b>"}
    html = document(data)
    assert "</script><b>" not in html
    opener = '<script type="application/json" id="erbm-presentation">'
    block = html[html.index(opener) + len(opener) :]
    assert json.loads(block[: block.index("</script>")])["x"] == "</script><b>"


# --------------------------------------------------------------------------- one style, every renderer


def test_client_receives_each_part_style_as_data() -> None:
    config = _client_config()
    assert config["bundle"] == "/app/static/bundles/carte-x.json"
    assert config["parts"]["communes"] == style_json(communes.STYLE)
    assert config["parts"]["epci"]["outline"] is True
    assert config["parts"]["villes"]["interactive"] is False
    palette = config["parts"]["cites"]["palette"]
    assert palette["colors"] == cites.STATUS_COLORS and palette["prop"] == "statut"


def test_pdf_map_and_web_map_take_layer_colours_from_the_same_spec(territory) -> None:
    """The commune outline, the highlight and the roads: one colour in the spec, the web map's
    JSON and the fiche's matplotlib artists."""
    from matplotlib.colors import to_hex

    from fiche.mapimage import map_figure
    from layers.style import PRINT

    config = _client_config()
    outline = communes.STYLE.base.stroke
    highlight = communes.HIGHLIGHT
    road = roads.STYLE.variant(prop="trace", equals=roads.INDICATIVE).stroke
    assert config["parts"]["communes"]["base"]["stroke"]["color"] == outline.color
    assert config["parts"]["communes"]["variants"][1]["look"]["stroke"]["color"] == highlight.color
    assert config["parts"]["routes"]["variants"][0]["look"]["stroke"] == {
        "color": road.color,
        "width": road.width,
        "dash": list(road.dash),
        "opacity": road.opacity,
    }

    ax = map_figure(territory, "commune", "62498", width_px=900, height_px=450).axes[0]
    edges = {to_hex(c) for coll in ax.collections for c in coll.get_edgecolor()}
    faces = {to_hex(c) for coll in ax.collections for c in coll.get_facecolor()}
    lines = _line_strokes(ax)
    assert outline.color.lower() in edges  # the perimeter communes' outline
    assert (highlight.color.lower(), 1.0, round(points(highlight.width * PRINT.width), 3)) in lines
    assert (road.color.lower(), road.opacity, round(points(road.width * PRINT.width), 3)) in lines
    assert cites.STATUS_COLORS["travaux logements"].lower() in faces  # Cité n°4 de Lens
    # The old fiche-only colours are gone: orange outline, pink roads.
    assert "#d55e00" not in edges | {c for c, _, _ in lines}
    assert "#cc79a7" not in faces | {c for c, _, _ in lines}


def _line_strokes(ax) -> set[tuple[str, float, float]]:
    """(colour, opacity, width in points) of every line drawn on the fiche's map."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_hex, to_rgba

    return {
        (to_hex(c), round(to_rgba(c)[3], 3), round(float(w), 3))
        for coll in ax.collections
        if isinstance(coll, LineCollection)
        for c, w in zip(coll.get_colors(), coll.get_linewidths(), strict=False)
    }


def test_legends_read_the_colours_of_the_style() -> None:
    legend = epci.build(pd.DataFrame({"signataire": [True, False]})).legend
    assert legend is not None
    assert legend.entries[0].color == epci.STYLE.variant(prop="signataire").stroke.color  # type: ignore[union-attr]
    assert legend.entries[1].color == epci.STYLE.base.stroke.color  # type: ignore[union-attr]
    assert STYLES["cites"].palette is not None and dict(STYLES["cites"].palette.colors) == cites.STATUS_COLORS


def test_matplotlib_conversions() -> None:
    assert mpl_color("#ff8000", 0.5) == (1.0, 128 / 255, 0.0, 0.5)
    assert mpl_color("#fff") == (1.0, 1.0, 1.0, 1.0)
    assert points(4) == 3.0
    assert mpl_dashes(Stroke("#000000", 5, (10, 8))) == (0, (2.0, 1.6))
    assert mpl_dashes(Stroke("#000000", 5)) == "solid"


def test_a_medium_changes_widths_radii_and_fill_opacity_never_colours() -> None:
    from layers.style import PRINT, PROJECTOR, SCREEN, on_medium

    assert on_medium(roads.STYLE, SCREEN) == roads.STYLE
    projected = on_medium(roads.STYLE, PROJECTOR)
    dashed = projected.variant(prop="trace", equals=roads.INDICATIVE).stroke
    assert (dashed.color, dashed.width, dashed.dash, dashed.opacity) == ("#000000", 6.5, (13.0, 10.4), 0.85)
    assert (projected.base.radius, projected.point.radius, projected.hover.width) == (12.15, 12.15, 10.4)
    bud_fill = on_medium(bud.STYLE, PROJECTOR).base.fill
    assert (bud_fill.color, bud_fill.opacity) == (bud.STYLE.base.fill.color, 0.5)
    assert on_medium(cites.STYLE, PROJECTOR).base.fill.opacity == 1.0  # 0.9 + 0.15, capped
    printed = on_medium(communes.STYLE, PRINT).variant(state="highlight").stroke
    assert (printed.color, printed.width) == (communes.HIGHLIGHT.color, 1.8)
