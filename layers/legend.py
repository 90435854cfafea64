"""The map legend: one section per layer, shown or hidden with that layer."""

from __future__ import annotations

from collections.abc import Sequence

from layers.escape import escape_text
from layers.spec import BuiltLayer, LegendEntry

_SWATCH = {
    "square": "width:{s}px;height:{s}px;background:{c};border:1px solid #444;",
    "circle": "width:{s}px;height:{s}px;background:{c};border:1.5px solid #111;border-radius:50%;",
    "line": "width:26px;height:0;border-top:4px solid {c};",
    "dashed": "width:26px;height:0;border-top:4px dashed {c};",
    "outline": "width:{s}px;height:{s}px;border:2px solid {c};",
    "hatched": "width:{s}px;height:{s}px;border:2px dashed #555;"
    "background:repeating-linear-gradient(45deg,{c},{c} 3px,#fff 3px,#fff 6px);",
}


def _entry(e: LegendEntry) -> str:
    style = _SWATCH[e.shape].format(s=e.size_px, c=escape_text(e.color))
    return (
        f'<div class="erbm-legend-row"><span class="erbm-swatch" style="{style}"></span>'
        f"<span>{escape_text(e.label)}</span></div>"
    )


def legend_sections(layers: Sequence[BuiltLayer]) -> str:
    """HTML of the legend's sections; each carries the title of the layer it belongs to."""
    sections = []
    for layer in layers:
        if layer.legend is None:
            continue
        rows = "".join(_entry(e) for e in layer.legend.entries)
        note = f'<div class="erbm-legend-note">{escape_text(layer.legend.note)}</div>' if layer.legend.note else ""
        hidden = "" if layer.show else ' style="display:none"'
        sections.append(
            f'<section class="erbm-legend-section" data-layer="{escape_text(layer.title)}"{hidden}>'
            f"<h4>{escape_text(layer.legend.title)}</h4>{rows}{note}</section>"
        )
    return "".join(sections)
