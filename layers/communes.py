"""Communes of the perimeter, coloured by the indicator the user picks (choropleth)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from core.text import format_int
from domain.metrics import CommuneIndicator
from layers._geojson import Record, records
from layers.escape import escape_text
from layers.spec import BuiltLayer, LegendEntry, LegendSection, Part
from layers.style import Fill, Hover, Label, LayerStyle, Look, Row, Stroke, Variant, When

NO_DATA_COLOR = "#d9d9d9"
ZERO_COLOR = "#ffffff"


def classify(values: pd.Series, *, k: int = 5) -> tuple[pd.Series, list[LegendEntry]]:
    """Colour per commune and legend for a numeric indicator.

    Natural breaks (Fisher-Jenks, mapclassify) on the positive values; zero is its own class
    because « aucune cité » is a fact, and missing values are « non renseigné ».
    """
    import branca.colormap as cm
    import mapclassify

    colors = pd.Series(NO_DATA_COLOR, index=values.index, dtype=object)
    entries: list[LegendEntry] = []
    known = values.dropna().astype(float)
    zero = known[known == 0]
    positive = known[known > 0]
    if len(zero):
        colors[zero.index] = ZERO_COLOR
        entries.append(LegendEntry(f"0 ({len(zero)})", ZERO_COLOR))
    if len(positive):
        classes = min(k, positive.nunique())
        if classes > 1:
            with warnings.catch_warnings():
                # Without numba mapclassify falls back to pure Python: fine for 250 values.
                warnings.simplefilter("ignore", UserWarning)
                scheme = mapclassify.FisherJenks(positive.to_numpy(), k=classes)
            bins, yb = scheme.bins, scheme.yb
        else:
            bins, yb = np.array([positive.max()]), np.zeros(len(positive), dtype=int)
        palette = cm.linear.YlGnBu_09.scale(0, len(bins)).to_step(len(bins))
        hexes = [palette.rgb_hex_str(i + 0.5) for i in range(len(bins))]
        colors[positive.index] = [hexes[c] for c in yb]
        low = positive.min()
        for i, upper in enumerate(bins):
            n = int((yb == i).sum())
            entries.append(LegendEntry(f"{format_int(low)} – {format_int(upper)} ({n})", hexes[i]))
            low = upper
    missing = int(values.isna().sum())
    if missing:
        entries.append(LegendEntry(f"non renseigné ({missing})", NO_DATA_COLOR))
    return colors, entries


def categorical(values: pd.Series, categories: tuple[tuple[str, str], ...]) -> tuple[pd.Series, list[LegendEntry]]:
    palette = dict(categories)
    colors = values.map(palette).fillna(NO_DATA_COLOR)
    counts = values.value_counts()
    entries = [LegendEntry(f"{v} ({int(counts.get(v, 0))})", c) for v, c in categories if counts.get(v, 0)]
    return colors, entries


# The fill comes from the indicator the user picks (per-run state, ``choropleth``); « Mon
# territoire » outlines the chosen communes and dims the rest so the territory stands out.
HIGHLIGHT = Stroke("#000000", 3)
STYLE = LayerStyle(
    base=Look(stroke=Stroke("#555555", 0.6), fill=Fill(NO_DATA_COLOR, 0.75)),
    variants=(
        Variant(When(state="dimmed"), Look(fill=Fill(NO_DATA_COLOR, 0.2))),
        Variant(When(state="highlight"), Look(stroke=HIGHLIGHT)),
    ),
    choropleth=True,
    hover=Hover(width=HIGHLIGHT.width, color=HIGHLIGHT.color),
    tooltip=(Row("Commune", "nom"), Row("INSEE", "ref"), Row(state=True)),
    label=Label(5.5, color="#555555"),
)
TITLE = "Communes du périmètre"


def bundle_records(communes: gpd.GeoDataFrame) -> list[Record]:
    """The perimeter communes (EPSG:4326) for the static bundle: geometry, name and INSEE code only."""
    return records(communes, ["nom"], kind="commune", id_column="insee")


@dataclass(frozen=True)
class Colouring:
    """An indicator's colours for the perimeter communes.

    ``palette`` lists the classes as (colour, text); ``values`` gives each commune, in the order
    of the static bundle, its class (categorical indicators: the class says it all) or its class
    and formatted number (numeric indicators, shown with ``unit``; None when it is missing).
    """

    label: str
    unit: str
    palette: tuple[tuple[str, str | None], ...]
    values: tuple[int | tuple[int, str | None], ...]
    legend: LegendSection


def colouring(values: pd.Series, indicator: CommuneIndicator, order: Sequence[str]) -> Colouring:
    """``values``: the indicator for every perimeter commune, indexed by INSEE code; ``order``: the
    INSEE codes in the order of the static bundle (the classes are computed on all of ``values``)."""
    legend_title = f"Communes : {indicator.label}"
    legend_note = f"Source : {indicator.source}"
    if indicator.kind == "numeric":
        colors, entries = classify(values)
        palette = tuple((c, None) for c in dict.fromkeys(colors.tolist()))
        index = {c: i for i, (c, _) in enumerate(palette)}
        coded: dict[str, int | tuple[int, str | None]] = {
            str(insee): (index[c], None if pd.isna(v) else escape_text(format_int(v)))
            for insee, c, v in zip(values.index, colors.tolist(), values.tolist(), strict=True)
        }
        unit = escape_text(indicator.unit)
    else:
        colors, entries = categorical(values, indicator.categories)
        texts = [escape_text(v) for v in values.fillna("non renseigné").tolist()]
        palette = tuple(dict.fromkeys(zip(colors.tolist(), texts, strict=True)))
        pindex = {p: i for i, p in enumerate(palette)}
        coded = {
            str(insee): pindex[(c, text)] for insee, c, text in zip(values.index, colors.tolist(), texts, strict=True)
        }
        unit = ""
    return Colouring(
        label=escape_text(indicator.label),
        unit=unit,
        palette=palette,
        values=tuple(coded[str(insee)] for insee in order),
        legend=LegendSection(legend_title, tuple(entries), note=legend_note),
    )


def build(
    colours: Colouring, *, highlight: set[str] | None = None, dim_others: bool = False, show: bool = True
) -> BuiltLayer:
    """The communes' per-run state: the geometries stay in the static bundle, so choosing another
    indicator or highlighting a territory only sends the palette and one class per commune."""
    state = {
        "label": colours.label,
        "unit": colours.unit,
        "palette": [list(p) for p in colours.palette],
        "values": [list(v) if isinstance(v, tuple) else v for v in colours.values],
        "highlight": {str(insee): 1 for insee in sorted(highlight or ())},
        "dim": bool(dim_others),
    }
    return BuiltLayer(
        "communes",
        TITLE,
        (Part("communes", STYLE),),
        colours.legend,
        show=show,
        feature_count=len(colours.values),
        state=state,
    )
