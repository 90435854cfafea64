"""Which rows each exported layer holds."""

from __future__ import annotations

import geopandas as gpd

from geo.load import Territory


def cites_with_outlines(cites: gpd.GeoDataFrame, outlines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The cités with their inventory outline as geometry (their point where they have none, as
    the ``contour`` column says) and that point, inside the outline, in Lambert-93 columns."""
    shapes = outlines.set_index("id").geometry
    out = cites.copy()
    out["point_x_l93"] = cites.geometry.x.round(1)
    out["point_y_l93"] = cites.geometry.y.round(1)
    has = cites["id"].isin(shapes.index)
    geometry = cites.geometry.copy()
    geometry[has] = shapes.reindex(cites.loc[has, "id"]).to_numpy()
    return out.set_geometry(geometry)


def export_layer(t: Territory, layer: str) -> gpd.GeoDataFrame:
    """The frame behind ``python cli.py export LAYER`` (Lambert-93; the exporter reprojects)."""
    if layer == "communes":
        return t.perimeter_communes.reset_index(drop=True)
    if layer == "epci":
        return t.epci
    if layer == "bud":
        return t.communes[t.communes["bud_statut"] != "non classée"].reset_index(drop=True)
    if layer == "cites":
        return cites_with_outlines(t.cites, t.cite_contours)
    if layer == "roads":
        return t.roads
    if layer == "unesco":
        return t.unesco
    raise ValueError(f"couche inconnue : {layer}")
