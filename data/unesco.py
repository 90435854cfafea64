"""The UNESCO World Heritage property (bien inscrit, 2012) and its cités minières, from the
Mission Bassin Minier's layers (« UNESCO - L93 2018 », Licence Ouverte), and the overlap rule
that says whether an ERBM cité lies in the property."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from data.inputs import sources_dir
from geo.crs import LAMBERT93

BIEN_FILE = "unesco_bien-inscrit.geojson"
CITES_FILE = "unesco_cites-minieres_bien-inscrit.geojson"
UNESCO_SOURCE = (
    "Périmètre du bien inscrit Bassin minier du Nord-Pas de Calais, patrimoine mondial UNESCO "
    "(Mission Bassin Minier, couches UNESCO - L93 2018, Licence Ouverte)"
)
# A cité is « dans le bien inscrit » when at least this share of its outline's area lies in the
# property's elements: the inventory's outlines and the property's are drawn independently, so a
# sliver of shared edge (under 2 % for every ERBM cité) is no membership.
IN_PROPERTY_MIN_SHARE = 0.10


def _read(name: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(sources_dir() / name).to_crs(LAMBERT93)
    bad = gdf.index[~gdf.is_valid].tolist()
    if bad:
        raise ValueError(f"{name} : géométries invalides aux entités {bad}")
    return gdf


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def build_unesco() -> gpd.GeoDataFrame:
    """One row per element of the property (``bien inscrit``) and per cité minière of it."""
    bien = _read(BIEN_FILE)
    cites = _read(CITES_FILE)
    rows = [
        {
            "id": f"bien-{_text(b['no_element'])}",
            "nature": "bien inscrit",
            "nom": _text(b["nom"]),
            "detail": f"section {_text(b['no_section'])} : {_text(b['section'])}",
            "geometry": b["geometry"],
        }
        for _, b in bien.iterrows()
    ]
    rows += [
        {
            "id": f"cite-{pos + 1}",
            "nature": "cité minière du bien inscrit",
            "nom": _text(c["nom"]),
            "detail": " / ".join(filter(None, (_text(c["commune_1"]), _text(c["commune_2"]))))
            + (f" ; élément {_text(c['element'])}" if _text(c["element"]) else ""),
            "geometry": c["geometry"],
        }
        for pos, (_, c) in enumerate(cites.iterrows())
    ]
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93)
    out["surface_ha"] = (out.geometry.area / 10_000).round(4)
    out["source"] = UNESCO_SOURCE
    return out[["id", "nature", "nom", "detail", "surface_ha", "source", "geometry"]]


def property_shares(outlines: gpd.GeoSeries, unesco: gpd.GeoDataFrame) -> pd.Series:
    """For each outline, the share of its area inside the property's elements (``bien inscrit``)."""
    prop = shapely.union_all(unesco.loc[unesco["nature"] == "bien inscrit", "geometry"].values)
    return pd.Series(outlines.intersection(prop).area / outlines.area, index=outlines.index)
