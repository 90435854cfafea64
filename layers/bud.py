"""The Bassin urbain à dynamiser: the classed zone, and the one unresolved slot kept apart."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import Record, records
from layers.spec import BuiltLayer, LegendEntry, LegendSection, Part
from layers.style import Fill, LayerStyle, Look, Row, Stroke, Variant, When

CLASSED = "#CC79A7"
PENDING = "#E69F00"
TITLE = "Zone BUD"

STYLE = LayerStyle(
    base=Look(stroke=Stroke(CLASSED, 2.5), fill=Fill(CLASSED, 0.35)),
    variants=(
        Variant(When("statut", "à confirmer"), Look(stroke=Stroke(PENDING, 2.5, (4, 4)), fill=Fill(PENDING, 0.35))),
    ),
    tooltip=(Row("", "libelle"), Row("Communes", "communes")),
)

PENDING_LOOK = STYLE.variant(prop="statut", equals="à confirmer")


def _fill(look: Look) -> str:
    return look.fill.color if look.fill else ""


def bundle_records(zone: gpd.GeoDataFrame) -> list[Record]:
    """The zone and the unresolved slot (EPSG:4326) for the static bundle."""
    return records(zone, ["statut", "communes", "libelle"], kind="bud", id_column="statut")


def build(zone: gpd.GeoDataFrame, *, show: bool = False, note: str = "") -> BuiltLayer:
    """``zone``: the attributes of the BUD zone (geometries travel in the static bundle); ``note``:
    the counts in words (``domain.inventory.bud_explained``), the same as under the key figures."""
    counts = dict(zip(zone["statut"], zone["communes"], strict=True))
    legend = LegendSection(
        "Bassin urbain à dynamiser (BUD)",
        (
            LegendEntry(f"Commune classée ({counts.get('classée', 0)})", _fill(STYLE.base)),
            LegendEntry(
                f"Créneau à confirmer : 1 commune parmi {counts.get('à confirmer', 0)}", _fill(PENDING_LOOK), "hatched"
            ),
        ),
        note=note or "159 communes (arrêtés du 14/02/2018 et du 11/04/2019), dont 14 hors périmètre ERBM",
    )
    return BuiltLayer("bud", TITLE, (Part("bud", STYLE),), legend, show=show, feature_count=len(zone))
