"""One module per map layer (style, tooltip, legend), built from typed specs.

Public API: each layer module's ``build`` function, :func:`layers.map.build_map`, and the
escaping helper :func:`layers.escape.escape_text` that every layer goes through.
"""

from layers import bud, cites, communes, context, epci, roads
from layers.escape import escape_properties, escape_text
from layers.map import BASEMAPS, MapView, build_map
from layers.spec import BuiltLayer, LegendEntry, LegendSection

__all__ = [
    "BASEMAPS",
    "BuiltLayer",
    "LegendEntry",
    "LegendSection",
    "MapView",
    "bud",
    "build_map",
    "cites",
    "communes",
    "context",
    "epci",
    "escape_properties",
    "escape_text",
    "roads",
]
