"""Presentation mode: one self-contained HTML document that tells the ERBM story scene by scene.

Built for a projector in a big room that may have no network: Leaflet's JS and CSS are inlined
from the XStatic package, every layer is embedded once as GeoJSON (only the columns shown,
every text escaped with :func:`layers.escape.escape_text`), the scenes are embedded as JSON,
and nothing is fetched from anywhere. Type is large, contrast high, the map draws on a canvas.

Keyboard (and presentation clickers, which send PageUp / PageDown): ArrowRight, Space, PageDown
go forward; ArrowLeft, PageUp, Shift+Space go back; Home / End jump to the first / last scene;
F toggles full screen. Inside Streamlit the document also listens on its (same-origin) parent
page, so a clicker works before anyone clicks into the presentation.

The data is built by :mod:`layers.presentation_data`; the document's style, markup and script are
``layers/presentation.{css,html,js}`` (with ``layers/style.js``, which reads the layers' looks).

``python -m layers.presentation sortie.html`` writes the default scenario to a file that opens
offline in any browser.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from domain.scenario import Scenario
from geo.load import Territory
from layers.files import asset, script_json
from layers.presentation_data import presentation_data, short_epci_name

__all__ = ["document", "leaflet_assets", "presentation_data", "presentation_html", "short_epci_name"]

# The document's code, in order: the style interpreter, then the presentation itself.
SCRIPTS = ("style.js", "presentation.js")


@functools.cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS from the installed XStatic package (never from a CDN)."""
    import xstatic.pkg.leaflet as leaflet

    base = Path(leaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    # No marker icons or layer control here: drop their image URLs so nothing is ever requested.
    css = re.sub(r"url\((?!#)[^)]*\)", "none", css)
    return js, css


def presentation_html(t: Territory, scenario: Scenario) -> str:
    """The whole presentation as one HTML document that loads nothing from the network."""
    return document(presentation_data(t, scenario))


def document(data: dict[str, Any]) -> str:
    """The document around ``data``: its scripts and styles are inlined files, its data one JSON block."""
    leaflet_js, leaflet_css = leaflet_assets()
    return "".join(
        [
            '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>",
            str(data["title"]),  # escaped by presentation_data
            " — présentation</title>",
            "<style>",
            leaflet_css,
            "</style><style>",
            asset("presentation.css"),
            "</style></head><body>",
            asset("presentation.html"),
            "<script>",
            leaflet_js,
            "</script>",
            '<script type="application/json" id="erbm-presentation">',
            script_json(data),
            "</script>",
            *("<script>" + asset(name) + "</script>" for name in SCRIPTS),
            "</body></html>\n",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Write the default scenario's presentation to a file (or stdout) for a room with no network."""
    from domain.scenario import ScenarioError, load_scenario
    from geo.errors import DataFileError
    from geo.load import load_territory

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        t = load_territory()
        html = presentation_html(t, load_scenario(args[1] if len(args) > 1 else None, t))
    except (DataFileError, ScenarioError) as err:
        print(err, file=sys.stderr)
        return 1
    if args and args[0] != "-":
        Path(args[0]).write_text(html, encoding="utf-8")
    else:
        sys.stdout.write(html)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
