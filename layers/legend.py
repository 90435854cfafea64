"""The map legend as data: one section per layer, shown or hidden with that layer.

``layers/map.js`` draws it (``erbm.update``); every text is escaped here, like the features'.
"""

from __future__ import annotations

from collections.abc import Sequence

from layers.contrast import ink_on
from layers.escape import escape_text
from layers.spec import BuiltLayer


def legend_data(layers: Sequence[BuiltLayer]) -> list[dict[str, object]]:
    """The legend's sections; each names the title of the layer it belongs to (``layer``)."""
    sections: list[dict[str, object]] = []
    for layer in layers:
        if layer.legend is None:
            continue
        entries = [
            {
                "label": escape_text(e.label),
                "color": escape_text(e.color),
                "shape": e.shape,
                "size": e.size_px,
                "glyph": escape_text(e.glyph),
                "ink": ink_on(e.color) if e.glyph else "",
            }
            for e in layer.legend.entries
        ]
        sections.append(
            {
                "layer": escape_text(layer.title),
                "title": escape_text(layer.legend.title),
                "entries": entries,
                "note": escape_text(layer.legend.note) if layer.legend.note else "",
                "show": layer.show,
            }
        )
    return sections
