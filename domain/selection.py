"""Which rows each exported layer holds."""

from __future__ import annotations

import geopandas as gpd

from geo.load import Territory


def export_layer(t: Territory, layer: str) -> gpd.GeoDataFrame:
    """The frame behind ``python cli.py export LAYER`` (Lambert-93; the exporter reprojects)."""
    if layer == "communes":
        return t.perimeter_communes.reset_index(drop=True)
    if layer == "epci":
        return t.epci
    if layer == "bud":
        return t.communes[t.communes["bud_statut"] != "non classée"].reset_index(drop=True)
    if layer == "cites":
        return t.cites
    if layer == "roads":
        return t.roads
    raise ValueError(f"couche inconnue : {layer}")
