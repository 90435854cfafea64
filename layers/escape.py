"""The one escaping helper every layer uses before a value reaches the browser.

folium puts tooltip and popup values into ``innerHTML`` and into JavaScript template
literals, so ``<img src=x onerror=...>`` runs as HTML and ``${...}`` runs as code unless
both are neutralised. HTML-escaping handles the first; ``$`` and the backtick become
entities so that no template literal can be opened or interpolated.

Braces are escaped too: branca renders each element's output and then compiles that output
again as a Jinja template, so a value holding ``{{ ... }}`` or ``{% ... %}`` would be run on
the server (template injection) or break the page.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import pandas as pd

_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def escape_text(value: object) -> str:
    """Text safe inside HTML and inside a JS template literal; missing values read « non renseigné »."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "non renseigné"
    return html.escape(str(value), quote=True).translate(_EXTRA)


def escape_properties(props: Mapping[str, object]) -> dict[str, object]:
    """Escape every string of a GeoJSON feature's properties; numbers and booleans stay typed."""
    out: dict[str, object] = {}
    for key, value in props.items():
        if isinstance(value, bool | int) or (isinstance(value, float) and not math.isnan(value)):
            out[key] = value
        else:
            out[key] = escape_text(value)
    return out
