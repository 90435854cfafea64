"""The Bassin urbain à dynamiser: the classed zone, and the one unresolved slot kept apart."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import Record, records
from layers.spec import BuiltLayer, ClientSpec, LegendEntry, LegendSection, Part

CLASSED = "#CC79A7"
PENDING = "#E69F00"
TITLE = "Zone BUD"

CLIENT = ClientSpec(
    style=f"""function(f){{
  var pending = f.properties.statut === 'à confirmer';
  var c = pending ? '{PENDING}' : '{CLASSED}';
  return {{fillColor: c, fillOpacity: 0.35, color: c, weight: 2.5, dashArray: pending ? '4 4' : null}};
}}""",
    tooltip="""function(f){
  return erbm.table([['', f.properties.libelle], ['Communes', f.properties.communes]]);
}""",
)


def bundle_records(zone: gpd.GeoDataFrame) -> list[Record]:
    """The zone and the unresolved slot (EPSG:4326) for the static bundle."""
    return records(zone, ["statut", "communes", "libelle"], kind="bud", id_column="statut")


def build(zone: gpd.GeoDataFrame, *, show: bool = False) -> BuiltLayer:
    """``zone``: the attributes of the BUD zone (geometries travel in the static bundle)."""
    counts = dict(zip(zone["statut"], zone["communes"], strict=True))
    legend = LegendSection(
        "Bassin urbain à dynamiser (BUD)",
        (
            LegendEntry(f"Commune classée ({counts.get('classée', 0)})", CLASSED),
            LegendEntry(f"Créneau à confirmer : 1 commune parmi {counts.get('à confirmer', 0)}", PENDING, "hatched"),
        ),
        note="159 communes (arrêtés du 14/02/2018 et du 11/04/2019), dont 14 hors périmètre ERBM",
    )
    return BuiltLayer("bud", TITLE, (Part("bud", CLIENT),), legend, show=show, feature_count=len(zone))
